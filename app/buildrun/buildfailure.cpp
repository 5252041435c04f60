// SPDX-License-Identifier: MIT
#include "buildfailure.h"

#include "docker/dockerenvironment.h"
#include "failuresummary.h"
#include "recipefault.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

QStringList compilerErrorLines(const QString &log, int maxLines)
{
    // rustc: "error[E0308]: mismatched types" / "error: could not compile `x`", then
    // indented context (" --> file:line:col", "   |", "18 |  ...") until a blank line.
    // gcc/clang: "file.c:3:5: error: ...". tsc: "file.ts(3,5): error TS2322: ...".
    static const QRegularExpression start(
        uR"(^(error(\[E\d+\])?:|.*:\d+:\d+: (fatal )?error:|.*\(\d+,\d+\): error TS\d+:))"_s);
    QStringList out;
    bool inBlock = false;
    const QStringList lines = log.split(u'\n');
    for (const QString &raw : lines) {
        QString line = raw;
        if (line.endsWith(u'\r'))
            line.chop(1);
        if (start.match(line).hasMatch()) {
            inBlock = true;
        } else if (inBlock && line.trimmed().isEmpty()) {
            inBlock = false;
            out << QString();
            continue;
        } else if (inBlock && !(line.startsWith(u' ') || line.startsWith(u'\t') || line.at(0).isDigit() || line.startsWith(u'=')
                                || line.startsWith(u"..."_s))) {
            inBlock = false;
        }
        if (inBlock)
            out << line;
        if (out.size() >= maxLines)
            break;
    }
    while (!out.isEmpty() && out.constLast().isEmpty())
        out.removeLast();
    return out;
}

namespace {

/// The step's last line that says something (not blank, not a bare exit status).
QString lastLogLine(const QString &log)
{
    const QStringList lines = log.split(u'\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        const QString l = it->trimmed();
        if (!l.isEmpty() && !l.startsWith(u"exit code"_s) && !l.startsWith(u"ERROR: process"_s))
            return l;
    }
    return {};
}

struct CompilerHeadline
{
    int errors = 0;
    QString message;  ///< the first error's text
    QString location; ///< where it is, file:line:col as the compiler wrote it
};

/// The first error and where it is, from the lines compilerErrorLines() kept: rustc
/// ("error[E0308]: text" then " --> file:line:col"), gcc/clang ("file:line:col: error: text")
/// and tsc ("file(line,col): error TS2322: text").
CompilerHeadline compilerHeadline(const QStringList &compiler)
{
    static const QRegularExpression rustWhere(uR"(^\s*-->\s*(\S+:\d+:\d+))"_s);
    static const QRegularExpression gcc(uR"(^(\S.*?:\d+:\d+): (?:fatal )?error: (.*)$)"_s);
    static const QRegularExpression tsc(uR"(^(\S.*?)\((\d+),(\d+)\): error (TS\d+: .*)$)"_s);
    CompilerHeadline h;
    for (const QString &l : compiler) {
        const bool rustError = l.startsWith(u"error"_s) && !l.startsWith(u"error: could not compile"_s)
                               && !l.startsWith(u"error: aborting"_s);
        QString message, location;
        if (rustError) {
            message = l.section(u": "_s, 1).trimmed();
        } else if (const auto m = gcc.match(l); m.hasMatch()) {
            location = m.captured(1);
            message = m.captured(2).trimmed();
        } else if (const auto t = tsc.match(l); t.hasMatch()) {
            location = t.captured(1) + u':' + t.captured(2) + u':' + t.captured(3);
            message = t.captured(4).trimmed();
        }
        if (!message.isEmpty()) {
            ++h.errors;
            if (h.message.isEmpty())
                h.message = message;
        }
        if (const auto m = rustWhere.match(l); h.location.isEmpty() && m.hasMatch())
            h.location = m.captured(1);
        if (h.location.isEmpty() && !location.isEmpty())
            h.location = location;
    }
    return h;
}

} // namespace

