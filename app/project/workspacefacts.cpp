// SPDX-License-Identifier: MIT
#include "workspacefacts.h"

#include "binarychoice.h"
#include "cargoworkspace.h"

#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

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

} // namespace

Status applyWorkspace(BackendFacts &b, const QString &boundary)
{
    auto ws = loadWorkspace(b.dir, boundary, b.notes);
    if (!ws)
        return ws.failure();
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
        return {};
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
    return {};
}

} // namespace Gantry
