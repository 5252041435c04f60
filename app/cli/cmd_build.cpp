// SPDX-License-Identifier: MIT
#include "cli.h"
#include "interrupt.h"

#include "buildrun/buildrunner.h"
#include "buildrun/builders.h"
#include "buildrun/multiplatformbuild.h"
#include "buildrun/recipebuild.h"
#include "util/processrunner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QRegularExpression>


using namespace Qt::StringLiterals;

namespace Gantry::Cli {

namespace {

QString shorten(const QString &text, int width)
{
    QString s = text.simplified();
    return s.size() > width ? s.left(width - 1) + u'…' : s;
}

QString stepLabel(const BuildStep &s)
{
    if (s.index > 0)
        return u"[%1 %2/%3] %4"_s.arg(s.stage).arg(s.index).arg(s.count).arg(shorten(s.command, 90));
    return shorten(s.name, 100);
}

} // namespace

int build(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Builds the project's image with docker buildx and shows every step live. REPO is the build context; "
        "what to build comes from REPO/gantry.toml (written by 'gantry init'), else REPO/Dockerfile; --file, "
        "--platform, --tag and --builder override it.\n\n"
        "Several platforms (the recipe's 'platforms', or --platform linux/amd64,linux/arm64) build one after "
        "the other in one run, each loaded into the engine under its own tag: the tag with the architecture "
        "appended, e.g. hello:latest-amd64 and hello:latest-arm64. One platform keeps the plain tag (hello:latest).\n\n"
        "A builder that is a docker context (e.g. one over ssh://user@server) builds on that context's engine: "
        "natively on the server, and the image is loaded there."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"REPO"_s, u"The project folder (the build context)."_s);
    const QCommandLineOption platformOpt(u"platform"_s, u"Build for PLATFORM (linux/amd64, linux/arm64, or both: linux/amd64,linux/arm64)."_s, u"P"_s);
    const QCommandLineOption tagOpt(u"tag"_s, u"Tag the image T (default: the folder's name:latest)."_s, u"T"_s);
    const QCommandLineOption fileOpt({u"f"_s, u"file"_s}, u"Use this Dockerfile (relative to REPO or absolute)."_s, u"DOCKERFILE"_s);
    const QCommandLineOption builderOpt(u"builder"_s, u"Build with this buildx builder or docker context."_s, u"NAME"_s);
    const QCommandLineOption contextOpt(u"context"_s, u"Build on this docker context (ssh://... builds on the server)."_s, u"NAME"_s);
    const QCommandLineOption argOpt(u"build-arg"_s, u"Set a build argument (repeatable)."_s, u"KEY=VALUE"_s);
    const QCommandLineOption progressOpt(u"progress"_s, u"How to read buildx's progress: rawjson (default) or plain."_s,
                                         u"MODE"_s, u"rawjson"_s);
    const QCommandLineOption noCacheOpt(u"no-cache"_s, u"Do not use the build cache."_s);
    const QCommandLineOption verboseOpt({u"v"_s, u"verbose"_s}, u"Also print every step's output."_s);
    const QCommandLineOption listOpt(u"list-builders"_s, u"List buildx builders and docker contexts, then exit."_s);
    for (const auto *o : {&platformOpt, &tagOpt, &fileOpt, &builderOpt, &contextOpt, &argOpt, &progressOpt, &noCacheOpt,
                          &verboseOpt, &listOpt})
        parser.addOption(*o);
    if (!parser.parse(arguments)) {
        io.err << "gantry build: " << parser.errorText() << '\n';
        return UsageError;
    }
    if (parser.isSet(u"help"_s)) {
        io.out << parser.helpText();
        return Ok;
    }
    if (parser.isSet(listOpt)) {
        const BuilderList list = listBuilders();
        for (const BuilderChoice &c : list.choices) {
            io.out << (c.current ? "* " : "  ") << (c.kind == BuilderChoice::Kind::Builder ? "builder " : "context ")
                   << c.name.leftJustified(20, u' ') << ' '
                   << (c.kind == BuilderChoice::Kind::Builder ? c.driver + u"  "_s + c.platforms.join(u',') : c.endpoint)
                   << '\n';
        }
        if (list.failure) {
            io.err << "gantry build: " << list.failure->sentence() << '\n';
            return Failure;
        }
        return Ok;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1) {
        io.err << "gantry build: give exactly one project folder (REPO). Run 'gantry build --help' for the options.\n";
        return UsageError;
    }
    const QFileInfo repoInfo(positional.constFirst());
    if (!repoInfo.isDir()) {
        io.err << "gantry build: " << positional.constFirst()
               << " is not a folder. Give the project folder that holds the Dockerfile.\n";
        return UsageError;
    }
    const QString progress = parser.value(progressOpt);
    if (progress != u"rawjson"_s && progress != u"plain"_s) {
        io.err << "gantry build: --progress must be rawjson or plain, not '" << progress << "'.\n";
        return UsageError;
    }

