// SPDX-License-Identifier: MIT
#include "cargoworkspace.h"
#include "cargoworkspace_p.h"

#include "util/boundedfile.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

#include <toml++/toml.hpp>

using namespace Qt::StringLiterals;

namespace Gantry {

QStringList CargoPackage::binaries() const
{
    QStringList out;
    for (const CargoTarget &t : targets)
        if (t.kind == u"bin")
            out << t.name;
    return out;
}

const CargoTarget *CargoPackage::binary(const QString &n) const
{
    for (const CargoTarget &t : targets)
        if (t.kind == u"bin" && t.name == n)
            return &t;
    return nullptr;
}

QStringList CargoPackage::missingFeatures(const CargoTarget &bin) const
{
    QStringList out;
    for (const QString &f : bin.requiredFeatures)
        if (!defaultFeatures.contains(f))
            out << f;
    return out;
}

const CargoPackage *CargoWorkspace::package(const QString &n) const
{
    for (const CargoPackage &p : members)
        if (p.name == n)
            return &p;
    return nullptr;
}

const CargoPackage *CargoWorkspace::packageAt(const QString &dir) const
{
    const QString d = QDir::cleanPath(dir);
    for (const CargoPackage &p : members)
        if (p.dir == d)
            return &p;
    return nullptr;
}

QStringList CargoWorkspace::pathClosure(const QString &packageName) const
{
    QStringList out;
    const CargoPackage *start = package(packageName);
    if (!start)
        return out;
    QList<const CargoPackage *> todo{start};
    while (!todo.isEmpty()) {
        const CargoPackage *p = todo.takeFirst();
        if (out.contains(p->dir))
            continue;
        out << p->dir;
        for (const CargoDependency &d : p->dependencies) {
            if (d.source != CargoDependency::Source::Path || d.dev)
                continue;
            if (const CargoPackage *m = packageAt(d.path))
                todo << m;
            else if (!out.contains(QDir::cleanPath(d.path)))
                out << QDir::cleanPath(d.path); // a path crate that is not a member: its folder still goes along
        }
    }
    for (const QString &patch : patchPaths)
        if (!out.contains(patch))
            out << patch;
    return out;
}

namespace {

QString qs(std::string_view v)
{
    return QString::fromUtf8(v.data(), qsizetype(v.size()));
}

QString native(const QString &p)
{
    return QDir::toNativeSeparators(p);
}

Result<toml::table> parseManifest(const QString &path)
{
    // Only a small regular file: a link to /dev/zero or a FIFO in a hostile repository
    // must neither hang the scan nor fill the memory.
    Result<QByteArray> read = readBoundedFile(path, 4 * 1024 * 1024);
    if (!read)
        return read.failure();
    const QByteArray bytes = std::move(read).value();
    try {
        return toml::parse(std::string_view(bytes.constData(), size_t(bytes.size())));
    } catch (const toml::parse_error &e) {
        return Failure(ErrorClass::ManifestSyntax,
                       u"%1 does not parse at line %2, column %3: %4"_s.arg(native(path))
                           .arg(e.source().begin.line)
                           .arg(e.source().begin.column)
                           .arg(qs(e.description())),
                       u"Fix the file (cargo would reject it too)."_s);
    }
}

QStringList stringArray(const toml::node *n)
{
    QStringList out;
    if (const toml::array *a = n ? n->as_array() : nullptr)
        for (const toml::node &x : *a)
            if (auto s = x.value<std::string>())
                out << QString::fromStdString(*s);
    return out;
}

/// The glob as a regular expression over '/'-separated relative paths.
QRegularExpression globRegex(const QString &pattern)
{
    QString re = u"^"_s;
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c == u'*' && i + 1 < pattern.size() && pattern.at(i + 1) == u'*') {
            re += u".*"_s;
            ++i;
        } else if (c == u'*') {
            re += u"[^/]*"_s;
        } else if (c == u'?') {
            re += u"[^/]"_s;
        } else {
            re += QRegularExpression::escape(QString(c));
        }
    }
    return QRegularExpression(re + u'$');
}

