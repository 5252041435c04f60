// SPDX-License-Identifier: MIT
#include "recipegrammar.h"

#include "buildrecipe.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry::RecipeGrammar {

namespace {

bool matches(const QString &pattern, const QString &value)
{
    // Anchored at the very end: "$" alone also matches before a final newline.
    const QRegularExpression rx(QRegularExpression::anchoredPattern(pattern));
    return rx.match(value).hasMatch();
}

QString shown(const QString &value)
{
    // Control characters made visible, so that the sentence stays on one line.
    QString out;
    for (const QChar c : value)
        out += c.unicode() < 0x20 || c.unicode() == 0x7f ? u"\\x%1"_s.arg(int(c.unicode()), 2, 16, QLatin1Char('0')) : QString(c);
    return out.size() > 80 ? out.left(77) + u"..."_s : out;
}

} // namespace

QString binaryProblem(const QString &binary)
{
    if (binary.isEmpty() || matches(u"^[A-Za-z0-9_][A-Za-z0-9_-]{0,127}$"_s, binary))
        return {};
    return u"The binary name '%1' is not a Cargo binary name: use letters, digits, '-' and '_' (the [[bin]] name in Cargo.toml)."_s
        .arg(shown(binary));
}

QString imageReferenceProblem(const QString &field, const QString &reference)
{
    // docker's reference grammar: [registry[:port]/]name[/name...][:tag][@sha256:digest].
    static const QString component = u"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"_s;
    static const QString pattern = u"^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]+)?/)?"_s + component + u"(?:/"_s
        + component + u")*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$"_s;
    if (reference.isEmpty() || (reference.size() <= 255 && matches(pattern, reference)))
        return {};
    return u"The %1 '%2' is not an image reference: write it as docker does, e.g. rust:1-slim or ghcr.io/org/image:tag."_s.arg(
        field, shown(reference));
}

QString userProblem(const QString &user)
{
    if (user.isEmpty() || matches(u"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$"_s, user))
        return {};
    return u"The runtime user '%1' is not a user: use a name or uid, optionally with a group (65532:65532)."_s.arg(shown(user));
}

QString containerPathProblem(const QString &field, const QString &path)
{
    if (path.isEmpty() || (matches(u"^(/[A-Za-z0-9._@+-]+)+/?$"_s, path) && !path.split(u'/').contains(u".."_s)))
        return {};
    return u"The %1 '%2' is not an absolute folder in the image: use e.g. /app/public (letters, digits, '.', '_', '-', no '..')."_s.arg(
        field, shown(path));
}

QString relativePathProblem(const QString &field, const QString &path)
{
    if (path.isEmpty() || path == u".")
        return {};
    if (matches(u"^[A-Za-z0-9._@+-]+(/[A-Za-z0-9._@+-]+)*/?$"_s, path) && !path.split(u'/').contains(u".."_s))
        return {};
    return u"The %1 '%2' is not a folder inside the repository: use a relative path of letters, digits, '.', '_' and '-' (no '..')."_s
        .arg(field, shown(path));
}

QString nodeVersionProblem(const QString &version)
{
    if (version.isEmpty() || matches(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"_s, version))
        return {};
    return u"The node version '%1' is not a version: use a major version such as 20."_s.arg(shown(version));
}

QString crateProblem(const QString &crate)
{
    if (matches(u"^[A-Za-z0-9_-]{1,64}(\\+[A-Za-z0-9_-]{1,64})*$"_s, crate))
        return {};
    return u"The Debian crate '%1' is not a crate name: use NAME or NAME+FEATURE (e.g. tokio+macros)."_s.arg(shown(crate));
}

QString builderProblem(const QString &builder)
{
    if (builder.isEmpty() || matches(u"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"_s, builder))
        return {};
    return u"The builder '%1' is not a buildx builder or docker context name."_s.arg(shown(builder));
}

QString envValueProblem(const QString &name, const QString &value)
{
    for (const QChar c : value)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f || c.category() == QChar::Other_Format)
            return u"The value of %1 in [runtime.env] contains a control character ('%2'): put it on one line, without control characters."_s
                .arg(name, shown(value));
    return {};
}

QString recipeProblem(const BuildRecipe &r)
{
    const QString problems[] = {
        binaryProblem(r.binary),
        relativePathProblem(u"backend folder"_s, r.backendDir),
        relativePathProblem(u"frontend folder"_s, r.frontendDir),
        relativePathProblem(u"frontend output folder"_s, r.frontendOutputDir),
        relativePathProblem(u"Dockerfile path"_s, r.dockerfile),
        nodeVersionProblem(r.nodeVersion),
        userProblem(r.user),
        containerPathProblem(u"static folder"_s, r.staticDir),
        imageReferenceProblem(u"rust image"_s, r.baseImages.value(u"rust"_s)),
        imageReferenceProblem(u"node image"_s, r.baseImages.value(u"node"_s)),
        imageReferenceProblem(u"runtime image"_s, r.baseImages.value(u"runtime"_s)),
        imageReferenceProblem(u"image tag"_s, r.imageTag),
        builderProblem(r.builder),
        relativePathProblem(u"workspace folder"_s, r.workspaceDir),
        relativePathProblem(u"JS workspace root"_s, r.frontendRoot),
    };
    for (const QString &p : problems)
        if (!p.isEmpty())
            return p;
    if (!r.package.isEmpty() && !matches(u"^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$"_s, r.package))
        return u"The package '%1' is not a Cargo package name: use letters, digits, '-' and '_' (the [package] name in Cargo.toml)."_s
            .arg(shown(r.package));
    for (const QStringList *list : {&r.workspaceMembers, &r.workspaceSources, &r.workspaceStandIns})
        for (const QString &path : *list)
            if (const QString p = relativePathProblem(u"workspace path"_s, path); !p.isEmpty())
                return p;
    for (const QString &crate : r.debianCrates)
        if (const QString p = crateProblem(crate); !p.isEmpty())
            return p;
    for (const auto &[name, value] : r.env)
        if (const QString p = envValueProblem(name, value); !p.isEmpty())
            return p;
    return {};
}

} // namespace Gantry::RecipeGrammar
