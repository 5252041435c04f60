// SPDX-License-Identifier: MIT
#include "projectscanner.h"
#include "util/format.h"

#include "util/boundedfile.h"

#include "tlsaudit.h"
#include "frontenddetect.h"
#include "foldersearch.h"
#include "workspacefacts.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <limits>

#include <toml++/toml.hpp>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

/// The largest manifest read (Cargo.toml, package.json): real ones are a few kB.
constexpr qint64 ManifestCap = 4 * 1024 * 1024;
/// The largest Cargo.lock read: big workspaces have a few MB.
constexpr qint64 LockfileCap = 64 * 1024 * 1024;

Result<QByteArray> readFile(const QString &path, qint64 cap = ManifestCap)
{
    const QFileInfo info(path);
    if (info.isSymLink() && !info.exists())
        return Failure(ErrorClass::Unreadable,
                       u"%1 is a link to %2, which does not exist (or loops back to itself)"_s.arg(
                           native(path), native(info.symLinkTarget())),
                       u"Point the link at the real file or replace it with the file."_s);
    if (info.isDir())
        return Failure(ErrorClass::Unreadable, u"%1 is a folder, not a file"_s.arg(native(path)),
                       u"Remove or rename that folder so the file can be read."_s);
    if (info.size() > cap && info.isFile())
        return Failure(ErrorClass::ManifestTooLarge,
                       u"%1 is %2, far larger than such a file can be (at most %3)"_s.arg(
                           native(path), formatBytes(info.size()),
                           formatBytes(cap)),
                       u"Check that it is the right file and not generated or damaged."_s);
    // Only a regular file, opened without blocking and read up to the cap (a link to
    // /dev/zero or a FIFO claims size 0).
    return readBoundedFile(path, cap);
}

Result<toml::table> parseToml(const QString &path)
{
    const Result<QByteArray> bytes = readFile(path);
    if (!bytes)
        return bytes.failure();
    try {
        return toml::parse(std::string_view(bytes->constData(), size_t(bytes->size())));
    } catch (const toml::parse_error &e) {
        const auto d = e.description();
        return Failure(ErrorClass::ManifestSyntax,
                       u"%1 does not parse at line %2, column %3: %4"_s.arg(native(path))
                           .arg(e.source().begin.line)
                           .arg(e.source().begin.column)
                           .arg(QString::fromUtf8(d.data(), qsizetype(d.size()))),
                       u"Fix the file (cargo would reject it too)."_s);
    }
}

QString str(const toml::node_view<const toml::node> &n)
{
    return QString::fromStdString(n.value_or(std::string()));
}

/// Members of a workspace, with trailing-"*" globs expanded.
QStringList expandMembers(const QString &root, const toml::array *members)
{
    QStringList out;
    if (!members)
        return out;
    for (const toml::node &m : *members) {
        const QString pattern = QString::fromStdString(m.value_or(std::string()));
        if (pattern.endsWith(u"/*"_s)) {
            const QString base = pattern.chopped(2);
            QDir dir(QDir(root).filePath(base));
            QStringList children = dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
            for (const QString &c : children)
                if (QFileInfo::exists(dir.filePath(c + u"/Cargo.toml"_s)))
                    out << base + u'/' + c;
        } else if (!pattern.isEmpty()) {
            out << pattern;
        }
    }
    return out;
}

struct PackageRead
{
    QString name, version, edition, rustVersion, defaultRun;
    QStringList binaries;
    QList<CrateDependency> dependencies;
};