/// Folders below ROOT (relative, '/'-separated) matching a member pattern and holding a Cargo.toml,
/// expanded one path segment at a time (so node_modules and target are never walked).
QStringList expandPattern(const QString &root, const QString &pattern)
{
    const QString clean = QDir::cleanPath(pattern);
    if (!clean.contains(u'*') && !clean.contains(u'?') && !clean.contains(u'['))
        return {clean};
    QStringList partial{QString()};
    const QStringList segments = clean.split(u'/');
    for (const QString &seg : segments) {
        QStringList next;
        for (const QString &base : std::as_const(partial)) {
            const QString prefix = base.isEmpty() ? QString() : base + u'/';
            if (seg == u"**") {
                QDirIterator it(root + u'/' + base, QDir::Dirs | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
                next << base;
                while (it.hasNext())
                    next << QDir(root).relativeFilePath(it.next());
            } else if (seg.contains(u'*') || seg.contains(u'?') || seg.contains(u'[')) {
                const QRegularExpression re = globRegex(seg);
                for (const QString &c : QDir(root + u'/' + base).entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
                    if (re.match(c).hasMatch())
                        next << prefix + c;
            } else {
                next << prefix + seg;
            }
        }
        partial = next;
    }
    QStringList out;
    for (const QString &rel : std::as_const(partial))
        if (QFileInfo(root + u'/' + rel + u"/Cargo.toml"_s).isFile() && !out.contains(rel))
            out << rel;
    out.sort();
    return out;
}

struct WorkspaceTables
{
    const toml::table *package = nullptr;      ///< [workspace.package]
    const toml::table *dependencies = nullptr; ///< [workspace.dependencies]
    QString root;
};

/// A [package] field, or the workspace's when it says `field.workspace = true`.
QString packageField(const toml::table &pkg, const char *key, const WorkspaceTables &ws)
{
    const toml::node *n = pkg.get(key);
    if (!n)
        return {};
    if (auto s = n->value<std::string>())
        return QString::fromStdString(*s);
    if (const toml::table *t = n->as_table(); t && (*t)["workspace"].value_or(false) && ws.package)
        return QString::fromStdString((*ws.package)[key].value_or(std::string()));
    return {};
}

CargoDependency readDependency(const QString &key, const toml::node &node, const QString &baseDir,
                               const WorkspaceTables &ws)
{
    CargoDependency d;
    d.name = key;
    auto readSpec = [&d](const toml::table &spec, const QString &dir) {
        if (auto p = spec["package"].value<std::string>())
            d.name = QString::fromStdString(*p);
        d.features << stringArray(spec.get("features"));
        if (auto df = spec["default-features"].value<bool>())
            d.defaultFeatures = *df;
        if (auto df = spec["default_features"].value<bool>())
            d.defaultFeatures = *df;
        if (auto o = spec["optional"].value<bool>())
            d.optional = *o;
        if (auto p = spec["path"].value<std::string>()) {
            d.source = CargoDependency::Source::Path;
            d.path = QDir::cleanPath(QDir(dir).absoluteFilePath(QString::fromStdString(*p)));
        } else if (spec.contains("git")) {
            d.source = CargoDependency::Source::Git;
        }
    };
    if (const toml::table *spec = node.as_table()) {
        if ((*spec)["workspace"].value_or(false) && ws.dependencies) {
            const QByteArray k = key.toUtf8();
            if (const toml::node *w = ws.dependencies->get(std::string_view(k.constData(), size_t(k.size())))) {
                if (const toml::table *wt = w->as_table())
                    readSpec(*wt, ws.root);
            }
        }
        const bool optional = d.optional;
        readSpec(*spec, baseDir);
        d.optional = d.optional || optional;
    }
    return d;
}

void readDependencyTable(const toml::table &t, const char *table, bool dev, const QString &dir,
                         const WorkspaceTables &ws, QList<CargoDependency> &out)
{
    if (const toml::table *deps = t[table].as_table()) {
        for (const auto &[key, node] : *deps) {
            CargoDependency d = readDependency(qs(key.str()), node, dir, ws);
            d.dev = dev;
            out << d;
        }
    }
}

QList<CargoDependency> readDependencies(const toml::table &t, const QString &dir, const WorkspaceTables &ws)
{
    QList<CargoDependency> out;
    readDependencyTable(t, "dependencies", false, dir, ws, out);
    readDependencyTable(t, "build-dependencies", false, dir, ws, out);
    readDependencyTable(t, "build_dependencies", false, dir, ws, out);
    readDependencyTable(t, "dev-dependencies", true, dir, ws, out);
    if (const toml::table *targets = t["target"].as_table()) {
        for (const auto &[cfg, node] : *targets) {
            if (const toml::table *ct = node.as_table()) {
                readDependencyTable(*ct, "dependencies", false, dir, ws, out);
                readDependencyTable(*ct, "build-dependencies", false, dir, ws, out);
                readDependencyTable(*ct, "dev-dependencies", true, dir, ws, out);
            }
        }
    }
    return out;
}

QStringList expandedDefaultFeatures(const toml::table &t)
{
    const toml::table *features = t["features"].as_table();
    QStringList out;
    if (!features)
        return out;
    QStringList todo = stringArray(features->get("default"));
    while (!todo.isEmpty()) {
        const QString f = todo.takeFirst();
        if (out.contains(f))
            continue;
        out << f;
        if (f.contains(u'/') || f.startsWith(u"dep:"_s))
            continue;
        const QByteArray k = f.toUtf8();
        todo << stringArray(features->get(std::string_view(k.constData(), size_t(k.size()))));
    }
    return out;
}

bool isFile(const QString &dir, const QString &rel)
{
    return QFileInfo(dir + u'/' + rel).isFile();
}

/// Cargo's inferred targets of one kind: (name, path) pairs.
QList<std::pair<QString, QString>> inferredTargets(const QString &dir, const QString &folder)
{
    QList<std::pair<QString, QString>> out;
    const QDir d(dir + u'/' + folder);
    for (const QFileInfo &fi : d.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        if (fi.isFile() && fi.suffix() == u"rs")
            out.append({fi.completeBaseName(), folder + u'/' + fi.fileName()});
        else if (fi.isDir() && QFileInfo(fi.filePath() + u"/main.rs"_s).isFile())
            out.append({fi.fileName(), folder + u'/' + fi.fileName() + u"/main.rs"_s});
    }
    return out;
}

/// The path Cargo assumes for an explicit target without `path`.
QString defaultTargetPath(const QString &dir, const QString &kind, const QString &name, const QString &packageName)
{
    const QString folder = kind == u"bin" ? u"src/bin"_s
                           : kind == u"example" ? u"examples"_s
                           : kind == u"test"    ? u"tests"_s
                                                : u"benches"_s;
    if (kind == u"bin" && name == packageName && isFile(dir, u"src/main.rs"_s))
        return u"src/main.rs"_s;
    for (const QString &candidate : QStringList{folder + u'/' + name + u".rs"_s, folder + u'/' + name + u"/main.rs"_s})
        if (isFile(dir, candidate))
            return candidate;
    if (kind == u"bin" && isFile(dir, u"src/main.rs"_s) && name == packageName)
        return u"src/main.rs"_s;
    return folder + u'/' + name + u".rs"_s;
}

QList<CargoTarget> readTargetsOfKind(const toml::table &t, const QString &dir, const QString &packageName,
                                     const QString &kind, const char *table, const char *autoKey,
                                     const QString &folder, const QString &implicitMain)
{
    QList<CargoTarget> explicitTargets;
    if (const toml::array *arr = t[table].as_array()) {
        for (const toml::node &n : *arr) {
            const toml::table *bt = n.as_table();
            if (!bt)
                continue;
            CargoTarget target;
            target.kind = kind;
            target.name = QString::fromStdString((*bt)["name"].value_or(std::string()));
            const QString path = QString::fromStdString((*bt)["path"].value_or(std::string()));
            if (target.name.isEmpty() && !path.isEmpty())
                target.name = QFileInfo(path).completeBaseName();
            target.path = path.isEmpty() ? defaultTargetPath(dir, kind, target.name, packageName) : QDir::cleanPath(path);
            target.requiredFeatures = stringArray(bt->get("required-features"));
            // Cargo leaves out an example, test or bench without `path` whose file is not there.
            if (kind != u"bin" && path.isEmpty() && !isFile(dir, target.path))
                continue;
            explicitTargets << target;
        }
    }
    QList<CargoTarget> out = explicitTargets;
    const bool autodiscover = t["package"][autoKey].value_or(true);
    if (!autodiscover)
        return out;
    QList<std::pair<QString, QString>> inferred;
    if (!implicitMain.isEmpty() && isFile(dir, implicitMain))
        inferred.append({packageName, implicitMain});
    inferred << inferredTargets(dir, folder);
    for (const auto &[name, path] : inferred) {
        bool taken = false;
        for (const CargoTarget &e : explicitTargets)
            taken = taken || e.name == name || e.path == path;
        if (!taken)
            out << CargoTarget{kind, name, path, {}};
    }
    return out;
}

QList<CargoTarget> readTargets(const toml::table &t, const QString &dir, const QString &packageName)
{
    QList<CargoTarget> out;
    const toml::table *lib = t["lib"].as_table();
    QString libPath = lib ? QString::fromStdString((*lib)["path"].value_or(std::string())) : QString();
    if (libPath.isEmpty() && (lib || (t["package"]["autolib"].value_or(true) && isFile(dir, u"src/lib.rs"_s))))
        libPath = u"src/lib.rs"_s;
    if (!libPath.isEmpty()) {
        QString libName = lib ? QString::fromStdString((*lib)["name"].value_or(std::string())) : QString();
        if (libName.isEmpty())
            libName = QString(packageName).replace(u'-', u'_');
        out << CargoTarget{u"lib"_s, libName, QDir::cleanPath(libPath), {}};
    }
    out << readTargetsOfKind(t, dir, packageName, u"bin"_s, "bin", "autobins", u"src/bin"_s, u"src/main.rs"_s);
    out << readTargetsOfKind(t, dir, packageName, u"example"_s, "example", "autoexamples", u"examples"_s, {});
    out << readTargetsOfKind(t, dir, packageName, u"test"_s, "test", "autotests", u"tests"_s, {});
    out << readTargetsOfKind(t, dir, packageName, u"bench"_s, "bench", "autobenches", u"benches"_s, {});
    return out;
}

Result<CargoPackage> readPackage(const QString &dir, const toml::table &t, const WorkspaceTables &ws)
{
    const toml::table *pkg = t["package"].as_table();
    if (!pkg)
        pkg = t["project"].as_table();
    if (!pkg)
        return Failure(ErrorClass::ManifestInvalid, u"%1 has no [package] section"_s.arg(native(dir + u"/Cargo.toml"_s)),
                       u"Choose the crate's folder, or add the missing [package]."_s);
    CargoPackage p;
    p.dir = QDir::cleanPath(dir);
    p.name = QString::fromStdString((*pkg)["name"].value_or(std::string()));
    p.version = packageField(*pkg, "version", ws);
    p.edition = packageField(*pkg, "edition", ws);
    p.rustVersion = packageField(*pkg, "rust-version", ws);
    p.defaultRun = QString::fromStdString((*pkg)["default-run"].value_or(std::string()));
    const toml::node *build = pkg->get("build");
    p.hasBuildScript = build ? (build->is_string() || build->value_or(false)) : isFile(dir, u"build.rs"_s);
    p.targets = readTargets(t, p.dir, p.name);
    p.dependencies = readDependencies(t, p.dir, ws);
    p.defaultFeatures = expandedDefaultFeatures(t);
    return p;
}

QStringList readPatchPaths(const toml::table &t, const QString &root)
{
    QStringList out;
    if (const toml::table *patch = t["patch"].as_table())
        for (const auto &[registry, node] : *patch)
            if (const toml::table *entries = node.as_table())
                for (const auto &[name, spec] : *entries)
                    if (auto p = spec.as_table() ? (*spec.as_table())["path"].value<std::string>() : std::nullopt)
                        out << QDir::cleanPath(QDir(root).absoluteFilePath(QString::fromStdString(*p)));
    return out;
}

bool excluded(const toml::table &ws, const QString &root, const QString &dir)
{
    const QString rel = QDir(root).relativeFilePath(dir);
    for (const QString &ex : stringArray(ws.get("exclude")))
        if (rel == QDir::cleanPath(ex) || rel.startsWith(QDir::cleanPath(ex) + u'/') || Cargo::globMatch(ex, rel))
            return true;
    return false;
}

bool listsMember(const toml::table &ws, const QString &root, const QString &dir)
{
    const QString rel = QDir(root).relativeFilePath(dir);
    if (excluded(ws, root, dir))
        return false;
    for (const QString &m : stringArray(ws.get("members")))
        if (Cargo::globMatch(QDir::cleanPath(m), rel))
            return true;
    return false;
}

QStringList defaultMembers(const toml::table &ws, const QString &root)
{
    QStringList out;
    for (const QString &pattern : stringArray(ws.get("default-members")))
        for (const QString &rel : expandPattern(root, pattern))
            out << QDir::cleanPath(root + u'/' + rel);
    return out;
}

/// The folder whose Cargo.toml is DIR's workspace root (DIR itself when it has no [workspace] above).
QString findWorkspaceRoot(const QString &dir, const QString &boundary, const toml::table &own)
{
    if (own.contains("workspace"))
        return dir;
    QString up = QFileInfo(dir).path();
    const QString stop = QDir::cleanPath(boundary);
    while (up.startsWith(stop) && up != dir) {
        const QString manifest = up + u"/Cargo.toml"_s;
        if (QFileInfo(manifest).isFile()) {
            if (auto t = parseManifest(manifest); t && t->contains("workspace")) {
                const toml::table *w = (*t)["workspace"].as_table();
                return w && listsMember(*w, up, dir) ? up : dir;
            }
        }
        if (up == stop || QFileInfo(up).path() == up)
            break;
        up = QFileInfo(up).path();
    }
    return dir;
}

} // namespace

bool Cargo::globMatch(const QString &pattern, const QString &path)
{
    return globRegex(QDir::cleanPath(pattern)).match(QDir::cleanPath(path)).hasMatch();
}

Result<CargoWorkspace> Cargo::readWorkspace(const QString &dirIn, const QString &boundary)
{
    const QString dir = QDir::cleanPath(QFileInfo(dirIn).absoluteFilePath());
    auto own = parseManifest(dir + u"/Cargo.toml"_s);
    if (!own)
        return own.failure();
    CargoWorkspace ws;
    ws.source = u"Gantry's reader of Cargo.toml"_s;
    ws.root = findWorkspaceRoot(dir, boundary.isEmpty() ? dir : boundary, *own);
    auto rootTable = ws.root == dir ? own : parseManifest(ws.root + u"/Cargo.toml"_s);
    if (!rootTable)
        return rootTable.failure();
    const toml::table *w = (*rootTable)["workspace"].as_table();
    WorkspaceTables tables;
    tables.root = ws.root;
    tables.package = w ? (*w)["package"].as_table() : nullptr;
    tables.dependencies = w ? (*w)["dependencies"].as_table() : nullptr;
    ws.virtualManifest = w && !rootTable->contains("package");
    QStringList memberDirs;
    if (rootTable->contains("package"))
        memberDirs << ws.root;
    if (w) {
        for (const QString &pattern : stringArray(w->get("members")))
            for (const QString &rel : expandPattern(ws.root, pattern)) {
                const QString abs = QDir::cleanPath(ws.root + u'/' + rel);
                if (!memberDirs.contains(abs) && listsMember(*w, ws.root, abs))
                    memberDirs << abs;
            }
        ws.defaultMembers = defaultMembers(*w, ws.root);
        ws.patchPaths = readPatchPaths(*rootTable, ws.root);
    }
    for (qsizetype i = 0; i < memberDirs.size(); ++i) {
        const QString m = memberDirs.at(i);
        if (!QFileInfo(m + u"/Cargo.toml"_s).isFile())
            return Failure(ErrorClass::ManifestInvalid,
                           u"%1 lists the workspace member %2, which has no Cargo.toml"_s.arg(
                               native(ws.root + u"/Cargo.toml"_s), QDir(ws.root).relativeFilePath(m)),
                           u"Fix the members list or add the crate (cargo would reject it too)."_s);
        auto t = m == ws.root ? rootTable : parseManifest(m + u"/Cargo.toml"_s);
        if (!t)
            return t.failure();
        auto p = readPackage(m, *t, tables);
        if (!p)
            return p.failure();
        ws.members << *p;
        // Cargo: every path dependency inside the workspace's folder is a member too.
        if (w)
            for (const CargoDependency &d : p->dependencies)
                if (d.source == CargoDependency::Source::Path && d.path.startsWith(ws.root + u'/')
                    && !memberDirs.contains(d.path) && !excluded(*w, ws.root, d.path)
                    && QFileInfo(d.path + u"/Cargo.toml"_s).isFile())
                    memberDirs << d.path;
    }
    return ws;
}

void readRootManifestFacts(CargoWorkspace &ws)
{
    if (!QFileInfo(ws.root + u"/Cargo.toml"_s).isFile())
        return;
    if (auto t = parseManifest(ws.root + u"/Cargo.toml"_s)) {
        ws.patchPaths = readPatchPaths(*t, ws.root);
        if (const toml::table *w = (*t)["workspace"].as_table())
            ws.defaultMembers = defaultMembers(*w, ws.root);
    }
}

} // namespace Gantry
