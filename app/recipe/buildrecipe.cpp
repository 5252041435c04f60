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

QString qs(std::string_view v)
{
    return QString::fromUtf8(v.data(), qsizetype(v.size()));
}

QString where(const QString &fileName, const toml::source_region &src)
{
    return u"%1:%2:%3"_s.arg(fileName).arg(src.begin.line).arg(src.begin.column);
}

/// A TOML basic string with the escapes the spec requires.
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
class TableReader
{
public:
    TableReader(const toml::table &root, const char *tableName, const QString &fileName, std::optional<Failure> &failure)
        : m_fileName(fileName), m_failure(failure), m_name(QString::fromLatin1(tableName))
    {
        if (const toml::node *n = root.get(tableName)) {
            m_table = n->as_table();
            if (!m_table)
                fail(*n, u"[%1] must be a table"_s.arg(m_name), ErrorClass::RecipeWrongType);
        }
    }
    bool present() const { return m_table != nullptr; }
    bool ok() const { return !m_failure.has_value(); }

    void checkKeys(const QStringList &known)
    {
        if (!m_table || !ok())
            return;
        for (const auto &[key, node] : *m_table) {
            const QString k = qs(key.str());
            if (!known.contains(k)) {
                failAt(key.source(), u"unknown key '%1' in [%2]. Remove it or check the spelling (known keys: %3)"_s
                               .arg(k, m_name, known.join(u", "_s)), ErrorClass::RecipeUnknownKey);
                return;
            }
        }
    }
    const toml::node *node(const char *key) const { return m_table ? m_table->get(key) : nullptr; }

    void string(const char *key, QString &out)
    {
        const toml::node *n = node(key);
        if (!n || !ok())
            return;
        if (auto v = n->value<std::string>())
            out = QString::fromStdString(*v);
        else
            wrongType(*n, key, u"a string"_s);
    }
    void boolean(const char *key, bool &out)
    {
        const toml::node *n = node(key);
        if (!n || !ok())
            return;
        if (const auto *b = n->as_boolean())
            out = b->get();
        else
            wrongType(*n, key, u"true or false"_s);
    }
    void integer(const char *key, int &out, int min, int max)
    {
        const toml::node *n = node(key);
        if (!n || !ok())
            return;
        const auto *i = n->as_integer();
        if (!i) {
            wrongType(*n, key, u"a whole number"_s);
            return;
        }
        if (i->get() < min || i->get() > max) {
            fail(*n, u"'%1' in [%2] must be between %3 and %4, not %5"_s.arg(QString::fromLatin1(key), m_name)
                         .arg(min).arg(max).arg(i->get()));
            return;
        }
        out = int(i->get());
    }
    void stringList(const char *key, QStringList &out)
    {
        const toml::node *n = node(key);
        if (!n || !ok())
            return;
        const auto *arr = n->as_array();
        if (!arr) {
            wrongType(*n, key, u"a list of strings"_s);
            return;
        }
        QStringList list;
        for (const toml::node &item : *arr) {
            if (auto v = item.value<std::string>()) {
                list << QString::fromStdString(*v);
            } else {
                wrongType(item, key, u"a list of strings"_s);
                return;
            }
        }
        out = list;
    }
    void failAt(const toml::source_region &src, const QString &what, ErrorClass cls = ErrorClass::RecipeInvalid)
    {
        if (ok())
            m_failure = Failure(cls, where(m_fileName, src) + u": "_s + what + u'.');
    }
    void fail(const toml::node &n, const QString &what, ErrorClass cls = ErrorClass::RecipeInvalid)
    {
        if (ok())
            m_failure = Failure(cls, where(m_fileName, n.source()) + u": "_s + what + u'.');
    }
    const toml::table *table() const { return m_table; }

private:
    void wrongType(const toml::node &n, const char *key, const QString &expected)
    {
        fail(n, u"'%1' in [%2] must be %3. Fix the value in gantry.toml"_s.arg(QString::fromLatin1(key), m_name, expected),
             ErrorClass::RecipeWrongType);
    }

    QString m_fileName;
    std::optional<Failure> &m_failure; ///< the first failure of the whole file
    QString m_name;
    const toml::table *m_table = nullptr;
};

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

