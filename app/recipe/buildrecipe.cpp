// SPDX-License-Identifier: MIT
#include "buildrecipe.h"
#include "util/format.h"

#include "recipegrammar.h"
#include "util/boundedfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <toml++/toml.hpp>

#include <algorithm>
#include <string_view>
#include <vector>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString quoted(const QString &s)
{
    QString out = u"\""_s;
    for (const QChar c : s) {
        switch (c.unicode()) {
        case '"': out += u"\\\""_s; break;
        case '\\': out += u"\\\\"_s; break;
        case '\n': out += u"\\n"_s; break;
        case '\t': out += u"\\t"_s; break;
        case '\r': out += u"\\r"_s; break;
        default:
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                out += u"\\u"_s + QString::number(c.unicode(), 16).rightJustified(4, u'0');
            else
                out += c;
        }
    }
    return out + u'"';
}

QString quotedList(const QStringList &list)
{
    QStringList items;
    for (const QString &s : list)
        items << quoted(s);
    return u"["_s + items.join(u", "_s) + u"]"_s;
}

QString bareOrQuotedKey(const QString &key)
{
    static const QRegularExpression bare(u"^[A-Za-z0-9_-]+$"_s);
    return bare.match(key).hasMatch() ? key : quoted(key);
}

/// Reads one [table] checking keys and types; collects the first error.
} // namespace


QString BuildRecipe::rustImage() const
{
    if (const QString o = baseImages.value(u"rust"_s); !o.isEmpty())
        return o;
    return toolchain == Toolchain::Rustup ? u"rust:1-slim"_s : u"debian:trixie"_s;
}

QString BuildRecipe::nodeImage() const
{
    if (const QString o = baseImages.value(u"node"_s); !o.isEmpty())
        return o;
    return u"node:%1-slim"_s.arg(nodeVersion.isEmpty() ? u"20"_s : nodeVersion);
}

QString BuildRecipe::runtimeImage() const
{
    if (const QString o = baseImages.value(u"runtime"_s); !o.isEmpty())
        return o;
    switch (runtime) {
    case Runtime::Scratch: return u"scratch"_s;
    case Runtime::Distroless: return u"gcr.io/distroless/static-debian12:nonroot"_s;
    case Runtime::Alpine: return u"alpine:3.20"_s;
    case Runtime::DebianSlim: return u"debian:trixie-slim"_s;
    }
    return u"scratch"_s;
}

QString BuildRecipe::effectiveImageTag() const
{
    if (!imageTag.isEmpty())
        return imageTag;
    // The binary's name as an image name docker accepts (a name may not start or end with
    // '.', '_' or '-'): what is written must read back (fuzz_recipe_toml holds it to that).
    static const QRegularExpression edges(u"^[._-]+|[._-]+$"_s);
    QString n = binary.toLower();
    n.replace(QRegularExpression(u"[^a-z0-9._-]+"_s), u"-"_s);
    n.remove(edges);
    if (!n.isEmpty() && !RecipeGrammar::imageReferenceProblem(u"tag"_s, n + u":latest"_s).isEmpty()) {
        n.replace(QRegularExpression(u"[^a-z0-9]+"_s), u"-"_s); // separators docker would refuse in a row
        n.remove(edges);
    }
    if (n.isEmpty() || !RecipeGrammar::imageReferenceProblem(u"tag"_s, n + u":latest"_s).isEmpty())
        n = u"app"_s;
    return n + u":latest"_s;
}

QString BuildRecipe::strategyName(Strategy s) { return s == Strategy::CrossCompile ? u"cross"_s : u"emulate"_s; }
QString BuildRecipe::toolchainName(Toolchain t) { return t == Toolchain::Rustup ? u"rustup"_s : u"debian"_s; }
QString BuildRecipe::runtimeName(Runtime r)
{
    switch (r) {
    case Runtime::Scratch: return u"scratch"_s;
    case Runtime::Distroless: return u"distroless"_s;
    case Runtime::Alpine: return u"alpine"_s;
    case Runtime::DebianSlim: return u"debian-slim"_s;
    }
    return {};
}

QString BuildRecipe::packageManagerName(PackageManager pm)
{
    return PackageManagers::name(pm);
}

std::optional<BuildRecipe::Strategy> BuildRecipe::strategyFromName(const QString &name)
{
    if (name == u"cross" || name == u"cross-compile")
        return Strategy::CrossCompile;
    if (name == u"emulate")
        return Strategy::Emulate;
    return std::nullopt;
}

std::optional<BuildRecipe::Toolchain> BuildRecipe::toolchainFromName(const QString &name)
{
    if (name == u"rustup")
        return Toolchain::Rustup;
    if (name == u"debian")
        return Toolchain::Debian;
    return std::nullopt;
}

std::optional<BuildRecipe::Runtime> BuildRecipe::runtimeFromName(const QString &name)
{
    for (Runtime r : {Runtime::Scratch, Runtime::Distroless, Runtime::Alpine, Runtime::DebianSlim})
        if (runtimeName(r) == name)
            return r;
    return std::nullopt;
}

