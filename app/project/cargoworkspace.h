// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Gantry {

/// One target of a package as Cargo sees it (lib, bin, example, test, bench).
struct CargoTarget
{
    QString kind;               ///< "lib", "bin", "example", "test", "bench" (proc-macro and the lib kinds are "lib")
    QString name;
    QString path;               ///< relative to the package folder, e.g. "src/main.rs"
    QStringList requiredFeatures;
    bool operator==(const CargoTarget &) const = default;
};

/// A dependency as a manifest declares it (after `workspace = true` is resolved).
struct CargoDependency
{
    enum class Source { Registry, Path, Git };
    QString name;               ///< the package name (after `package = ...` renames)
    Source source = Source::Registry;
    QString path;               ///< absolute, for Source::Path
    QStringList features;
    bool defaultFeatures = true;
    bool optional = false;
    bool dev = false;           ///< [dev-dependencies]: not part of a release build
};

/// One package of a workspace (or the single package of a folder).
struct CargoPackage
{
    QString name, version, edition, rustVersion, defaultRun;
    QString dir;                ///< absolute folder of its Cargo.toml
    QList<CargoTarget> targets; ///< in Cargo's order: lib, bins, then the others
    QList<CargoDependency> dependencies;
    QStringList defaultFeatures; ///< the features `default` turns on, expanded within the package
    bool hasBuildScript = false;

    QStringList binaries() const;
    const CargoTarget *binary(const QString &name) const;
    /// Features a bin needs that a plain build does not turn on (empty: it builds by default).
    QStringList missingFeatures(const CargoTarget &bin) const;
};

/// A Cargo workspace (or a lone package, then root == its folder and members == {it}).
struct CargoWorkspace
{
    QString root;               ///< absolute folder of the workspace's Cargo.toml
    bool virtualManifest = false; ///< [workspace] without [package]
    QList<CargoPackage> members;
    QStringList defaultMembers; ///< absolute folders ([workspace] default-members)
    QStringList patchPaths;     ///< absolute folders of [patch] path entries
    QString source;             ///< "cargo metadata" or "Gantry's reader of Cargo.toml"

    const CargoPackage *package(const QString &name) const;
    const CargoPackage *packageAt(const QString &dir) const;
    /// The packages `-p name` builds from: itself and its path dependencies, recursively
    /// (members or not), as absolute folders in a stable order.
    QStringList pathClosure(const QString &packageName) const;
};

namespace Cargo {

/// Reads the workspace that holds DIR (DIR's own [workspace], or the nearest one above it
/// that lists DIR as a member, searching no higher than BOUNDARY), with Cargo's rules for
/// members/exclude globs, inherited fields, `workspace = true` dependencies and targets
/// (autobins, src/main.rs, src/bin/*.rs, src/bin/*/main.rs, [[bin]] names and paths).
Result<CargoWorkspace> readWorkspace(const QString &dir, const QString &boundary);

/// The same from `cargo metadata --no-deps --offline --format-version 1` output (JSON).
Result<CargoWorkspace> fromMetadata(const QByteArray &json);

/// Runs `cargo metadata` (CARGO: the program) for DIR's manifest; a Failure when cargo
/// fails or takes longer than timeoutMs.
Result<CargoWorkspace> runMetadata(const QString &cargo, const QString &dir, int timeoutMs = 30000);

/// Cargo's glob match for workspace member patterns ("crates/*", "libs/?x", "a/**").
bool globMatch(const QString &pattern, const QString &path);

} // namespace Cargo

} // namespace Gantry
