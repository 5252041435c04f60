// SPDX-License-Identifier: MIT
// Cargo::fromMetadata and Cargo::runMetadata: the workspace as `cargo metadata` reports it (JSON),
// for when cargo is installed; cargoworkspace.cpp reads the manifests themselves.
#include "cargoworkspace.h"
#include "cargoworkspace_p.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

CargoTarget targetFromJson(const QJsonObject &t, const QString &packageDir)
{
    CargoTarget out;
    const QJsonArray kinds = t.value(u"kind"_s).toArray();
    const QString kind = kinds.isEmpty() ? QString() : kinds.first().toString();
    static const QStringList libKinds{u"lib"_s, u"rlib"_s, u"dylib"_s, u"cdylib"_s, u"staticlib"_s, u"proc-macro"_s};
    out.kind = libKinds.contains(kind) ? u"lib"_s : kind;
    out.name = t.value(u"name"_s).toString();
    out.path = QDir(packageDir).relativeFilePath(t.value(u"src_path"_s).toString());
    for (const QJsonValue &f : t.value(u"required-features"_s).toArray())
        out.requiredFeatures << f.toString();
    return out;
}

CargoDependency dependencyFromJson(const QJsonObject &d)
{
    CargoDependency out;
    out.name = d.value(u"name"_s).toString();
    const QString source = d.value(u"source"_s).toString();
    if (d.contains(u"path"_s)) {
        out.source = CargoDependency::Source::Path;
        out.path = QDir::cleanPath(d.value(u"path"_s).toString());
    } else if (source.startsWith(u"git+"_s)) {
        out.source = CargoDependency::Source::Git;
    }
    for (const QJsonValue &f : d.value(u"features"_s).toArray())
        out.features << f.toString();
    out.defaultFeatures = d.value(u"uses_default_features"_s).toBool(true);
    out.optional = d.value(u"optional"_s).toBool();
    out.dev = d.value(u"kind"_s).toString() == u"dev";
    return out;
}

QStringList expandFeatures(const QJsonObject &features)
{
    QStringList out;
    QStringList todo;
    for (const QJsonValue &v : features.value(u"default"_s).toArray())
        todo << v.toString();
    while (!todo.isEmpty()) {
        const QString f = todo.takeFirst();
        if (out.contains(f))
            continue;
        out << f;
        for (const QJsonValue &v : features.value(f).toArray())
            todo << v.toString();
    }
    return out;
}

CargoPackage packageFromJson(const QJsonObject &p)
{
    CargoPackage out;
    out.name = p.value(u"name"_s).toString();
    out.version = p.value(u"version"_s).toString();
    out.edition = p.value(u"edition"_s).toString();
    out.rustVersion = p.value(u"rust_version"_s).toString();
    out.defaultRun = p.value(u"default_run"_s).toString();
    out.dir = QDir::cleanPath(QFileInfo(p.value(u"manifest_path"_s).toString()).path());
    for (const QJsonValue &t : p.value(u"targets"_s).toArray()) {
        const CargoTarget target = targetFromJson(t.toObject(), out.dir);
        if (target.kind == u"custom-build")
            out.hasBuildScript = true;
        else
            out.targets << target;
    }
    for (const QJsonValue &d : p.value(u"dependencies"_s).toArray())
        out.dependencies << dependencyFromJson(d.toObject());
    out.defaultFeatures = expandFeatures(p.value(u"features"_s).toObject());
    return out;
}

} // namespace

Result<CargoWorkspace> Cargo::fromMetadata(const QByteArray &json)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return Failure(ErrorClass::ManifestInvalid, u"cargo metadata printed no JSON Gantry can read (%1)"_s.arg(pe.errorString()),
                       u"Run `cargo metadata --no-deps --format-version 1` in the backend folder to see what it says."_s);
    const QJsonObject root = doc.object();
    CargoWorkspace ws;
    ws.source = u"cargo metadata"_s;
    ws.root = QDir::cleanPath(root.value(u"workspace_root"_s).toString());
    QHash<QString, CargoPackage> byId;
    for (const QJsonValue &p : root.value(u"packages"_s).toArray())
        byId.insert(p.toObject().value(u"id"_s).toString(), packageFromJson(p.toObject()));
    for (const QJsonValue &id : root.value(u"workspace_members"_s).toArray())
        if (byId.contains(id.toString()))
            ws.members << byId.value(id.toString());
    ws.virtualManifest = !ws.packageAt(ws.root);
    // [patch] paths are not in the metadata, and its default members depend on the folder
    // cargo ran in: the root manifest says both.
    readRootManifestFacts(ws);
    return ws;
}

Result<CargoWorkspace> Cargo::runMetadata(const QString &cargo, const QString &dir, int timeoutMs)
{
    QProcess p;
    p.setProgram(cargo);
    p.setArguments({u"metadata"_s, u"--no-deps"_s, u"--offline"_s, u"--format-version"_s, u"1"_s,
                    u"--manifest-path"_s, QDir(dir).absoluteFilePath(u"Cargo.toml"_s)});
    p.start();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(2000);
        return Failure(ErrorClass::Other, u"cargo metadata did not finish in %1 s"_s.arg(timeoutMs / 1000),
                       u"Gantry read Cargo.toml itself instead."_s);
    }
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        const QString said = QString::fromUtf8(p.readAllStandardError()).trimmed().section(u'\n', 0, 0);
        return Failure(ErrorClass::ManifestInvalid, u"cargo metadata failed: %1"_s.arg(said),
                       u"Run `cargo metadata --no-deps` in the backend folder to see the whole message."_s);
    }
    return fromMetadata(p.readAllStandardOutput());
}

} // namespace Gantry