std::optional<PackageManager> BuildRecipe::packageManagerFromName(const QString &name)
{
    return PackageManagers::fromName(name);
}

QStringList BuildRecipe::supportedPlatforms()
{
    return {u"linux/amd64"_s, u"linux/arm64"_s};
}

QString BuildRecipe::rustTriple(const QString &platform, Toolchain toolchain)
{
    const QString libc = toolchain == Toolchain::Rustup ? u"musl"_s : u"gnu"_s;
    if (platform == u"linux/amd64")
        return u"x86_64-unknown-linux-"_s + libc;
    if (platform == u"linux/arm64")
        return u"aarch64-unknown-linux-"_s + libc;
    return {};
}

QString BuildRecipe::validate() const
{
    if (backendDir.isEmpty())
        return u"The recipe has no backend folder. Choose the folder that holds Cargo.toml."_s;
    if (binary.isEmpty())
        return u"The recipe names no binary to ship. Choose one of the backend's binary targets."_s;
    if (platforms.isEmpty())
        return u"The recipe has no target platform. Choose linux/amd64, linux/arm64 or both."_s;
    for (const QString &p : platforms)
        if (!supportedPlatforms().contains(p))
            return u"Gantry cannot build for '%1'. Choose linux/amd64 or linux/arm64."_s.arg(p);
    static const QRegularExpression envName(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    for (const auto &[k, v] : env)
        if (!envName.match(k).hasMatch())
            return u"'%1' is not a valid environment variable name. Use letters, digits and underscores."_s.arg(k);
    if (!frontendDir.isEmpty() && frontendOutputDir.isEmpty())
        return u"The recipe has no frontend output folder. Set the folder the build writes (dist, build, ...)."_s;
    if (port < 0 || port > 65535)
        return u"The port %1 is not between 0 and 65535. Choose the port the backend listens on."_s.arg(port);
    for (auto it = baseImages.cbegin(); it != baseImages.cend(); ++it)
        if (!QStringList{u"rust"_s, u"node"_s, u"runtime"_s}.contains(it.key()))
            return u"'%1' is not a base image Gantry can override. Use rust, node or runtime."_s.arg(it.key());
    QList<const QString *> dirs{&backendDir, &frontendDir, &dockerfile, &workspaceDir, &frontendRoot};
    for (const QStringList *list : {&workspaceMembers, &workspaceSources, &workspaceStandIns})
        for (const QString &d : *list)
            dirs << &d;
    for (const QString *dir : std::as_const(dirs))
        if (QDir::isAbsolutePath(*dir) || dir->split(u'/').contains(u".."_s))
            return u"The folder '%1' is outside the repository. Folders in gantry.toml are relative to it."_s.arg(*dir);
    if (!workspaceDir.isEmpty() && package.isEmpty())
        return u"The recipe names a Cargo workspace but no package to build. Set package in [workspace] (the crate that builds the binary)."_s;
    // Every value that reaches the Dockerfile, against its grammar (a repository is untrusted).
    return RecipeGrammar::recipeProblem(*this);
}

Result<BuildRecipe> BuildRecipe::load(const QString &repoRoot)
{
    if (!QFileInfo(repoRoot).isDir())
        return Failure(ErrorClass::NotAFolder, u"%1 is not a folder"_s.arg(QDir::toNativeSeparators(repoRoot)),
                       u"Choose the repository's folder."_s);
    const QString path = QDir(repoRoot).absoluteFilePath(u"gantry.toml"_s);
    const QFileInfo info(path);
    if (info.isSymLink() && !info.exists())
        return Failure(ErrorClass::Unreadable,
                       u"%1 is a link to %2, which does not exist (or loops back to itself)"_s.arg(
                           QDir::toNativeSeparators(path), QDir::toNativeSeparators(info.symLinkTarget())),
                       u"Replace the link with the file, or configure the project again."_s);
    if (!QFile::exists(path))
        return Failure(ErrorClass::NoManifest, u"There is no gantry.toml in %1"_s.arg(QDir::toNativeSeparators(repoRoot)),
                       u"Configure the project first (the Configure page, or 'gantry init')."_s);
    if (info.isDir())
        return Failure(ErrorClass::Unreadable, u"%1 is a folder, not a file"_s.arg(QDir::toNativeSeparators(path)),
                       u"Remove or rename that folder and configure the project again."_s);
    // A recipe is a few hundred bytes; anything this large is not one.
    constexpr qint64 cap = 1024 * 1024;
    if (info.isFile() && info.size() > cap)
        return Failure(ErrorClass::ManifestTooLarge,
                       u"%1 is %2, far larger than a recipe can be: it is not Gantry's gantry.toml"_s.arg(
                           QDir::toNativeSeparators(path), formatBytes(info.size())),
                       u"Move it away and configure the project again."_s);
    // Only a regular file, read without blocking up to the cap (never a FIFO or /dev/zero).
    const Result<QByteArray> bytes = readBoundedFile(path, cap);
    if (!bytes)
        return bytes.failure();
    return fromToml(QString::fromUtf8(*bytes), QDir::toNativeSeparators(path));
}

QString BuildRecipe::toToml() const
{
    QString t;
    t += u"# Gantry's build recipe: what 'gantry build' and the Build page build.\n"
         "# Edit it by hand or in the Configure page; Gantry writes the Dockerfile from it.\n"
         "# Folders are relative to this file.\n\n"_s;
    t += u"[project]\n"_s;
    t += u"backend = "_s + quoted(backendDir) + u'\n';
    if (!frontendDir.isEmpty())
        t += u"frontend = "_s + quoted(frontendDir) + u'\n';
    t += u"binary = "_s + quoted(binary) + u'\n';
    if (!frontendDir.isEmpty()) {
        t += u"\n[frontend]\n"_s;
        t += u"output = "_s + quoted(frontendOutputDir) + u"   # relative to the frontend folder\n"_s;
        t += u"package_manager = "_s + quoted(packageManagerName(packageManager)) + u'\n';
        if (!nodeVersion.isEmpty())
            t += u"node = "_s + quoted(nodeVersion) + u'\n';
        if (!frontendRoot.isEmpty())
            t += u"root = "_s + quoted(frontendRoot) + u"   # the JS workspace root with the lockfile: installs there\n"_s;
    }
    if (!workspaceDir.isEmpty()) {
        t += u"\n[workspace]   # the Cargo workspace the backend belongs to (folders relative to this file)\n"_s;
        t += u"root = "_s + quoted(workspaceDir) + u'\n';
        t += u"package = "_s + quoted(package) + u"   # cargo build -p\n"_s;
        t += u"members = "_s + quotedList(workspaceMembers) + u"   # their Cargo.toml go in first\n"_s;
        t += u"sources = "_s + quotedList(workspaceSources) + u"   # what the binary is built from\n"_s;
        if (!workspaceStandIns.isEmpty())
            t += u"stand_ins = "_s + quotedList(workspaceStandIns) + u"   # empty files for the other members' targets\n"_s;
        if (cargoConfig)
            t += u"cargo_config = true\n"_s;
    }
    t += u"\n[target]\n"_s;
    t += u"platforms = "_s + quotedList(platforms) + u'\n';
    t += u"strategy = "_s + quoted(strategyName(strategy))
         + u"   # cross: compile on the build machine for the target; emulate: build under QEMU\n"_s;
    t += u"toolchain = "_s + quoted(toolchainName(toolchain))
         + u"   # rustup: official rust image, musl; debian: Debian packages, static glibc, offline crates\n"_s;
    if (!debianCrates.isEmpty())
        t += u"debian_crates = "_s + quotedList(debianCrates) + u'\n';
    t += u"\n[runtime]\n"_s;
    t += u"base = "_s + quoted(runtimeName(runtime)) + u"   # scratch, distroless, alpine or debian-slim\n"_s;
    t += u"port = %1\n"_s.arg(port);
    t += u"user = "_s + quoted(user) + u'\n';
    t += u"ca_certificates = "_s + (caCertificates ? u"true"_s : u"false"_s) + u'\n';
    t += u"static_dir = "_s + quoted(staticDir) + u'\n';
    if (!env.isEmpty()) {
        t += u"\n[runtime.env]\n"_s;
        for (const auto &[k, v] : env)
            t += bareOrQuotedKey(k) + u" = "_s + quoted(v) + u'\n';
    }
    t += u"\n[build]\n"_s;
    t += u"tag = "_s + quoted(effectiveImageTag()) + u'\n';
    t += u"dockerfile = "_s + quoted(dockerfile) + u'\n';
    if (!builder.isEmpty())
        t += u"builder = "_s + quoted(builder) + u'\n';
    t += u"cache_mounts = "_s + (cacheMounts ? u"true"_s : u"false"_s) + u'\n';
    if (!baseImages.isEmpty()) {
        t += u"\n[images]   # base images instead of the defaults\n"_s;
        for (const char *key : {"rust", "node", "runtime"})
            if (const QString v = baseImages.value(QString::fromLatin1(key)); !v.isEmpty())
                t += QString::fromLatin1(key) + u" = "_s + quoted(v) + u'\n';
    }
    return t;
}

Status BuildRecipe::save(const QString &repoRoot) const
{
    if (const QString problem = validate(); !problem.isEmpty())
        return Failure(ErrorClass::RecipeInvalid, problem);
    if (!QFileInfo(repoRoot).isDir())
        return Failure(ErrorClass::NotAFolder,
                       u"Cannot write gantry.toml: %1 is not a folder"_s.arg(QDir::toNativeSeparators(repoRoot)),
                       u"Choose the repository's folder."_s);
    const QString path = QDir(repoRoot).absoluteFilePath(u"gantry.toml"_s);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Failure(ErrorClass::Unreadable,
                       u"Cannot write %1 (%2)"_s.arg(QDir::toNativeSeparators(path), file.errorString()),
                       u"Check the folder's permissions."_s);
    file.write(toToml().toUtf8());
    if (!file.commit())
        return Failure(ErrorClass::Other,
                       u"Cannot write %1 (%2)"_s.arg(QDir::toNativeSeparators(path), file.errorString()),
                       u"Check free disk space and permissions."_s);
    return {};
}

} // namespace Gantry