namespace {

/// [project]: the folders and the binary.
void readProject(const toml::table &root, const QString &fileName, std::optional<Failure> &fail, BuildRecipe &r)
{
    TableReader project(root, "project", fileName, fail);
    if (!project.present() && !fail)
        fail = Failure(ErrorClass::RecipeInvalid, u"%1 has no [project] section"_s.arg(fileName),
                       u"Configure the project again to write a complete one."_s);
    project.checkKeys({u"backend"_s, u"frontend"_s, u"binary"_s});
    project.string("backend", r.backendDir);
    project.string("frontend", r.frontendDir);
    project.string("binary", r.binary);

}

/// [workspace]: a Cargo workspace member and what its build needs.
void readWorkspace(const toml::table &root, const QString &fileName, std::optional<Failure> &fail, BuildRecipe &r)
{
    TableReader workspace(root, "workspace", fileName, fail);
    workspace.checkKeys({u"root"_s, u"package"_s, u"members"_s, u"sources"_s, u"stand_ins"_s, u"cargo_config"_s});
    workspace.string("root", r.workspaceDir);
    workspace.string("package", r.package);
    workspace.stringList("members", r.workspaceMembers);
    workspace.stringList("sources", r.workspaceSources);
    workspace.stringList("stand_ins", r.workspaceStandIns);
    workspace.boolean("cargo_config", r.cargoConfig);

}

/// [frontend]: where the frontend is, its output, package manager and Node.
void readFrontend(const toml::table &root, const QString &fileName, std::optional<Failure> &fail, BuildRecipe &r)
{
    TableReader frontend(root, "frontend", fileName, fail);
    frontend.checkKeys({u"output"_s, u"package_manager"_s, u"node"_s, u"root"_s});
    frontend.string("root", r.frontendRoot);
    frontend.string("output", r.frontendOutputDir);
    QString pm;
    frontend.string("package_manager", pm);
    frontend.string("node", r.nodeVersion);
    if (!fail && frontend.node("package_manager")) {
        if (auto v = BuildRecipe::packageManagerFromName(pm))
            r.packageManager = *v;
        else
            frontend.fail(*frontend.node("package_manager"),
                          u"unknown package manager '%1'. Use %2"_s.arg(pm, PackageManagers::choices()),
                          ErrorClass::RecipeUnknownValue);
    }

}

/// [target]: platforms, strategy, toolchain.
void readTarget(const toml::table &root, const QString &fileName, std::optional<Failure> &fail, BuildRecipe &r)
{
    TableReader target(root, "target", fileName, fail);
    target.checkKeys({u"platforms"_s, u"strategy"_s, u"toolchain"_s, u"debian_crates"_s});
    target.stringList("platforms", r.platforms);
    if (!fail && target.node("platforms")) {
        for (const QString &p : std::as_const(r.platforms)) {
            if (!BuildRecipe::supportedPlatforms().contains(p)) {
                target.fail(*target.node("platforms"),
                            u"unknown platform '%1'. Use linux/amd64, linux/arm64 or both"_s.arg(p),
                            ErrorClass::RecipeUnknownPlatform);
                break;
            }
        }
        if (!fail && r.platforms.isEmpty())
            target.fail(*target.node("platforms"), u"the platform list is empty. Add linux/amd64, linux/arm64 or both"_s,
                        ErrorClass::RecipeUnknownPlatform);
    }
    QString s;
    target.string("strategy", s);
    if (!fail && target.node("strategy")) {
        if (auto v = BuildRecipe::strategyFromName(s))
            r.strategy = *v;
        else
            target.fail(*target.node("strategy"), u"unknown strategy '%1'. Use \"cross\" or \"emulate\""_s.arg(s),
                        ErrorClass::RecipeUnknownValue);
    }
    s.clear();
    target.string("toolchain", s);
    if (!fail && target.node("toolchain")) {
        if (auto v = BuildRecipe::toolchainFromName(s))
            r.toolchain = *v;
        else
            target.fail(*target.node("toolchain"), u"unknown toolchain '%1'. Use \"rustup\" or \"debian\""_s.arg(s),
                        ErrorClass::RecipeUnknownValue);
    }
    target.stringList("debian_crates", r.debianCrates);

}

/// [runtime.env]: NAME = "value" pairs, in the order the file has them.
void readRuntimeEnv(TableReader &runtime, std::optional<Failure> &fail, BuildRecipe &r)
{
    const toml::node *envNode = !fail ? runtime.node("env") : nullptr;
    if (!envNode)
        return;
    const toml::table *envTable = envNode->as_table();
    if (!envTable) {
        runtime.fail(*envNode, u"[runtime.env] must be a table of NAME = \"value\""_s, ErrorClass::RecipeWrongType);
        return;
    }
    // toml++ keeps keys sorted; the file's order is the one the user wrote.
    std::vector<std::pair<const toml::key *, const toml::node *>> entries;
    for (const auto &[key, value] : *envTable)
        entries.emplace_back(&key, &value);
    std::sort(entries.begin(), entries.end(), [](const auto &x, const auto &y) {
        const auto &a = x.first->source().begin, &b = y.first->source().begin;
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    for (const auto &[keyPtr, valuePtr] : entries) {
        const toml::key &key = *keyPtr;
        const toml::node &value = *valuePtr;
        if (auto v = value.value<std::string>()) {
            r.env.append({qs(key.str()), QString::fromStdString(*v)});
        } else if (const auto *i = value.as_integer()) {
            r.env.append({qs(key.str()), QString::number(i->get())});
        } else {
            runtime.fail(value, u"the value of %1 in [runtime.env] must be a string"_s.arg(qs(key.str())), ErrorClass::RecipeWrongType);
            return;
        }
    }
}

/// [runtime]: the final image's base, port, user and environment.
void readRuntime(const toml::table &root, const QString &fileName, std::optional<Failure> &fail, BuildRecipe &r)
{
    TableReader runtime(root, "runtime", fileName, fail);
    runtime.checkKeys({u"base"_s, u"port"_s, u"user"_s, u"ca_certificates"_s, u"static_dir"_s, u"env"_s});
    QString s;
    runtime.string("base", s);
    if (!fail && runtime.node("base")) {
        if (auto v = BuildRecipe::runtimeFromName(s))
            r.runtime = *v;
        else
            runtime.fail(*runtime.node("base"),
                         u"unknown runtime base '%1'. Use scratch, distroless, alpine or debian-slim"_s.arg(s),
                         ErrorClass::RecipeUnknownValue);
    }
    runtime.integer("port", r.port, 0, 65535);
    runtime.string("user", r.user);
    runtime.boolean("ca_certificates", r.caCertificates);
    runtime.string("static_dir", r.staticDir);
    readRuntimeEnv(runtime, fail, r);
}

/// [build]: tag, Dockerfile, builder, cache mounts.
void readBuild(const toml::table &root, const QString &fileName, std::optional<Failure> &fail, BuildRecipe &r)
{
    TableReader build(root, "build", fileName, fail);
    build.checkKeys({u"tag"_s, u"dockerfile"_s, u"builder"_s, u"cache_mounts"_s});
    build.string("tag", r.imageTag);
    build.string("dockerfile", r.dockerfile);
    build.string("builder", r.builder);
    build.boolean("cache_mounts", r.cacheMounts);

}

/// [images]: base images that replace the defaults.
void readImages(const toml::table &root, const QString &fileName, std::optional<Failure> &fail, BuildRecipe &r)
{
    TableReader images(root, "images", fileName, fail);
    images.checkKeys({u"rust"_s, u"node"_s, u"runtime"_s});
    for (const char *key : {"rust", "node", "runtime"}) {
        QString v;
        images.string(key, v);
        if (!v.isEmpty())
            r.baseImages.insert(QString::fromLatin1(key), v);
    }

}

} // namespace

Result<BuildRecipe> BuildRecipe::fromToml(const QString &text, const QString &fileName)
{
    toml::table root;
    const QByteArray utf8 = text.toUtf8();
    try {
        root = toml::parse(std::string_view(utf8.constData(), size_t(utf8.size())));
    } catch (const toml::parse_error &e) {
        return Failure(ErrorClass::RecipeSyntax, u"%1: %2"_s.arg(where(fileName, e.source()), qs(e.description())),
                       u"Fix the file or delete it and configure again."_s);
    }

    BuildRecipe r;
    static const QStringList tables{u"project"_s, u"frontend"_s, u"workspace"_s, u"target"_s, u"runtime"_s, u"build"_s, u"images"_s};
    for (const auto &[key, node] : root) {
        if (!tables.contains(qs(key.str())))
            return Failure(ErrorClass::RecipeUnknownKey,
                           u"%1: unknown section '%2'"_s.arg(where(fileName, node.source()), qs(key.str())),
                           u"Remove it or check the spelling (known: %1)."_s.arg(tables.join(u", "_s)));
    }

    std::optional<Failure> fail;
    for (const auto read : {readProject, readWorkspace, readFrontend, readTarget, readRuntime, readBuild, readImages})
        read(root, fileName, fail, r);

    if (fail)
        return *fail;
    if (const QString problem = r.validate(); !problem.isEmpty())
        return Failure(ErrorClass::RecipeInvalid, fileName + u": "_s + problem);
    return r;
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
