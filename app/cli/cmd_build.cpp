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

/// gantry build's options, in the order --help lists them.
struct BuildFlags
{
    QCommandLineOption platform{u"platform"_s, u"Build for PLATFORM (linux/amd64, linux/arm64, or both: linux/amd64,linux/arm64)."_s, u"P"_s};
    QCommandLineOption tag{u"tag"_s, u"Tag the image T (default: the folder's name:latest)."_s, u"T"_s};
    QCommandLineOption file{{u"f"_s, u"file"_s}, u"Use this Dockerfile (relative to REPO or absolute)."_s, u"DOCKERFILE"_s};
    QCommandLineOption builder{u"builder"_s, u"Build with this buildx builder or docker context."_s, u"NAME"_s};
    QCommandLineOption context{u"context"_s, u"Build on this docker context (ssh://... builds on the server)."_s, u"NAME"_s};
    QCommandLineOption buildArg{u"build-arg"_s, u"Set a build argument (repeatable)."_s, u"KEY=VALUE"_s};
    QCommandLineOption progress{u"progress"_s, u"How to read buildx's progress: rawjson (default) or plain."_s, u"MODE"_s, u"rawjson"_s};
    QCommandLineOption noCache{u"no-cache"_s, u"Do not use the build cache."_s};
    QCommandLineOption verbose{{u"v"_s, u"verbose"_s}, u"Also print every step's output."_s};
    QCommandLineOption listBuilders{u"list-builders"_s, u"List buildx builders and docker contexts, then exit."_s};
    QList<QCommandLineOption> all() const
    {
        return {platform, tag, file, builder, context, buildArg, progress, noCache, verbose, listBuilders};
    }
};

void declareOptions(QCommandLineParser &parser, const BuildFlags &flags)
{
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
    for (const QCommandLineOption &o : flags.all())
        parser.addOption(o);
}

/// What the command line asks to build.
struct Invocation
{
    BuildRequest request;
    bool verbose = false;
};

/// --platform's values (each may list several, comma-separated), checked and without duplicates.
Result<QStringList> platformsFrom(const QCommandLineParser &parser, const BuildFlags &flags)
{
    QStringList platforms;
    for (const QString &p : parser.values(flags.platform))
        platforms << p.split(u',', Qt::SkipEmptyParts);
    static const QRegularExpression platformRe(u"^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$"_s);
    for (const QString &p : std::as_const(platforms)) {
        if (!platformRe.match(p).hasMatch())
            return usageError(u"'"_s + p + u"' is not a platform; use e.g. linux/amd64 or linux/arm64."_s);
    }
    platforms.removeDuplicates();
    return platforms;
}

/// The choices the command line makes over the recipe's (platforms, tag, builder).
Result<BuildChoices> choicesFrom(const QCommandLineParser &parser, const BuildFlags &flags)
{
    const Result<QStringList> platforms = platformsFrom(parser, flags);
    if (!platforms)
        return platforms.failure();
    BuildChoices choices;
    if (!platforms->isEmpty())
        choices.platforms = *platforms; // else every platform of the recipe
    if (parser.isSet(flags.tag))
        choices.tag = parser.value(flags.tag);
    if (parser.isSet(flags.builder) || parser.isSet(flags.context)) {
        choices.replaceBuilder = true;
        choices.builder = parser.value(flags.builder);
        choices.dockerContext = parser.value(flags.context);
    }
    return choices;
}

/// The plan's request for these choices, with the build arguments and the other flags.
Result<Invocation> invocationFrom(const QCommandLineParser &parser, const BuildFlags &flags, const ProjectBuildPlan &plan,
                                  const QString &progress)
{
    const Result<BuildChoices> choices = choicesFrom(parser, flags);
    if (!choices)
        return choices.failure();
    Invocation invocation{plan.request(*choices), parser.isSet(flags.verbose)};
    for (const QString &a : parser.values(flags.buildArg)) {
        const qsizetype eq = a.indexOf(u'=');
        if (eq <= 0)
            return usageError(u"--build-arg wants KEY=VALUE, got '"_s + a + u"'."_s);
        invocation.request.buildArgs.insert(a.left(eq), a.mid(eq + 1));
    }
    invocation.request.progress = progress;
    invocation.request.noCache = parser.isSet(flags.noCache);
    return invocation;
}

