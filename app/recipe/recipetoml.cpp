// SPDX-License-Identifier: MIT
// BuildRecipe::fromToml: gantry.toml read with toml++, key by key, every mistake one Failure
// with its line and column (the writer, toToml(), is in buildrecipe.cpp).
#include "buildrecipe.h"
#include "util/format.h"

#include "recipegrammar.h"

#include <QRegularExpression>

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


} // namespace Gantry