    const ProjectBuildPlan plan = planProjectBuild(repoInfo.absoluteFilePath(), parser.value(fileOpt));
    if (!plan.isBuildable()) {
        io.err << "gantry build: " << plan.failure->sentence() << '\n';
        return Failure;
    }
    BuildChoices choices;
    QStringList platforms;
    for (const QString &p : parser.values(platformOpt))
        platforms << p.split(u',', Qt::SkipEmptyParts);
    static const QRegularExpression platformRe(u"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"_s);
    for (const QString &p : std::as_const(platforms)) {
        if (!platformRe.match(p).hasMatch()) {
            io.err << "gantry build: '" << p << "' is not a platform; use e.g. linux/amd64 or linux/arm64.\n";
            return UsageError;
        }
    }
    platforms.removeDuplicates();
    if (!platforms.isEmpty())
        choices.platforms = platforms; // else every platform of the recipe
    if (parser.isSet(tagOpt))
        choices.tag = parser.value(tagOpt);
    if (parser.isSet(builderOpt) || parser.isSet(contextOpt)) {
        choices.replaceBuilder = true;
        choices.builder = parser.value(builderOpt);
        choices.dockerContext = parser.value(contextOpt);
    }
    BuildRequest request = plan.request(choices);
    for (const QString &a : parser.values(argOpt)) {
        const qsizetype eq = a.indexOf(u'=');
        if (eq <= 0) {
            io.err << "gantry build: --build-arg wants KEY=VALUE, got '" << a << "'.\n";
            return UsageError;
        }
        request.buildArgs.insert(a.left(eq), a.mid(eq + 1));
    }
    request.progress = progress;
    request.noCache = parser.isSet(noCacheOpt);
    const bool verbose = parser.isSet(verboseOpt);

    const int platformCount = int(request.platforms.size());
    io.out << "Building " << request.tag << " from " << QDir::toNativeSeparators(request.contextDir)
           << (request.platforms.isEmpty() ? QString() : u" for "_s + request.platforms.join(u", "_s)) << '\n';
    if (platformCount > 1) {
        QStringList tags;
        for (const QString &p : std::as_const(request.platforms))
            tags << platformImageTag(request.tag, p);
        io.out << platformCount << " platforms, one after the other, one image each: " << tags.join(u", "_s) << '\n';
    }
    // A builder named like a docker context builds on that context (as BuildRunner does too):
    // say so up front, with the context's endpoint.
    const QString contextName = !request.dockerContext.isEmpty() ? request.dockerContext : request.builder;
    QString endpoint;
    if (!contextName.isEmpty()) {
        const ProcessResult ctx = runProcess(request.docker, {u"context"_s, u"inspect"_s, u"--format"_s, u"{{.Endpoints.docker.Host}}"_s,
                                                              contextName}, request.environment, 20000);
        if (ctx.ok()) {
            endpoint = ctx.stdoutText().trimmed();
            if (request.dockerContext.isEmpty()) {
                request.dockerContext = request.builder;
                request.builder.clear();
            }
        }
    }
    if (!request.dockerContext.isEmpty())
        io.out << "On docker context " << request.dockerContext << (endpoint.isEmpty() ? QString() : u" ("_s + endpoint + u')')
               << (endpoint.startsWith(u"ssh://"_s) ? u": builds natively on that server, the image is loaded there"_s : QString());
    else if (!request.builder.isEmpty())
        io.out << "On builder " << request.builder;
    else
        io.out << "On the current builder (docker buildx's default for the current context)";
    io.out << '\n';
    io.out.flush();