QList<CrateDependency> readDependencies(const toml::table &t, const toml::table *workspaceDeps)
{
    QList<CrateDependency> out;
    const toml::table *deps = t["dependencies"].as_table();
    if (!deps)
        return out;
    for (const auto &[key, node] : *deps) {
        CrateDependency d;
        d.name = QString::fromUtf8(key.str().data(), qsizetype(key.str().size()));
        auto readSpec = [&d](const toml::table &spec) {
            if (auto p = spec["package"].value<std::string>())
                d.name = QString::fromStdString(*p);
            if (const toml::array *f = spec["features"].as_array())
                for (const toml::node &x : *f)
                    if (auto s = x.value<std::string>())
                        d.features << QString::fromStdString(*s);
            if (auto df = spec["default-features"].value<bool>())
                d.defaultFeatures = *df;
            if (auto o = spec["optional"].value<bool>())
                d.optional = *o;
        };
        if (const toml::table *spec = node.as_table()) {
            if (spec->get("workspace") && workspaceDeps) {
                const QByteArray k = d.name.toUtf8();
                if (const toml::node *w = workspaceDeps->get(std::string_view(k.constData(), size_t(k.size()))))
                    if (const toml::table *wt = w->as_table())
                        readSpec(*wt);
            }
            readSpec(*spec);
        }
        out << d;
    }
    return out;
}

std::optional<PackageRead> readPackage(const QString &dir, const toml::table &t, const toml::table *workspaceDeps)
{
    PackageRead p;
    const toml::table *pkg = t["package"].as_table();
    if (!pkg)
        return std::nullopt;
    p.name = str(t["package"]["name"]);
    p.version = str(t["package"]["version"]);
    p.edition = str(t["package"]["edition"]);
    p.rustVersion = str(t["package"]["rust-version"]);
    p.defaultRun = str(t["package"]["default-run"]);
    const bool autobins = t["package"]["autobins"].value_or(true);
    if (const toml::array *bins = t["bin"].as_array())
        for (const toml::node &b : *bins)
            if (const toml::table *bt = b.as_table())
                if (auto n = (*bt)["name"].value<std::string>())
                    p.binaries << QString::fromStdString(*n);
    if (autobins) {
        if (QFileInfo::exists(dir + u"/src/main.rs"_s) && !p.binaries.contains(p.name))
            p.binaries.prepend(p.name);
        QDir binDir(dir + u"/src/bin"_s);
        for (const QFileInfo &fi : binDir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
            QString n;
            if (fi.isFile() && fi.suffix() == u"rs")
                n = fi.completeBaseName();
            else if (fi.isDir() && QFileInfo::exists(fi.filePath() + u"/main.rs"_s))
                n = fi.fileName();
            if (!n.isEmpty() && !p.binaries.contains(n))
                p.binaries << n;
        }
    }
    p.dependencies = readDependencies(t, workspaceDeps);
    return p;
}

QString firstNumber(const QString &s)
{
    static const QRegularExpression re(u"(\\d+)"_s);
    const auto m = re.match(s);
    return m.hasMatch() ? m.captured(1) : QString();
}

