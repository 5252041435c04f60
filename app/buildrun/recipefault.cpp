// SPDX-License-Identifier: MIT
#include "recipefault.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

QString shortStepName(const QString &stepName)
{
    if (stepName.size() <= 80 && !stepName.contains(u'\n'))
        return stepName; // short enough to read whole
    static const QRegularExpression stage(uR"(^\[[^\]]+\](?:\s+[A-Z]+)?)"_s);
    if (const auto m = stage.match(stepName); m.hasMatch())
        return m.captured(0);
    return stepName.left(60);
}

QStringList foldersTheBuildWrote(const QList<BuildStep> &steps)
{
    static const QRegularExpression wrote(uR"((?:^|[\s"'])((?:[\w.-]+/)*[\w.-]+)/(?:index\.html|assets/|[\w.-]+\.(?:js|css)\b))"_s);
    static const QRegularExpression built(uR"(\b(?:built|wrote|writing to|output(?: written)? to|emitted to)\s+['"]?((?:[\w.-]+/?)+))"_s,
                                          QRegularExpression::CaseInsensitiveOption);
    QStringList out;
    for (const BuildStep &s : steps) {
        if (!s.name.contains(u"frontend"_s))
            continue;
        for (const QString &line : s.log.split(u'\n')) {
            for (auto it = built.globalMatch(line); it.hasNext();) {
                const QString d = it.next().captured(1).section(u'/', 0, 0);
                if (!d.isEmpty() && !out.contains(d))
                    out << d;
            }
            for (auto it = wrote.globalMatch(line); it.hasNext();) {
                const QString d = it.next().captured(1).section(u'/', 0, 0);
                if (!d.isEmpty() && d != u"src" && d != u"node_modules" && !out.contains(d))
                    out << d;
            }
        }
    }
    return out;
}

namespace {

std::optional<Failure> missingOutput(const QList<BuildStep> &steps, const QString &text)
{
    // COPY --from=frontend /src/web/dist/ ... → "/src/web/dist": not found
    static const QRegularExpression notFound(uR"re("(/src/[^"]+)": not found)re"_s);
    const auto m = notFound.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QString folder = m.captured(1).mid(5);
    const QStringList wrote = foldersTheBuildWrote(steps);
    QString cause = u"The frontend build did not write %1, the folder Gantry's recipe copies into the image"_s.arg(folder);
    if (!wrote.isEmpty())
        cause += u"; it wrote %1"_s.arg(wrote.join(u", "_s));
    return Failure(ErrorClass::DockerfileError, cause + u'.',
                   u"Set output in gantry.toml's [frontend] to the folder the build writes (the wizard's Frontend step, Output folder), then write the Dockerfile again."_s);
}

std::optional<Failure> cargoRecipeError(const QString &text)
{
    static const QRegularExpression noBin(uR"(no bin target named `([^`]+)`)"_s);
    if (const auto m = noBin.match(text); m.hasMatch())
        return Failure(ErrorClass::DockerfileError,
                       u"The backend has no binary named %1, the one Gantry's recipe builds (cargo: no bin target named `%1`)."_s.arg(m.captured(1)),
                       u"Set binary in gantry.toml's [project] to one of the backend's binaries (the wizard's Backend step lists them with their packages), then write the Dockerfile again."_s);
    static const QRegularExpression noPackage(uR"(package ID specification `([^`]+)` did not match any packages)"_s);
    if (const auto m = noPackage.match(text); m.hasMatch())
        return Failure(ErrorClass::DockerfileError,
                       u"The workspace has no package %1, the one Gantry's recipe builds with -p."_s.arg(m.captured(1)),
                       u"Set package in gantry.toml's [workspace] to the package of the binary (run 'gantry init' again to find it)."_s);
    static const QRegularExpression manifest(
        uR"((failed to (?:load|read|parse) manifest[^\n]*|failed to read `[^`]*Cargo\.toml`|error inheriting `[^`]+` from workspace root manifest[^\n]*|current package believes it's in a workspace when it's not))"_s);
    if (const auto m = manifest.match(text); m.hasMatch())
        return Failure(ErrorClass::DockerfileError,
                       u"cargo could not read the Cargo workspace inside the image build (%1): a manifest or crate the workspace needs is not in the build context."_s
                           .arg(m.captured(1).trimmed()),
                       u"Run 'gantry init' again so [workspace] members, sources and stand_ins in gantry.toml match the workspace as it is now, then build again."_s);
    static const QRegularExpression noCrate(uR"(no matching package named `([^`]+)` found)"_s);
    if (const auto m = noCrate.match(text); m.hasMatch() && (text.contains(u"offline"_s) || text.contains(u"/usr/share/cargo/registry"_s)))
        return Failure(ErrorClass::DockerfileError,
                       u"The debian toolchain has no crate %1: Debian does not package it, or it is not in debian_crates."_s.arg(m.captured(1)),
                       u"Add %1 to debian_crates in gantry.toml's [target] if Debian packages it (librust-%2-dev), or switch the toolchain to rustup (the wizard's Target step)."_s
                           .arg(m.captured(1), m.captured(1).toLower().replace(u'_', u'-')));
    static const QRegularExpression noDeb(uR"(Unable to locate package (librust-([\w.+-]+)-dev))"_s);
    if (const auto m = noDeb.match(text); m.hasMatch())
        return Failure(ErrorClass::DockerfileError,
                       u"Debian has no package %1, which Gantry's recipe asks apt for."_s.arg(m.captured(1)),
                       u"Remove %1 from debian_crates in gantry.toml's [target] (the crates of your own workspace and git crates never belong there), or switch the toolchain to rustup."_s
                           .arg(m.captured(2).section(u'+', 0, 0)));
    return std::nullopt;
}

} // namespace

std::optional<Failure> recipeFault(const QList<BuildStep> &steps, const QString &allText)
{
    QString text = allText;
    for (const BuildStep &s : steps)
        text += u'\n' + s.error + u'\n' + s.log;
    if (auto f = cargoRecipeError(text))
        return f;
    return missingOutput(steps, text);
}

} // namespace Gantry
