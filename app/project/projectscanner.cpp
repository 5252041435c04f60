// SPDX-License-Identifier: MIT
#include "projectscanner.h"

#include "util/boundedfile.h"

#include "tlsaudit.h"
#include "cargoworkspace.h"
#include "binarychoice.h"
#include "frontenddetect.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QStandardPaths>

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

std::optional<QByteArray> readFile(const QString &path, QString *error, ErrorClass *cls = nullptr,
                                   qint64 cap = ManifestCap)
{
    const QFileInfo info(path);
    if (info.isSymLink() && !info.exists()) {
        *error = u"%1 is a link to %2, which does not exist (or loops back to itself). Point the link at the real file or replace it with the file."_s
                     .arg(native(path), native(info.symLinkTarget()));
        setErrorClass(cls, ErrorClass::Unreadable);
        return std::nullopt;
    }
    if (info.isDir()) {
        *error = u"%1 is a folder, not a file. Remove or rename that folder so the file can be read."_s.arg(native(path));
        setErrorClass(cls, ErrorClass::Unreadable);
        return std::nullopt;
    }
    if (info.size() > cap && info.isFile()) {
        *error = u"%1 is %2, far larger than such a file can be (at most %3). Check that it is the right file and not generated or damaged."_s
                     .arg(native(path), QLocale::system().formattedDataSize(info.size()), QLocale::system().formattedDataSize(cap));
        setErrorClass(cls, ErrorClass::ManifestTooLarge);
        return std::nullopt;
    }
    // Only a regular file, opened without blocking and read up to the cap (a link to
    // /dev/zero or a FIFO claims size 0).
    Result<QByteArray> bytes = readBoundedFile(path, cap);
    if (!bytes) {
        *error = bytes.failure().sentence();
        setErrorClass(cls, bytes.failure().errorClass);
        return std::nullopt;
    }
    return std::move(bytes).value();
}

