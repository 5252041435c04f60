// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include "project/binarychoice.h"
#include "project/packagemanager.h"

#include <optional>

namespace Gantry {

/// One crate in the user's dependency graph that brings OpenSSL into the build, and how
/// to switch it to rustls.
struct TlsFinding
{
    QString crate;          ///< the crate the user can change (reqwest, sqlx, ...), or the culprit itself
    QString crateVersion;
    QString opensslCrate;   ///< what it pulls in: openssl-sys, openssl, native-tls, ...
    QStringList chain;      ///< from the user's crate to the OpenSSL crate, e.g. {"app", "reqwest", "hyper-tls", "native-tls", "openssl-sys"}
    QString fix;            ///< one sentence: which feature to turn off and which to turn on
    QString chainText() const { return chain.join(QStringLiteral(" → ")); }
};

/// A Cargo dependency as written in Cargo.toml.
struct CrateDependency
{
    QString name;           ///< the package name (after `package = ...` renames)
    QStringList features;
    bool defaultFeatures = true;
    bool optional = false;
    bool local = false;     ///< a path or git dependency (or one inherited from the workspace that is): never a Debian package
    QStringList usedBy;     ///< the packages that depend on it
};

/// What Gantry read from a Rust backend folder.
struct BackendFacts
{
    QString dir;                   ///< absolute
    QString packageName;           ///< [package] name; empty for a virtual workspace
    QString version;
    QString edition;
    QString rustVersion;
    QStringList binaries;          ///< every binary target (of the package or of the workspace members)
    QString defaultBinary;         ///< the one to ship: the likeliest server (see rankBinaries)
    QString package;               ///< the package that builds defaultBinary (cargo build -p)
    QString packageDir;            ///< absolute folder of that package
    QString workspaceRoot;         ///< absolute folder of the Cargo workspace root (== dir for a lone package)
    QStringList workspaceMemberDirs; ///< absolute folders of every member (their Cargo.toml must be in the build)
    QStringList memberPackages;    ///< the workspace members' package names (the user's own crates)
    QStringList neededPackages;    ///< the package names among neededDirs
    QStringList neededDirs;        ///< absolute folders the binary is built from: its package and its path crates
    QMap<QString, QStringList> targetFiles; ///< member folder (absolute) → its target files (relative), for stand-ins
    QList<BinaryCandidate> candidates; ///< every binary with its package, the likeliest first
    QString lockfile;              ///< absolute path of the Cargo.lock read (the workspace's); empty: none
    QString cargoConfig;           ///< absolute path of a .cargo/config.toml at the workspace root; empty: none
    QString metadataSource;        ///< "cargo metadata" or "Gantry's reader of Cargo.toml"
    QStringList workspaceMembers;  ///< relative paths as listed (globs expanded)
    QList<CrateDependency> dependencies; ///< direct [dependencies] (of all members in a workspace)
    bool hasLockfile = false;
    bool needsCCompiler = false;   ///< the lockfile has crates that compile C (cc, ring, ...)
    QList<TlsFinding> tlsFindings;
    QStringList notes;             ///< things worth saying that are not errors
};

/// What Gantry read from a JavaScript frontend folder.
struct FrontendFacts
{
    QString dir;                   ///< absolute
    QString packageName;
    PackageManager packageManager = PackageManager::Npm; ///< by lockfile
    QString lockfile;              ///< its file name; empty: none
    QString buildScript;           ///< the text of scripts.build
    QString outputDir;             ///< relative to dir: dist, build, ...
    QString outputReason;          ///< why that output folder: "vite.config.ts, build.outDir", "a guess: ..."
    bool outputIsGuess = false;    ///< nothing in the build's configuration named it: the wizard asks
    QStringList outputAlternatives; ///< other folders a build could write
    QString tool;                  ///< vite, sveltekit, next, react-router, parcel, webpack, ... ("" unknown)
    QString lockfileDir;           ///< absolute folder of the lockfile (a JS workspace root when above dir)
    bool yarnBerry = false;        ///< Yarn 2+
    QString nodeSource;            ///< where nodeVersion was read
    QString nodeVersion;           ///< as asked for (.nvmrc or engines.node), e.g. "20" or ">=18"
    QString nodeMajor;             ///< a major version usable in an image tag ("20"); empty: unknown
    bool hasDependencies = false;
};

/// Everything a scan of a repository found.
struct ProjectFacts
{
    QString repoRoot;              ///< absolute
    BackendFacts backend;
    std::optional<FrontendFacts> frontend;
    QStringList notes;

    /// Paths relative to repoRoot ("." when the backend is the root itself).
    QString backendRelative() const;
    QString frontendRelative() const;
    QString packageRelative() const;   ///< the backend package's folder
    QString workspaceRelative() const; ///< the Cargo workspace root's folder
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::ProjectFacts)
