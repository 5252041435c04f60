// SPDX-License-Identifier: MIT
#include "failuresummary.h"

#include <QDir>
#include <QDirIterator>
#include <QFileInfo>
#include <QObject>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

QString SourceLocation::text() const
{
    QString s = path;
    if (line > 0)
        s += u':' + QString::number(line);
    if (line > 0 && column > 0)
        s += u':' + QString::number(column);
    return s;
}

QList<SourceLocation> compilerLocations(const QStringList &compilerLines)
{
    // rustc: " --> src/main.rs:14:5"; gcc/clang: "src/x.c:3:5: error: ..."; tsc: "src/a.ts(3,5): error TS...".
    static const QRegularExpression rust(uR"(^\s*-->\s+(.+?):(\d+):(\d+)\s*$)"_s);
    static const QRegularExpression gcc(uR"(^([^\s:][^:]*):(\d+):(\d+): (?:fatal )?error:)"_s);
    static const QRegularExpression tsc(uR"(^([^\s(][^(]*)\((\d+),(\d+)\): error)"_s);
    QList<SourceLocation> out;
    for (const QString &line : compilerLines) {
        QRegularExpressionMatch m = rust.match(line);
        if (!m.hasMatch())
            m = gcc.match(line);
        if (!m.hasMatch())
            m = tsc.match(line);
        if (!m.hasMatch())
            continue;
        const SourceLocation loc{m.captured(1).trimmed(), m.captured(2).toInt(), m.captured(3).toInt()};
        if (!out.contains(loc))
            out << loc;
    }
    return out;
}

QString repositoryPath(const QString &repoRoot, const QString &printedPath, int maxFiles)
{
    if (repoRoot.isEmpty() || printedPath.isEmpty())
        return {};
    QString wanted = QDir::cleanPath(printedPath);
    while (wanted.startsWith(u"./"_s))
        wanted.remove(0, 2);
    const QDir root(repoRoot);
    if (!QDir::isAbsolutePath(wanted) && QFileInfo(root.filePath(wanted)).isFile())
        return wanted;
    // The file's name with as much of its folder as matches: the longest suffix wins,
    // then the shortest repository path (the nearest to the root).
    const QStringList wantedParts = wanted.split(u'/', Qt::SkipEmptyParts);
    if (wantedParts.isEmpty())
        return {};
    QString best;
    int bestDepth = 0;
    int seen = 0;
    static const QStringList skipped{u".git"_s, u"target"_s, u"node_modules"_s};
    QDirIterator it(repoRoot, {wantedParts.constLast()}, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext() && seen++ < maxFiles) {
        const QString relative = root.relativeFilePath(it.next());
        const QStringList parts = relative.split(u'/');
        if (std::any_of(parts.cbegin(), parts.cend() - 1, [](const QString &p) { return skipped.contains(p); }))
            continue;
        int depth = 0;
        while (depth < parts.size() && depth < wantedParts.size()
               && parts.at(parts.size() - 1 - depth) == wantedParts.at(wantedParts.size() - 1 - depth))
            ++depth;
        // A relative printed path must match whole; an absolute one (a container path) by its tail.
        const bool whole = depth == wantedParts.size();
        if (!whole && (!QDir::isAbsolutePath(wanted) || depth < 1))
            continue;
        if (depth > bestDepth || (depth == bestDepth && relative.size() < best.size())) {
            best = relative;
            bestDepth = depth;
        }
    }
    return best;
}

QString elideStepName(const QString &stepName, int maxChars)
{
    QString s = stepName.simplified();
    if (s.size() <= maxChars)
        return s;
    return s.left(maxChars - 1).trimmed() + u'…';
}

QString toolOfCommand(const QString &command)
{
    static const struct { const char *pattern; const char *tool; } tools[] = {
        {R"(\bcargo\s+build\b)", "cargo build"}, {R"(\bcargo\b)", "cargo"},   {R"(\brustc\b)", "rustc"},
        {R"(\bnpm\s+run\s+build\b)", "npm run build"}, {R"(\btsc\b)", "tsc"}, {R"(\b(?:gcc|cc|clang|g\+\+|c\+\+)\b)", "the C compiler"},
    };
    for (const auto &t : tools)
        if (QRegularExpression(QString::fromLatin1(t.pattern)).match(command).hasMatch())
            return QString::fromLatin1(t.tool);
    return QObject::tr("the compiler");
}

namespace {

int errorCount(const QStringList &compilerLines)
{
    int errors = 0;
    for (const QString &l : compilerLines)
        if (l.startsWith(u"error"_s) && !l.startsWith(u"error: could not compile"_s) && !l.startsWith(u"error: aborting"_s))
            ++errors;
        else if (l.contains(u": error"_s) || l.contains(u"): error TS"_s))
            ++errors;
    return std::max(errors, 1);
}

QString exitCodeOf(const QString &stepError)
{
    static const QRegularExpression exit(uR"(exit code:?\s*(\d+))"_s);
    const auto m = exit.match(stepError);
    return m.hasMatch() ? m.captured(1) : QString();
}

} // namespace

FailureSummary summarizeFailure(const BuildFailure &failure, const BuildStep *step, const QString &repoRoot)
{
    FailureSummary s;
    const QString shortName = elideStepName(failure.stepName);
    s.cause = failure.cause;
    if (!failure.stepName.isEmpty() && shortName != failure.stepName)
        s.cause.replace(failure.stepName, shortName);
    // buildkit quotes the whole script again: 'process "/bin/sh -c …" did not complete successfully'.
    static const QRegularExpression quoted(uR"re(process "(.*)" did not complete successfully)re"_s,
                                           QRegularExpression::DotMatchesEverythingOption);
    if (const auto m = quoted.match(s.cause); m.hasMatch() && m.captured(1).size() > 60)
        s.cause.replace(m.capturedStart(1), m.capturedLength(1), elideStepName(m.captured(1), 60));
    s.fix = failure.fix;
    for (SourceLocation loc : compilerLocations(failure.compilerLines)) {
        const QString mapped = repositoryPath(repoRoot, loc.path);
        if (!mapped.isEmpty() && mapped != loc.path) {
            // The cause names the place as the person finds it in the repository, as the headline does.
            s.cause.replace(u" at "_s + loc.path + u':', u" at "_s + mapped + u':');
            loc.path = mapped;
        }
        s.locations << loc;
    }
    switch (failure.errorClass) {
    case ErrorClass::CompileError: {
        const int n = errorCount(failure.compilerLines);
        const QString tool = toolOfCommand(step ? step->command : failure.stepName);
        const QString errors = n == 1 ? QObject::tr("1 error") : QObject::tr("%1 errors").arg(n);
        s.headline = s.locations.isEmpty() ? QObject::tr("%1: %2").arg(tool, errors)
                                           : QObject::tr("%1: %2 in %3").arg(tool, errors, s.locations.constFirst().text());
        break;
    }
    case ErrorClass::BuildStepFailed: {
        const QString code = exitCodeOf(step ? step->error : failure.details);
        s.headline = code.isEmpty() ? QObject::tr("Step %1 failed").arg(elideStepName(failure.stepName, 48))
                                    : QObject::tr("Step %1 failed (exit code %2)").arg(elideStepName(failure.stepName, 48), code);
        break;
    }
    default: {
        // The cause's first sentence, cut to a line.
        const qsizetype stop = s.cause.indexOf(u". "_s);
        s.headline = elideStepName(stop > 0 ? s.cause.left(stop) : s.cause, 90);
        if (s.headline.endsWith(u'.'))
            s.headline.chop(1);
        break;
    }
    }
    return s;
}

} // namespace Gantry