/// Line and column of a byte offset, for JSON errors.
std::pair<int, int> lineColumn(const QByteArray &data, qsizetype offset)
{
    int line = 1, column = 1;
    for (qsizetype i = 0; i < offset && i < data.size(); ++i) {
        if (data.at(i) == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

QString resolveDir(const QString &root, const QString &dir)
{
    return QDir::cleanPath(QDir::isAbsolutePath(dir) ? dir : QDir(root).filePath(dir));
}

Status readLockfile(BackendFacts &b)
{
    if (b.lockfile.isEmpty()) {
        b.notes << u"There is no Cargo.lock next to Cargo.toml: the build resolves versions itself. Run `cargo generate-lockfile` and commit it for repeatable builds."_s;
        return {};
    }
    b.hasLockfile = true;
    const Result<QByteArray> lock = readFile(b.lockfile, LockfileCap);
    if (!lock)
        return lock.failure();
    const Result<LockAudit> audit =
        b.package.isEmpty()
            ? auditCargoLock(QString::fromUtf8(*lock), b.memberPackages, native(b.lockfile))
            : auditShippedPackage(QString::fromUtf8(*lock), b.package, b.memberPackages, native(b.lockfile));
    if (!audit)
        return audit.failure();
    b.tlsFindings = audit->findings;
    for (const QString &c : {u"cc"_s, u"ring"_s, u"openssl-sys"_s, u"libsqlite3-sys"_s, u"aws-lc-sys"_s})
        if (audit->allCrates.contains(c))
            b.needsCCompiler = true;
    return {};
}

/// DIR must be a folder holding a Cargo.toml; the manifest's path.
Result<QString> backendManifest(const QString &dirIn, const QString &dir)
{
    if (!QFileInfo(dir).isDir())
        return Failure(ErrorClass::NotAFolder, u"%1 is not a folder"_s.arg(native(dirIn)),
                       u"Choose the folder that holds the backend's Cargo.toml."_s);
    const QString manifest = dir + u"/Cargo.toml"_s;
    if (!QFileInfo::exists(manifest) && !QFileInfo(manifest).isSymLink()) {
        if (!QDir(dir).isReadable())
            return Failure(ErrorClass::Unreadable, u"Cannot read the folder %1 (permission denied)"_s.arg(native(dir)),
                           u"Check its permissions."_s);
        return Failure(ErrorClass::NoManifest, u"There is no Cargo.toml in %1"_s.arg(native(dir)),
                       u"Choose the folder of the Rust backend (the one with Cargo.toml)."_s);
    }
    return manifest;
}

/// Adds what a workspace member's manifest declares (binaries, dependencies, edition) to B.
void mergeMember(BackendFacts &b, const PackageRead &p)
{
    for (const QString &bin : std::as_const(p.binaries))
        if (!b.binaries.contains(bin))
            b.binaries << bin;
    for (const CrateDependency &d : std::as_const(p.dependencies)) {
        bool merged = false;
        for (CrateDependency &e : b.dependencies) {
            if (e.name == d.name) {
                for (const QString &f : d.features)
                    if (!e.features.contains(f))
                        e.features << f;
                e.optional = e.optional && d.optional;
                merged = true;
            }
        }
        if (!merged)
            b.dependencies << d;
    }
    if (b.edition.isEmpty())
        b.edition = p.edition;
}

/// The [workspace] of MANIFEST (already parsed as TABLE): its package defaults and its members.
Status readWorkspaceMembers(BackendFacts &b, const QString &manifest, const toml::table &table)
{
    const toml::table &workspace = *table["workspace"].as_table();
    const toml::table *workspaceDeps = workspace["dependencies"].as_table();
    if (b.edition.isEmpty())
        b.edition = str(table["workspace"]["package"]["edition"]);
    if (b.rustVersion.isEmpty())
        b.rustVersion = str(table["workspace"]["package"]["rust-version"]);
    b.workspaceMembers = expandMembers(b.dir, workspace["members"].as_array());
    for (const QString &member : std::as_const(b.workspaceMembers)) {
        const QString memberDir = QDir(b.dir).filePath(member);
        const QString memberManifest = memberDir + u"/Cargo.toml"_s;
        if (!QFileInfo::exists(memberManifest))
            return Failure(ErrorClass::ManifestInvalid,
                           u"The workspace lists the member '%1' but %2 does not exist"_s.arg(member, native(memberManifest)),
                           u"Fix [workspace] members in %1."_s.arg(native(manifest)));
        const Result<toml::table> mt = parseToml(memberManifest);
        if (!mt)
            return mt.failure();
        if (auto p = readPackage(memberDir, *mt, workspaceDeps))
            mergeMember(b, *p);
    }
    return {};
}

Failure noBinary(const QString &manifest)
{
    return Failure(ErrorClass::NoBinary,
                   u"%1 has no binary target (no src/main.rs, no [[bin]]): Gantry ships a program"_s.arg(native(manifest)),
                   u"Choose the crate that builds the server."_s);
}

} // namespace

Result<BackendFacts> ProjectScanner::scanBackend(const QString &dirIn)
{
    return scanBackendWithin(dirIn, QString());
}

Result<BackendFacts> ProjectScanner::scanBackendWithin(const QString &dirIn, const QString &boundary)
{
    const QString dir = QDir::cleanPath(QFileInfo(dirIn).absoluteFilePath());
    const Result<QString> manifest = backendManifest(dirIn, dir);
    if (!manifest)
        return manifest.failure();
    const Result<toml::table> table = parseToml(*manifest);
    if (!table)
        return table.failure();

    BackendFacts b;
    b.dir = dir;
    const toml::table *workspace = (*table)["workspace"].as_table();
    const toml::table *workspaceDeps = workspace ? (*workspace)["dependencies"].as_table() : nullptr;
    if (auto p = readPackage(dir, *table, workspaceDeps)) {
        b.packageName = p->name;
        b.version = p->version;
        b.edition = p->edition;
        b.rustVersion = p->rustVersion;
        b.binaries = p->binaries;
        b.dependencies = p->dependencies;
    } else if (!workspace) {
        return Failure(ErrorClass::ManifestInvalid, u"%1 has neither [package] nor [workspace]"_s.arg(native(*manifest)),
                       u"It is not a Cargo manifest Gantry can build."_s);
    }
    if (workspace)
        if (Status st = readWorkspaceMembers(b, *manifest, *table); !st)
            return st.failure();
    if (b.binaries.isEmpty() && !workspace)
        return noBinary(*manifest);
    if (Status st = applyWorkspace(b, boundary); !st)
        return st.failure();
    if (b.binaries.isEmpty())
        return noBinary(*manifest);
    if (b.binaries.size() > 1)
        b.notes << u"The backend has %1 binaries (%2); Gantry ships %3. Choose another with --binary or in the wizard."_s
                       .arg(b.binaries.size())
                       .arg(b.binaries.join(u", "_s), b.defaultBinary);
    if (Status st = readLockfile(b); !st)
        return st.failure();
    return b;
}

Result<FrontendFacts> ProjectScanner::scanFrontend(const QString &dirIn)
{
    return scanFrontendWithin(dirIn, QString());
}

namespace {

/// package.json in DIR, read and parsed as a JSON object.
Result<QJsonObject> readPackageJson(const QString &dirIn, const QString &dir)
{
    if (!QFileInfo(dir).isDir())
        return Failure(ErrorClass::NotAFolder, u"%1 is not a folder"_s.arg(native(dirIn)),
                       u"Choose the folder that holds the frontend's package.json."_s);
    const QString manifest = dir + u"/package.json"_s;
    if (!QFileInfo::exists(manifest) && !QFileInfo(manifest).isSymLink())
        return Failure(ErrorClass::NoManifest, u"There is no package.json in %1"_s.arg(native(dir)),
                       u"Choose the frontend's folder (the one with package.json)."_s);
    const Result<QByteArray> bytes = readFile(manifest);
    if (!bytes)
        return bytes.failure();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &pe);
    if (pe.error != QJsonParseError::NoError) {
        const auto [line, column] = lineColumn(*bytes, pe.offset);
        return Failure(ErrorClass::ManifestSyntax,
                       u"%1 is not valid JSON at line %2, column %3 (%4)"_s.arg(native(manifest))
                           .arg(line)
                           .arg(column)
                           .arg(pe.errorString()),
                       u"Fix the file; npm would reject it too."_s);
    }
    if (!doc.isObject())
        return Failure(ErrorClass::ManifestInvalid, u"%1 is not a JSON object"_s.arg(native(manifest)),
                       u"Fix the file; npm would reject it too."_s);
    return doc.object();
}

} // namespace

Result<FrontendFacts> ProjectScanner::scanFrontendWithin(const QString &dirIn, const QString &boundary)
{
    const QString dir = QDir::cleanPath(QFileInfo(dirIn).absoluteFilePath());
    const Result<QJsonObject> read = readPackageJson(dirIn, dir);
    if (!read)
        return read.failure();
    const QJsonObject &pkg = *read;
    FrontendFacts f;
    f.dir = dir;
    f.packageName = pkg.value(u"name"_s).toString();
    const QJsonObject scripts = pkg.value(u"scripts"_s).toObject();
    f.buildScript = scripts.value(u"build"_s).toString();
    if (f.buildScript.isEmpty())
        return Failure(ErrorClass::NoBuildScript,
                       u"%1 has no \"build\" script"_s.arg(native(dir + u"/package.json"_s)),
                       u"Add one to \"scripts\" (e.g. \"build\": \"vite build\") so Gantry can build the frontend."_s);
    const QJsonObject deps = pkg.value(u"dependencies"_s).toObject();
    const QJsonObject devDeps = pkg.value(u"devDependencies"_s).toObject();
    f.hasDependencies = !deps.isEmpty() || !devDeps.isEmpty();

    const FrontendToolchain tc = FrontendDetect::toolchain(dir, pkg, boundary);
    f.packageManager = tc.packageManager;
    f.lockfile = tc.lockfile;
    f.lockfileDir = tc.lockfileDir;
    f.yarnBerry = tc.yarnBerry;
    const FrontendOutput out = FrontendDetect::output(dir, pkg);
    f.tool = out.tool;
    f.outputDir = out.dir;
    f.outputReason = out.source;
    f.outputIsGuess = out.guess;
    f.outputAlternatives = out.alternatives;
    f.nodeVersion = tc.nodeVersion;
    f.nodeSource = tc.nodeSource;
    f.nodeMajor = firstNumber(f.nodeVersion);
    if (f.nodeVersion.startsWith(u">"_s) && f.nodeMajor.toInt() < 20)
        f.nodeMajor = u"20"_s; // a minimum: the current LTS satisfies it
    return f;
}

namespace {

/// ROOT is not a folder: say what it is instead (a dangling link, a file, nothing, or behind
/// a folder that may not be entered).
Failure rootNotAFolder(const QString &rootIn)
{
    const QFileInfo rootInfo(rootIn);
    const QString choose = u"choose the repository's folder (the one with the backend and the frontend)."_s;
    // The fix keeps the old sentence's words: "It is a file; choose ..." / "It does not exist; choose ...".
    if (rootInfo.isSymLink())
        return Failure(ErrorClass::NotAFolder,
                       u"%1 is a link to %2, which is not a folder (it is missing or loops back to itself)"_s.arg(
                           native(rootIn), native(rootInfo.symLinkTarget())),
                       u"Choose the repository's real folder."_s);
    if (rootInfo.exists())
        return Failure(ErrorClass::NotAFolder, u"%1 is not a folder"_s.arg(native(rootIn)), u"It is a file; "_s + choose);
    // "Does not exist" may really be "may not look": a folder on the way that cannot be entered.
    QString up = QFileInfo(QDir::cleanPath(rootInfo.absoluteFilePath())).path();
    while (!QFileInfo::exists(up) && QFileInfo(up).path() != up)
        up = QFileInfo(up).path();
    const QFileInfo ancestor(up);
    if (ancestor.isDir() && !ancestor.isExecutable())
        return Failure(ErrorClass::Unreadable,
                       u"Cannot reach %1: the folder %2 may not be entered (permission denied)"_s.arg(native(rootIn), native(up)),
                       u"Check its permissions or choose another folder."_s);
    return Failure(ErrorClass::NotFound, u"%1 is not a folder"_s.arg(native(rootIn)),
                   u"It does not exist; "_s + choose);
}

/// The backend folder under ROOT: the shallowest Cargo.toml (a workspace root over its
/// members), among equals a usual name; a note when others lie outside it.
Result<QString> findBackend(const QString &root, QStringList &notes)
{
    const QStringList found = foldersHolding(root, u"Cargo.toml"_s);
    if (found.isEmpty())
        return Failure(ErrorClass::NoManifest,
                       u"There is no Cargo.toml in %1 or the folders below it: it is not a Rust project"_s.arg(native(root)),
                       u"Choose the repository that holds the Rust backend."_s);
    auto rank = [&root](const QString &f) {
        const QString rel = QDir(root).relativeFilePath(f);
        const int depth = rel == u"." || rel.isEmpty() ? 0 : int(rel.count(u'/')) + 1;
        const bool usual = QStringList{u"backend"_s, u"server"_s, u"api"_s}.contains(QFileInfo(f).fileName());
        return depth * 2 + (usual ? 0 : 1);
    };
    QString backend = found.first();
    for (const QString &f : found)
        if (rank(f) < rank(backend))
            backend = f;
    bool othersOutside = false;
    for (const QString &f : found)
        if (f != backend && !f.startsWith(backend + u'/'))
            othersOutside = true;
    if (othersOutside)
        notes << u"Several Cargo.toml found; using %1 as the backend."_s.arg(
            QDir(root).relativeFilePath(backend).isEmpty() ? u"."_s : QDir(root).relativeFilePath(backend));
    return backend;
}

/// The frontend folder under ROOT: a package.json with a build script, the likeliest app the
/// backend serves first; empty (and a note) when there is none.
QString findFrontend(const QString &root, QStringList &notes)
{
    QString frontend;
    int best = std::numeric_limits<int>::min();
    for (const QString &c : foldersHolding(root, u"package.json"_s, 3)) {
        const Result<QByteArray> pkg = readBoundedFile(c + u"/package.json"_s, ManifestCap);
        if (!pkg)
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(*pkg);
        if (!doc.isNull() && !doc.object().value(u"scripts"_s).toObject().contains(u"build"_s))
            continue;
        const QString rel = QDir(root).relativeFilePath(c);
        const int score = doc.isNull() ? 0 : FrontendDetect::appScore(rel.isEmpty() ? u"."_s : rel, doc.object());
        if (score > best) {
            best = score;
            frontend = c;
        }
    }
    if (frontend.isEmpty())
        notes << u"No frontend found (no package.json with a build script): the image will hold the backend only."_s;
    return frontend;
}

/// The image build sees only the repository: every path crate must lie inside ROOT.
Status checkNeededDirs(const BackendFacts &b, const QString &root)
{
    for (const QString &d : std::as_const(b.neededDirs)) {
        if (d == root || d.startsWith(root + u'/'))
            continue;
        return Failure(ErrorClass::ManifestInvalid,
                       u"The backend's crates depend on the path crate in %1, outside the repository %2: the image build only sees the repository"_s
                           .arg(native(d), native(root)),
                       u"Move that crate into the repository, or depend on it by version or git URL."_s);
    }
    return {};
}

} // namespace

Result<ProjectFacts> ProjectScanner::scanRepository(const QString &rootIn, const QString &backendDir,
                                                    const QString &frontendDir)
{
    if (!QFileInfo(rootIn).isDir())
        return rootNotAFolder(rootIn);
    if (!QDir(rootIn).isReadable())
        return Failure(ErrorClass::Unreadable, u"Cannot read the folder %1 (permission denied)"_s.arg(native(rootIn)),
                       u"Check its permissions or choose another folder."_s);
    ProjectFacts facts;
    facts.repoRoot = QDir::cleanPath(QFileInfo(rootIn).absoluteFilePath());
    const QString root = facts.repoRoot;

    const Result<QString> backend =
        backendDir.isEmpty() ? findBackend(root, facts.notes) : Result<QString>(resolveDir(root, backendDir));
    if (!backend)
        return backend.failure();
    Result<BackendFacts> b = scanBackendWithin(*backend, root);
    if (!b)
        return b.failure();
    facts.backend = std::move(b).value();
    if (Status st = checkNeededDirs(facts.backend, root); !st)
        return st.failure();

    const QString frontend = frontendDir.isEmpty() ? findFrontend(root, facts.notes) : resolveDir(root, frontendDir);
    if (!frontend.isEmpty()) {
        Result<FrontendFacts> f = scanFrontendWithin(frontend, root);
        if (!f)
            return f.failure();
        facts.frontend = std::move(f).value();
    }
    return facts;
}

} // namespace Gantry