std::optional<toml::table> parseToml(const QString &path, QString *error, ErrorClass *cls = nullptr)
{
    const auto bytes = readFile(path, error, cls);
    if (!bytes)
        return std::nullopt;
    try {
        return toml::parse(std::string_view(bytes->constData(), size_t(bytes->size())));
    } catch (const toml::parse_error &e) {
        setErrorClass(cls, ErrorClass::ManifestSyntax);
        const auto d = e.description();
        *error = u"%1 does not parse at line %2, column %3: %4. Fix the file (cargo would reject it too)."_s
                     .arg(native(path))
                     .arg(e.source().begin.line)
                     .arg(e.source().begin.column)
                     .arg(QString::fromUtf8(d.data(), qsizetype(d.size())));
        return std::nullopt;
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

bool skippedFolder(const QString &name)
{
    return name.startsWith(u'.') || name == u"node_modules" || name == u"target" || name == u"dist"
           || name == u"build" || name == u"vendor";
}

/// FILE is there (a link that leads nowhere counts: reading it then says what is wrong).
bool present(const QString &path)
{
    const QFileInfo fi(path);
    return fi.exists() || fi.isSymLink();
}

/// Folders up to DEPTH levels below root (root itself first, then breadth-first by name) that hold FILE.
QStringList candidates(const QString &root, const QString &file, int depth = 2)
{
    QStringList out;
    QStringList level{root};
    for (int d = 0; d <= depth && !level.isEmpty(); ++d) {
        QStringList next;
        for (const QString &dir : std::as_const(level)) {
            if (present(dir + u'/' + file))
                out << dir;
            if (d == depth)
                continue;
            const QDir r(dir);
            for (const QString &a : r.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
                if (!skippedFolder(a))
                    next << r.filePath(a);
        }
        level = next;
    }
    return out;
}

QString resolveDir(const QString &root, const QString &dir)
{
    return QDir::cleanPath(QDir::isAbsolutePath(dir) ? dir : QDir(root).filePath(dir));
}

/// The cargo to ask for metadata: $GANTRY_CARGO ("none" turns it off), else cargo on PATH.
QString cargoProgram()
{
    const QString env = qEnvironmentVariable("GANTRY_CARGO");
    if (env == u"none" || env == u"0")
        return {};
    if (!env.isEmpty())
        return env;
    return QStandardPaths::findExecutable(u"cargo"_s);
}

Result<CargoWorkspace> loadWorkspace(const QString &dir, const QString &boundary, QStringList &notes)
{
    if (const QString cargo = cargoProgram(); !cargo.isEmpty()) {
        auto m = Cargo::runMetadata(cargo, dir);
        if (m)
            return m;
        notes << m.failure().cause + u"; Gantry read Cargo.toml itself instead."_s;
    }
    return Cargo::readWorkspace(dir, boundary);
}

/// The direct dependencies of every member, merged by name, marked local (path/git) and with who uses them.
QList<CrateDependency> workspaceDependencies(const CargoWorkspace &ws)
{
    QList<CrateDependency> out;
    for (const CargoPackage &p : ws.members) {
        for (const CargoDependency &d : p.dependencies) {
            if (d.dev)
                continue;
            const bool local = d.source != CargoDependency::Source::Registry;
            auto it = std::find_if(out.begin(), out.end(), [&d](const CrateDependency &e) { return e.name == d.name; });
            if (it == out.end()) {
                out << CrateDependency{d.name, d.features, d.defaultFeatures, d.optional, local, {p.name}};
                continue;
            }
            for (const QString &f : d.features)
                if (!it->features.contains(f))
                    it->features << f;
            it->optional = it->optional && d.optional;
            it->local = it->local || local;
            if (!it->usedBy.contains(p.name))
                it->usedBy << p.name;
        }
    }
    return out;
}

bool applyWorkspace(BackendFacts &b, const QString &boundary, QString &err, ErrorClass *cls)
{
    auto ws = loadWorkspace(b.dir, boundary, b.notes);
    if (!ws) {
        err = ws.failure().sentence();
        setErrorClass(cls, ws.failure().errorClass);
        return false;
    }
    b.metadataSource = ws->source;
    b.workspaceRoot = ws->root;
    for (const CargoPackage &m : ws->members) {
        b.workspaceMemberDirs << m.dir;
        b.memberPackages << m.name;
        QStringList files;
        for (const CargoTarget &t : m.targets)
            if (t.kind == u"lib" || t.kind == u"bin")
                files << t.path;
        b.targetFiles.insert(m.dir, files);
    }
    const CargoPackage *own = b.dir != ws->root ? ws->packageAt(b.dir) : nullptr;
    b.candidates.clear();
    for (const BinaryCandidate &c : rankBinaries(*ws))
        if (!own || c.package == own->name)
            b.candidates << c;
    b.binaries.clear();
    for (const CargoPackage &m : ws->members)
        if (!own || &m == own)
            for (const QString &bin : m.binaries())
                if (!b.binaries.contains(bin))
                    b.binaries << bin;
    b.dependencies = workspaceDependencies(*ws);
    if (QFileInfo(ws->root + u"/Cargo.lock"_s).isFile())
        b.lockfile = ws->root + u"/Cargo.lock"_s;
    for (const QString &c : {u"/.cargo/config.toml"_s, u"/.cargo/config"_s})
        if (b.cargoConfig.isEmpty() && QFileInfo(ws->root + c).isFile())
            b.cargoConfig = ws->root + c;
    if (b.candidates.isEmpty())
        return true;
    const BinaryCandidate &best = b.candidates.first();
    b.defaultBinary = best.binary;
    b.package = best.package;
    b.packageDir = best.packageDir;
    b.neededDirs = ws->pathClosure(best.package);
    for (const QString &d : std::as_const(b.neededDirs))
        if (const CargoPackage *p = ws->packageAt(d))
            b.neededPackages << p->name;
    if (const CargoPackage *p = ws->package(best.package)) {
        if (b.edition.isEmpty())
            b.edition = p->edition;
        if (b.rustVersion.isEmpty())
            b.rustVersion = p->rustVersion;
        if (b.version.isEmpty())
            b.version = p->version;
    }
    if (!best.missingFeatures.isEmpty())
        b.notes << u"%1 needs the feature(s) %2, which a plain build does not turn on."_s.arg(
            best.binary, best.missingFeatures.join(u", "_s));
    return true;
}

bool readLockfile(BackendFacts &b, QString &err, ErrorClass *cls)
{
    if (b.lockfile.isEmpty()) {
        b.notes << u"There is no Cargo.lock next to Cargo.toml: the build resolves versions itself. Run `cargo generate-lockfile` and commit it for repeatable builds."_s;
        return true;
    }
    b.hasLockfile = true;
    const auto lock = readFile(b.lockfile, &err, cls, LockfileCap);
    if (!lock)
        return false;
    QStringList crates;
    const bool ok = b.package.isEmpty()
                        ? auditCargoLock(QString::fromUtf8(*lock), b.memberPackages, &b.tlsFindings, &crates, &err, native(b.lockfile))
                        : auditShippedPackage(QString::fromUtf8(*lock), b.package, b.memberPackages, &b.tlsFindings, &crates,
                                              &err, native(b.lockfile));
    if (!ok) {
        setErrorClass(cls, ErrorClass::ManifestSyntax);
        return false;
    }
    for (const QString &c : {u"cc"_s, u"ring"_s, u"openssl-sys"_s, u"libsqlite3-sys"_s, u"aws-lc-sys"_s})
        if (crates.contains(c))
            b.needsCCompiler = true;
    return true;
}

} // namespace

std::optional<BackendFacts> ProjectScanner::scanBackend(const QString &dirIn, QString *error, ErrorClass *cls)
{
    return scanBackendWithin(dirIn, QString(), error, cls);
}

std::optional<BackendFacts> ProjectScanner::scanBackendWithin(const QString &dirIn, const QString &boundary, QString *error,
                                                              ErrorClass *cls)
{
    QString dummy;
    QString &err = error ? *error : dummy;
    setErrorClass(cls, ErrorClass::None);
    const QString dir = QDir::cleanPath(QFileInfo(dirIn).absoluteFilePath());
    if (!QFileInfo(dir).isDir()) {
        err = u"%1 is not a folder. Choose the folder that holds the backend's Cargo.toml."_s.arg(native(dirIn));
        setErrorClass(cls, ErrorClass::NotAFolder);
        return std::nullopt;
    }
    const QString manifest = dir + u"/Cargo.toml"_s;
    if (!QFileInfo::exists(manifest) && !QFileInfo(manifest).isSymLink()) {
        if (!QDir(dir).isReadable()) {
            err = u"Cannot read the folder %1 (permission denied). Check its permissions."_s.arg(native(dir));
            setErrorClass(cls, ErrorClass::Unreadable);
            return std::nullopt;
        }
        err = u"There is no Cargo.toml in %1. Choose the folder of the Rust backend (the one with Cargo.toml)."_s.arg(
            native(dir));
        setErrorClass(cls, ErrorClass::NoManifest);
        return std::nullopt;
    }
    const auto table = parseToml(manifest, &err, cls);
    if (!table)
        return std::nullopt;

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
        err = u"%1 has neither [package] nor [workspace]. It is not a Cargo manifest Gantry can build."_s.arg(
            native(manifest));
        setErrorClass(cls, ErrorClass::ManifestInvalid);
        return std::nullopt;
    }
    if (workspace) {
        if (b.edition.isEmpty())
            b.edition = str((*table)["workspace"]["package"]["edition"]);
        if (b.rustVersion.isEmpty())
            b.rustVersion = str((*table)["workspace"]["package"]["rust-version"]);
        b.workspaceMembers = expandMembers(dir, (*workspace)["members"].as_array());
        for (const QString &member : std::as_const(b.workspaceMembers)) {
            const QString memberDir = QDir(dir).filePath(member);
            const QString memberManifest = memberDir + u"/Cargo.toml"_s;
            if (!QFileInfo::exists(memberManifest)) {
                err = u"The workspace lists the member '%1' but %2 does not exist. Fix [workspace] members in %3."_s.arg(
                    member, native(memberManifest), native(manifest));
                setErrorClass(cls, ErrorClass::ManifestInvalid);
                return std::nullopt;
            }
            const auto mt = parseToml(memberManifest, &err, cls);
            if (!mt)
                return std::nullopt;
            if (auto p = readPackage(memberDir, *mt, workspaceDeps)) {
                for (const QString &bin : std::as_const(p->binaries))
                    if (!b.binaries.contains(bin))
                        b.binaries << bin;
                for (const CrateDependency &d : std::as_const(p->dependencies)) {
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
                    b.edition = p->edition;
            }
        }
    }
    if (b.binaries.isEmpty() && !workspace) {
        err = u"%1 has no binary target (no src/main.rs, no [[bin]]): Gantry ships a program. Choose the crate that builds the server."_s
                  .arg(native(manifest));
        setErrorClass(cls, ErrorClass::NoBinary);
        return std::nullopt;
    }
    if (!applyWorkspace(b, boundary, err, cls))
        return std::nullopt;
    if (b.binaries.isEmpty()) {
        err = u"%1 has no binary target (no src/main.rs, no [[bin]]): Gantry ships a program. Choose the crate that builds the server."_s
                  .arg(native(manifest));
        setErrorClass(cls, ErrorClass::NoBinary);
        return std::nullopt;
    }
    if (b.binaries.size() > 1)
        b.notes << u"The backend has %1 binaries (%2); Gantry ships %3. Choose another with --binary or in the wizard."_s
                       .arg(b.binaries.size())
                       .arg(b.binaries.join(u", "_s), b.defaultBinary);
    return readLockfile(b, err, cls) ? std::optional<BackendFacts>(b) : std::nullopt;
}

std::optional<FrontendFacts> ProjectScanner::scanFrontend(const QString &dirIn, QString *error, ErrorClass *cls)
{
    return scanFrontendWithin(dirIn, QString(), error, cls);
}

std::optional<FrontendFacts> ProjectScanner::scanFrontendWithin(const QString &dirIn, const QString &boundary,
                                                                QString *error, ErrorClass *cls)
{
    QString dummy;
    QString &err = error ? *error : dummy;
    setErrorClass(cls, ErrorClass::None);
    const QString dir = QDir::cleanPath(QFileInfo(dirIn).absoluteFilePath());
    if (!QFileInfo(dir).isDir()) {
        err = u"%1 is not a folder. Choose the folder that holds the frontend's package.json."_s.arg(native(dirIn));
        setErrorClass(cls, ErrorClass::NotAFolder);
        return std::nullopt;
    }
    const QString manifest = dir + u"/package.json"_s;
    if (!QFileInfo::exists(manifest) && !QFileInfo(manifest).isSymLink()) {
        err = u"There is no package.json in %1. Choose the frontend's folder (the one with package.json)."_s.arg(
            native(dir));
        setErrorClass(cls, ErrorClass::NoManifest);
        return std::nullopt;
    }
    const auto bytes = readFile(manifest, &err, cls);
    if (!bytes)
        return std::nullopt;
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject()) {
        const auto [line, column] = lineColumn(*bytes, pe.offset);
        err = pe.error != QJsonParseError::NoError
                  ? u"%1 is not valid JSON at line %2, column %3 (%4). Fix the file; npm would reject it too."_s.arg(
                        native(manifest))
                        .arg(line)
                        .arg(column)
                        .arg(pe.errorString())
                  : u"%1 is not a JSON object. Fix the file; npm would reject it too."_s.arg(native(manifest));
        setErrorClass(cls, pe.error != QJsonParseError::NoError ? ErrorClass::ManifestSyntax : ErrorClass::ManifestInvalid);
        return std::nullopt;
    }
    const QJsonObject pkg = doc.object();
    FrontendFacts f;
    f.dir = dir;
    f.packageName = pkg.value(u"name"_s).toString();
    const QJsonObject scripts = pkg.value(u"scripts"_s).toObject();
    f.buildScript = scripts.value(u"build"_s).toString();
    if (f.buildScript.isEmpty()) {
        err = u"%1 has no \"build\" script. Add one to \"scripts\" (e.g. \"build\": \"vite build\") so Gantry can build the frontend."_s
                  .arg(native(manifest));
        setErrorClass(cls, ErrorClass::NoBuildScript);
        return std::nullopt;
    }
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

std::optional<ProjectFacts> ProjectScanner::scanRepository(const QString &rootIn, QString *error,
                                                           const QString &backendDir, const QString &frontendDir,
                                                           ErrorClass *cls)
{
    QString dummy;
    QString &err = error ? *error : dummy;
    setErrorClass(cls, ErrorClass::None);
    const QFileInfo rootInfo(rootIn);
    if (!rootInfo.isDir()) {
        if (rootInfo.isSymLink())
            err = u"%1 is a link to %2, which is not a folder (it is missing or loops back to itself). Choose the repository's real folder."_s
                      .arg(native(rootIn), native(rootInfo.symLinkTarget()));
        else if (rootInfo.exists())
            err = u"%1 is not a folder. It is a file; choose the repository's folder (the one with the backend and the frontend)."_s.arg(
                native(rootIn));
        else
            err = u"%1 is not a folder. It does not exist; choose the repository's folder (the one with the backend and the frontend)."_s.arg(
                native(rootIn));
        setErrorClass(cls, rootInfo.exists() || rootInfo.isSymLink() ? ErrorClass::NotAFolder : ErrorClass::NotFound);
        // "Does not exist" may really be "may not look": a folder on the way that cannot be entered.
        if (!rootInfo.exists() && !rootInfo.isSymLink()) {
            QString up = QFileInfo(QDir::cleanPath(rootInfo.absoluteFilePath())).path();
            while (!QFileInfo::exists(up) && QFileInfo(up).path() != up)
                up = QFileInfo(up).path();
            const QFileInfo ancestor(up);
            if (ancestor.isDir() && !ancestor.isExecutable()) {
                err = u"Cannot reach %1: the folder %2 may not be entered (permission denied). Check its permissions or choose another folder."_s
                          .arg(native(rootIn), native(up));
                setErrorClass(cls, ErrorClass::Unreadable);
            }
        }
        return std::nullopt;
    }
    if (!QDir(rootIn).isReadable()) {
        err = u"Cannot read the folder %1 (permission denied). Check its permissions or choose another folder."_s.arg(
            native(rootIn));
        setErrorClass(cls, ErrorClass::Unreadable);
        return std::nullopt;
    }
    ProjectFacts facts;
    facts.repoRoot = QDir::cleanPath(QFileInfo(rootIn).absoluteFilePath());
    const QString root = facts.repoRoot;

    QString backend;
    if (!backendDir.isEmpty()) {
        backend = resolveDir(root, backendDir);
    } else {
        const QStringList found = candidates(root, u"Cargo.toml"_s);
        if (found.isEmpty()) {
            err = u"There is no Cargo.toml in %1 or the folders below it: it is not a Rust project. Choose the repository that holds the Rust backend."_s
                      .arg(native(root));
            setErrorClass(cls, ErrorClass::NoManifest);
            return std::nullopt;
        }
        // The shallowest wins (a workspace root over its members); among equals a usual name.
        auto rank = [&root](const QString &f) {
            const QString rel = QDir(root).relativeFilePath(f);
            const int depth = rel == u"." || rel.isEmpty() ? 0 : int(rel.count(u'/')) + 1;
            const bool usual = QStringList{u"backend"_s, u"server"_s, u"api"_s}.contains(QFileInfo(f).fileName());
            return depth * 2 + (usual ? 0 : 1);
        };
        backend = found.first();
        for (const QString &f : found)
            if (rank(f) < rank(backend))
                backend = f;
        bool othersOutside = false;
        for (const QString &f : found)
            if (f != backend && !f.startsWith(backend + u'/'))
                othersOutside = true;
        if (othersOutside)
            facts.notes << u"Several Cargo.toml found; using %1 as the backend."_s.arg(
                QDir(root).relativeFilePath(backend).isEmpty() ? u"."_s : QDir(root).relativeFilePath(backend));
    }
    auto b = scanBackendWithin(backend, root, &err, cls);
    if (!b)
        return std::nullopt;
    facts.backend = *b;
    for (const QString &d : std::as_const(facts.backend.neededDirs)) {
        if (d == root || d.startsWith(root + u'/'))
            continue;
        err = u"The backend's crates depend on the path crate in %1, outside the repository %2: the image build only sees the repository. Move that crate into the repository, or depend on it by version or git URL."_s
                  .arg(native(d), native(root));
        setErrorClass(cls, ErrorClass::ManifestInvalid);
        return std::nullopt;
    }

    QString frontend;
    if (!frontendDir.isEmpty()) {
        frontend = resolveDir(root, frontendDir);
    } else {
        // A package.json with a build script; the likeliest app the backend serves first.
        int best = std::numeric_limits<int>::min();
        for (const QString &c : candidates(root, u"package.json"_s, 3)) {
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
            facts.notes << u"No frontend found (no package.json with a build script): the image will hold the backend only."_s;
    }
    if (!frontend.isEmpty()) {
        auto f = scanFrontendWithin(frontend, root, &err, cls);
        if (!f)
            return std::nullopt;
        facts.frontend = *f;
    }
    return facts;
}

} // namespace Gantry