    MultiPlatformBuild runner;
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    BuildResult result;
    QHash<int, BuildStep::State> printed;
    QObject::connect(&runner, &MultiPlatformBuild::platformStarted, &loop,
                     [&](int index, int count, const QString &platform, const QString &tag) {
                         if (count > 1) {
                             io.out << u"[%1]"_s.arg(formatDuration(clock.elapsed()), 9) << "  == " << index + 1 << " of " << count
                                    << ": " << platform << " -> " << tag << '\n';
                             io.out.flush();
                         }
                     });
    QObject::connect(&runner, &MultiPlatformBuild::stepUpdated, &loop, [&](int index, const BuildStep &s) {
        if (s.isInternal() || s.name.isEmpty())
            return;
        const auto before = printed.value(index, BuildStep::State::Waiting);
        if (before == s.state)
            return;
        printed.insert(index, s.state);
        if (s.state != BuildStep::State::Waiting)
            io.out << u"[%1]"_s.arg(formatDuration(clock.elapsed()), 9);
        switch (s.state) {
        case BuildStep::State::Waiting:
            return;
        case BuildStep::State::Running:
            io.out << "  ...     " << stepLabel(s) << '\n';
            break;
        case BuildStep::State::Done:
            io.out << "  done    " << stepLabel(s) << "  (" << formatDuration(s.durationMs()) << ")\n";
            break;
        case BuildStep::State::Cached:
            io.out << "  cached  " << stepLabel(s) << '\n';
            break;
        case BuildStep::State::Failed:
            io.out << "  FAILED  " << stepLabel(s) << '\n';
            break;
        case BuildStep::State::Cancelled:
            io.out << "  stopped " << stepLabel(s) << '\n';
            break;
        }
        io.out.flush();
    });
    if (verbose) {
        QObject::connect(&runner, &MultiPlatformBuild::logAppended, &loop, [&](int, const QString &text) {
            for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts))
                io.out << "                      | " << line << '\n';
            io.out.flush();
        });
    }
    QObject::connect(&runner, &MultiPlatformBuild::warningReported, &loop, [&](const BuildWarning &w) {
        io.err << "warning: " << w.text << '\n';
        io.err.flush();
    });
    QObject::connect(&runner, &MultiPlatformBuild::finished, &loop, [&](const BuildResult &r) {
        result = r;
        loop.quit();
    });
    // Ctrl-C stops the build (buildx first, its process group after 5 s); pressed again, it
    // does not leave buildx behind by exiting at once.
    const Interrupt interrupt([&] {
        io.err << "\nStopping the build...\n";
        io.err.flush();
        runner.cancel();
    }, Interrupt::Again::CallsAgain);
    runner.start(request);
    if (runner.isRunning())
        loop.exec();

    switch (result.outcome) {
    case BuildResult::Outcome::Succeeded:
        if (result.images.size() > 1) {
            io.out << "\nBuilt " << result.images.size() << " images in " << formatDuration(result.durationMs) << '\n'
                   << "  steps:  " << result.stepCount << " (" << result.cachedSteps << " cached)\n";
            for (const PlatformImage &i : std::as_const(result.images))
                io.out << "  " << i.platform.leftJustified(12, u' ') << "  " << i.tag << "  " << formatBytes(i.imageSize) << " ("
                       << i.imageSize << " bytes)  " << i.imageId << '\n';
        } else {
            io.out << "\nBuilt " << result.imageRef << " in " << formatDuration(result.durationMs) << '\n'
                   << "  steps:  " << result.stepCount << " (" << result.cachedSteps << " cached)\n"
                   << "  image:  " << result.imageId << '\n';
            if (result.imageSize >= 0)
                io.out << "  size:   " << formatBytes(result.imageSize) << " (" << result.imageSize << " bytes)\n";
        }
        if (!result.historyError.isEmpty())
            io.err << "warning: " << result.historyError << '\n';
        return Ok;
    case BuildResult::Outcome::Cancelled:
        io.err << "Build cancelled after " << formatDuration(result.durationMs) << ".\n";
        for (const PlatformImage &i : std::as_const(result.images))
            io.err << "  " << i.platform << " was built before: " << i.tag << '\n';
        return Cancelled;
    case BuildResult::Outcome::Failed:
        break;
    }
    const BuildFailure &f = result.failure;
    io.err << "\ngantry build: " << f.sentence() << '\n';
    if (!f.compilerLines.isEmpty()) {
        io.err << "\n";
        for (const QString &l : f.compilerLines)
            io.err << "  " << l << '\n';
    } else if (f.stepIndex >= 0 && f.stepIndex < result.steps.size() && !result.steps.at(f.stepIndex).log.trimmed().isEmpty()) {
        const QStringList lines = result.steps.at(f.stepIndex).log.trimmed().split(u'\n');
        io.err << "\nLast lines of the step's output:\n";
        for (const QString &l : lines.mid(std::max<qsizetype>(0, lines.size() - 15)))
            io.err << "  " << l << '\n';
    }
    return Failure;
}

} // namespace Gantry::Cli