namespace {

/// What a failed build left to read, gathered once for the classifiers below.
struct FailureText
{
    const QList<BuildStep> &steps;
    const QStringList &platforms;
    const BuildStep *step = nullptr; ///< the failed step, when known
    QString text;                    ///< buildx's own output
    QString errorLine;               ///< its last "ERROR: " line (or last line)
    QString stepLog, stepError;
    QString all;                     ///< text, the step's error and its log
};

bool engineDown(const FailureText &t, BuildFailure &f)
{
    if (!t.text.contains(u"Cannot connect to the Docker daemon"_s) && !t.text.contains(u"error during connect"_s)
        && !t.text.contains(u"Is the docker daemon running"_s))
        return false;
    const DockerProblem p = classifyEngineError(t.text);
    f.errorClass = ErrorClass::EngineDown;
    f.cause = p.cause.isEmpty() ? u"The Docker engine is not running or not reachable."_s : p.cause;
    f.fix = p.fix.isEmpty() ? u"Start Docker (Docker Desktop, OrbStack, Colima or dockerd) and build again."_s : p.fix;
    return true;
}

bool buildxMissing(const FailureText &t, BuildFailure &f)
{
    const QString &text = t.text;
    if (!text.contains(u"'buildx' is not a docker command"_s) && !text.contains(u"unknown command: docker buildx"_s)
        && !text.contains(u"unknown shorthand flag"_s) && !text.contains(u"docker: unknown command"_s)
        && !(text.contains(u"unknown flag: --"_s) && text.contains(u"See 'docker --help'"_s)))
        return false;
    f.errorClass = ErrorClass::BuildxMissing;
    f.cause = u"docker has no buildx plugin, so Gantry cannot build."_s;
    f.fix = u"Install docker-buildx (Debian: apt install docker-buildx; macOS: it comes with Docker Desktop, or brew install docker-buildx) and build again."_s;
    return true;
}

bool baseImageMissing(const FailureText &t, BuildFailure &f)
{
    const QString &all = t.all;
    if (!all.contains(u"failed to resolve source metadata"_s) && !all.contains(u"pull access denied"_s)
        && !(all.contains(u"no such host"_s) && all.contains(u"registry"_s)))
        return false;
    f.errorClass = ErrorClass::BaseImageMissing;
    QString image;
    static const QRegularExpression meta(uR"(failed to resolve source metadata for ([^\s:]+(:[\w.-]+)?))"_s);
    static const QRegularExpression denied(uR"(pull access denied for ([^\s,]+))"_s);
    if (const auto m = meta.match(all); m.hasMatch())
        image = m.captured(1);
    else if (const auto d = denied.match(all); d.hasMatch())
        image = d.captured(1);
    const bool offline = all.contains(u"no such host"_s) || all.contains(u"dial tcp"_s) || all.contains(u"i/o timeout"_s)
                         || all.contains(u"connection refused"_s);
    f.cause = image.isEmpty() ? u"A base image of the Dockerfile is not on this machine"_s
                              : u"The base image %1 is not on this machine"_s.arg(image);
    f.cause += offline ? u" and no registry is reachable to pull it from."_s : u" and the registry refused to provide it."_s;
    f.fix = u"Load or build that image locally (docker load / docker build -t NAME), or change the base image in the recipe, then build again."_s;
    return true;
}

bool execFormat(const FailureText &t, BuildFailure &f)
{
    if (!t.all.contains(u"exec format error"_s))
        return false;
    f.errorClass = ErrorClass::ExecFormat;
    const QString platform = t.step && !t.step->platform.isEmpty() ? t.step->platform : t.platforms.value(0);
    f.cause = u"A step ran a program for %1, but this machine cannot run %1 programs: QEMU is not registered for that platform (\"exec format error\")."_s
                  .arg(platform.isEmpty() ? u"another architecture"_s : platform);
    f.fix = u"Install QEMU user emulation (docker run --privileged --rm tonistiigi/binfmt --install all, or apt install qemu-user-static binfmt-support), or use the cross-compile strategy so no foreign program runs during the build."_s;
    return true;
}

bool dockerfileUnreadable(const FailureText &t, BuildFailure &f)
{
    const QString &text = t.text;
    if (!text.contains(u"failed to read dockerfile"_s) && !text.contains(u"dockerfile parse error"_s)
        && !text.contains(u"unable to prepare context"_s) && !text.contains(u"Dockerfile parse error"_s)
        && !(text.contains(u"no such file or directory"_s) && !t.step))
        return false;
    f.errorClass = ErrorClass::DockerfileError;
    f.cause = u"buildx could not read the Dockerfile or the build context: %1."_s.arg(t.errorLine);
    f.fix = u"Check that the Dockerfile and the project folder exist (run 'gantry init' to write one) and build again."_s;
    return true;
}

/// Gantry's own recipe before the user's code: a wrong binary, package, output folder,
/// workspace layout or debian crate is said as such, with the gantry.toml key that fixes it.
bool recipeWrong(const FailureText &t, BuildFailure &f)
{
    const auto fault = recipeFault(t.steps, t.text);
    if (!fault)
        return false;
    f.errorClass = ErrorClass::RecipeMismatch;
    f.cause = fault->cause;
    f.fix = fault->fix;
    return true;
}

bool compilerError(const FailureText &t, BuildFailure &f)
{
    const QStringList compiler = t.step ? compilerErrorLines(t.stepLog) : QStringList();
    if (compiler.isEmpty())
        return false;
    f.errorClass = ErrorClass::CompileError;
    f.compilerLines = compiler;
    const CompilerHeadline h = compilerHeadline(compiler);
    f.cause = u"The compiler reported %1 error(s) in your code"_s.arg(std::max(h.errors, 1));
    if (!h.location.isEmpty())
        f.cause += u" at "_s + h.location;
    if (!h.message.isEmpty())
        f.cause += u": "_s + h.message;
    // The step comes last, after the headline, by its stage and number: never its whole script.
    const QString tool = toolOfCommand(t.step->command.isEmpty() ? t.step->name : t.step->command);
    f.cause += u" ("_s + (tool == QObject::tr("the compiler") ? QString() : tool + u", "_s) + u"step "_s
               + shortStepName(t.step->name) + u")."_s;
    f.fix = u"Fix the code at the lines shown below and build again."_s;
    return true;
}

bool stepFailed(const FailureText &t, BuildFailure &f)
{
    if (!t.step)
        return false;
    f.errorClass = ErrorClass::BuildStepFailed;
    // What the step said last is the likeliest reason; buildx's own line only says it failed.
    const QString said = lastLogLine(t.stepLog);
    const QString why = !said.isEmpty() ? said : (t.stepError.isEmpty() ? t.errorLine : t.stepError);
    f.cause = u"Step %1 failed: %2"_s.arg(shortStepName(t.step->name), why.left(300));
    if (!f.cause.endsWith(u'.'))
        f.cause += u'.';
    f.fix = u"Read the step's log below for the reason, fix it and build again."_s;
    return true;
}

bool noSuchBuilder(const FailureText &t, BuildFailure &f)
{
    static const QRegularExpression noBuilder(uR"re(no builder "?([^"\s]+)"? found)re"_s);
    const auto m = noBuilder.match(t.text);
    if (!m.hasMatch())
        return false;
    f.errorClass = ErrorClass::Other;
    f.cause = u"There is no buildx builder or docker context named %1."_s.arg(m.captured(1));
    f.fix = u"Choose one from the Build page's builder list or 'gantry build --list-builders', or build with the current builder."_s;
    return true;
}

} // namespace

BuildFailure classifyBuildFailure(const QList<BuildStep> &steps, int failedStep, const QStringList &textLines,
                                  const QStringList &platforms)
{
    BuildFailure f;
    FailureText t{steps, platforms, nullptr, {}, {}, {}, {}, {}};
    t.text = textLines.join(u'\n');
    for (const QString &l : textLines)
        if (l.startsWith(u"ERROR: "_s) || l.startsWith(u"error: "_s))
            t.errorLine = l.section(u": "_s, 1);
    if (t.errorLine.isEmpty() && !textLines.isEmpty())
        t.errorLine = textLines.constLast().trimmed();
    f.details = t.errorLine;
    if (failedStep >= 0 && failedStep < steps.size()) {
        t.step = &steps.at(failedStep);
        f.stepIndex = failedStep;
        f.stepName = t.step->name;
        t.stepLog = t.step->log;
        t.stepError = t.step->error;
    }
    t.all = t.text + u'\n' + t.stepError + u'\n' + t.stepLog;
    // Engine and client problems first (nothing ran), then Gantry's recipe, then the user's code.
    for (const auto classify : {engineDown, buildxMissing, baseImageMissing, execFormat, dockerfileUnreadable, recipeWrong,
                                compilerError, stepFailed, noSuchBuilder})
        if (classify(t, f))
            return f;
    f.errorClass = ErrorClass::Other;
    f.cause = t.errorLine.isEmpty() ? u"The build failed without saying why."_s : u"The build failed: %1."_s.arg(t.errorLine);
    f.fix = u"Run 'gantry doctor' to check Docker, then build again."_s;
    return f;
}

} // namespace Gantry