/// The project folder (absolute) from the command line, checked with --progress before the
/// project is read.
Result<QString> projectFolderFrom(const QCommandLineParser &parser, const BuildFlags &flags)
{
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(u"give exactly one project folder (REPO). Run 'gantry build --help' for the options."_s);
    const QFileInfo repoInfo(positional.constFirst());
    if (!repoInfo.isDir())
        return usageError(positional.constFirst() + u" is not a folder. Give the project folder that holds the Dockerfile."_s);
    const QString progress = parser.value(flags.progress);
    if (progress != u"rawjson"_s && progress != u"plain"_s)
        return usageError(u"--progress must be rawjson or plain, not '"_s + progress + u"'."_s);
    return repoInfo.absoluteFilePath();
}

/// --list-builders: one line per buildx builder and docker context, the current one starred.
int printBuilders(Io io)
{
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

/// A builder named like a docker context builds on that context (as BuildRunner does too):
/// request then names it as the context. Returns the context's endpoint, empty if none.
QString resolveDockerContext(BuildRequest &request)
{
    const QString contextName = !request.dockerContext.isEmpty() ? request.dockerContext : request.builder;
    if (contextName.isEmpty())
        return {};
    const ProcessResult ctx = runProcess(request.docker, {u"context"_s, u"inspect"_s, u"--format"_s, u"{{.Endpoints.docker.Host}}"_s,
                                                          contextName}, request.environment, 20000);
    if (!ctx.ok())
        return {};
    if (request.dockerContext.isEmpty()) {
        request.dockerContext = request.builder;
        request.builder.clear();
    }
    return ctx.stdoutText().trimmed();
}

/// What is built, for which platforms and tags, and where (with the context's endpoint).
void printHeader(const BuildRequest &request, const QString &endpoint, Io io)
{
    const int platformCount = int(request.platforms.size());
    io.out << "Building " << request.tag << " from " << QDir::toNativeSeparators(request.contextDir)
           << (request.platforms.isEmpty() ? QString() : u" for "_s + request.platforms.join(u", "_s)) << '\n';
    if (platformCount > 1) {
        QStringList tags;
        for (const QString &p : std::as_const(request.platforms))
            tags << platformImageTag(request.tag, p);
        io.out << platformCount << " platforms, one after the other, one image each: " << tags.join(u", "_s) << '\n';
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
}

/// "[    1.2 s]": the time since the build started, right-aligned.
QString stamp(const QElapsedTimer &clock)
{
    return u"[%1]"_s.arg(formatDuration(clock.elapsed()), 9);
}

void printPlatformStarted(QTextStream &out, const QElapsedTimer &clock, int index, int count, const QString &platform,
                          const QString &tag)
{
    if (count > 1) {
        out << stamp(clock) << "  == " << index + 1 << " of " << count << ": " << platform << " -> " << tag << '\n';
        out.flush();
    }
}

/// One line when a step's state changes (printed holds the state last shown per step).
void printStep(QTextStream &out, const QElapsedTimer &clock, QHash<int, BuildStep::State> &printed, int index, const BuildStep &s)
{
    if (s.isInternal() || s.name.isEmpty())
        return;
    const auto before = printed.value(index, BuildStep::State::Waiting);
    if (before == s.state)
        return;
    printed.insert(index, s.state);
    if (s.state != BuildStep::State::Waiting)
        out << stamp(clock);
    switch (s.state) {
    case BuildStep::State::Waiting:
        return;
    case BuildStep::State::Running:
        out << "  ...     " << stepLabel(s) << '\n';
        break;
    case BuildStep::State::Done:
        out << "  done    " << stepLabel(s) << "  (" << formatDuration(s.durationMs()) << ")\n";
        break;
    case BuildStep::State::Cached:
        out << "  cached  " << stepLabel(s) << '\n';
        break;
    case BuildStep::State::Failed:
        out << "  FAILED  " << stepLabel(s) << '\n';
        break;
    case BuildStep::State::Cancelled:
        out << "  stopped " << stepLabel(s) << '\n';
        break;
    }
    out.flush();
}

/// --verbose: a step's output, indented under the step lines.
void printLog(QTextStream &out, const QString &text)
{
    for (const QString &line : text.split(u'\n', Qt::SkipEmptyParts))
        out << "                      | " << line << '\n';
    out.flush();
}

void printWarning(QTextStream &err, const BuildWarning &w)
{
    err << "warning: " << w.text << '\n';
    err.flush();
}

/// Runs the build (every platform, one after the other), printing each step as it goes.
BuildResult runBuild(const BuildRequest &request, bool verbose, Io io)
{
    MultiPlatformBuild runner;
    QEventLoop loop;
    QElapsedTimer clock;
    clock.start();
    BuildResult result;
    QHash<int, BuildStep::State> printed;
    QObject::connect(&runner, &MultiPlatformBuild::platformStarted, &loop,
                     [&](int index, int count, const QString &platform, const QString &tag) {
                         printPlatformStarted(io.out, clock, index, count, platform, tag);
                     });
    QObject::connect(&runner, &MultiPlatformBuild::stepUpdated, &loop,
                     [&](int index, const BuildStep &s) { printStep(io.out, clock, printed, index, s); });
    if (verbose)
        QObject::connect(&runner, &MultiPlatformBuild::logAppended, &loop, [&](int, const QString &text) { printLog(io.out, text); });
    QObject::connect(&runner, &MultiPlatformBuild::warningReported, &loop, [&](const BuildWarning &w) { printWarning(io.err, w); });
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
    return result;
}

void printSucceeded(const BuildResult &result, Io io)
{
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
}

void printCancelled(const BuildResult &result, Io io)
{
    io.err << "Build cancelled after " << formatDuration(result.durationMs) << ".\n";
    for (const PlatformImage &i : std::as_const(result.images))
        io.err << "  " << i.platform << " was built before: " << i.tag << '\n';
}

/// The failure in one sentence, then the compiler's errors or the last lines of the failed step.
void printFailed(const BuildResult &result, Io io)
{
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
}

/// The summary for the build's outcome; returns the exit code.
int printSummary(const BuildResult &result, Io io)
{
    switch (result.outcome) {
    case BuildResult::Outcome::Succeeded:
        printSucceeded(result, io);
        return Ok;
    case BuildResult::Outcome::Cancelled:
        printCancelled(result, io);
        return Cancelled;
    case BuildResult::Outcome::Failed:
        break;
    }
    printFailed(result, io);
    return Failure;
}

} // namespace

int build(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    const BuildFlags flags;
    declareOptions(parser, flags);
    if (const std::optional<int> over = parseArguments(parser, arguments, u"build"_s, io))
        return *over;
    if (parser.isSet(flags.listBuilders))
        return printBuilders(io);
    const Result<QString> repo = projectFolderFrom(parser, flags);
    if (!repo)
        return refuse(repo.failure(), u"build"_s, io);
    const ProjectBuildPlan plan = planProjectBuild(*repo, parser.value(flags.file));
    if (!plan.isBuildable()) { // the project cannot be built as it is: not a usage error
        io.err << "gantry build: " << plan.failure->sentence() << '\n';
        return Failure;
    }
    Result<Invocation> invocation = invocationFrom(parser, flags, plan, parser.value(flags.progress));
    if (!invocation)
        return refuse(invocation.failure(), u"build"_s, io);
    const QString endpoint = resolveDockerContext(invocation->request);
    printHeader(invocation->request, endpoint, io);
    return printSummary(runBuild(invocation->request, invocation->verbose, io), io);
}

} // namespace Gantry::Cli
