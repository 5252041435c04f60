// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

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
    QString defaultBinary;         ///< the one to ship: default-run, the package's own name, or the only one
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
    QString packageManager;        ///< npm, pnpm, yarn or bun (by lockfile)
    QString lockfile;              ///< its file name; empty: none
    QString buildScript;           ///< the text of scripts.build
    QString outputDir;             ///< relative to dir: dist, build, ...
    QString outputReason;          ///< why that output folder (vite, react-scripts, the build script, ...)
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
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::ProjectFacts)
