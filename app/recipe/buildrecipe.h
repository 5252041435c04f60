// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>

#include "project/packagemanager.h"
#include "util/failure.h"

#include <optional>

namespace Gantry {

/// How to build a project's image: everything the Configure wizard (or `gantry init`)
/// decides, saved as gantry.toml at the repository root so a project reopens and rebuilds
/// in one click. A plain value; all folders are relative to the repo root.
struct BuildRecipe
{
    // [project]
    QString backendDir;            ///< the folder with Cargo.toml, e.g. "backend" ("." for the root)
    QString frontendDir;           ///< empty: no frontend
    QString frontendOutputDir = QStringLiteral("dist"); ///< relative to frontendDir
    QString binary;                ///< the Cargo bin target to ship

    // [workspace]: the backend is a member of a Cargo workspace (workspaceDir empty: the
    // backend folder builds alone, as a lone package). Folders relative to the repo root.
    QString workspaceDir;          ///< the workspace root, its Cargo.toml and Cargo.lock ("." for the repo root)
    QString package;               ///< cargo build -p PACKAGE
    QStringList workspaceMembers;  ///< every member's folder: their Cargo.toml go into the image first
    QStringList workspaceSources;  ///< the folders the binary is built from: its package and its path crates
    QStringList workspaceStandIns; ///< empty files standing in for the targets of the other members
    bool cargoConfig = false;      ///< the workspace has .cargo/config.toml: it goes in with the manifests

    // [frontend]
    QString frontendRoot;          ///< a JS workspace root holding the lockfile, when above frontendDir; empty: none
    PackageManager packageManager = PackageManager::Npm; ///< what installs and builds it (project/packagemanager.h)
    QString nodeVersion;           ///< a major version ("20"); empty: 20

    // [target]
    QStringList platforms{QStringLiteral("linux/amd64")}; ///< "linux/amd64", "linux/arm64" (one or both)
    enum class Strategy { CrossCompile, Emulate } strategy = Strategy::CrossCompile;
    enum class Toolchain { Rustup, Debian } toolchain = Toolchain::Rustup;
    /// Debian toolchain without a rust image override: the crates to install as
    /// librust-<crate>[+<feature>]-dev packages, e.g. "axum", "tokio+macros".
    QStringList debianCrates;

    // [runtime]
    enum class Runtime { Scratch, Distroless, Alpine, DebianSlim } runtime = Runtime::Scratch;
    int port = 3000;               ///< EXPOSE + ENV PORT; 0: none
    QString user = QStringLiteral("65532:65532"); ///< empty: root
    bool caCertificates = true;    ///< copy a CA bundle into the image
    QString staticDir = QStringLiteral("/app/public"); ///< where the frontend's files go (ENV STATIC_DIR)
    QList<QPair<QString, QString>> env; ///< [runtime.env] NAME = "value", in order

    // [build]
    QString imageTag;              ///< e.g. "hello-backend:latest" (default: "<binary>:latest")
    QString dockerfile = QStringLiteral("Dockerfile");  ///< relative to repo root; context = repo root
    QString builder;               ///< buildx builder or docker context name; empty = current
    bool cacheMounts = true;       ///< RUN --mount=type=cache for cargo and npm

    // [images]
    QMap<QString, QString> baseImages; ///< overrides: keys "rust", "node", "runtime"

    /// Reads repoRoot/gantry.toml. A Failure on error: its class, the cause (with
    /// file:line:column for TOML errors, unknown keys, wrong types, unknown values) and the fix.
    static Result<BuildRecipe> load(const QString &repoRoot);
    /// Writes repoRoot/gantry.toml atomically (QSaveFile).
    Status save(const QString &repoRoot) const;

    /// Parses gantry.toml text (fileName only for messages).
    static Result<BuildRecipe> fromToml(const QString &text, const QString &fileName = QStringLiteral("gantry.toml"));
    /// The gantry.toml text for this recipe.
    QString toToml() const;
    /// Empty when the recipe can be written and built, else one sentence on the first problem.
    QString validate() const;

    /// The images actually used (overrides, else the defaults for the toolchain/runtime).
    QString rustImage() const;
    QString nodeImage() const;
    QString runtimeImage() const;
    QString effectiveImageTag() const;
    /// True when the rust image is overridden (assumed to carry the toolchain and crates).
    bool hasRustImageOverride() const { return !baseImages.value(QStringLiteral("rust")).isEmpty(); }

    static QString strategyName(Strategy s);    ///< "cross" | "emulate"
    static QString toolchainName(Toolchain t);  ///< "rustup" | "debian"
    static QString runtimeName(Runtime r);      ///< "scratch" | "distroless" | "alpine" | "debian-slim"
    static QString packageManagerName(PackageManager pm); ///< "npm" | "pnpm" | "yarn" | "bun"
    static std::optional<Strategy> strategyFromName(const QString &name);
    static std::optional<Toolchain> toolchainFromName(const QString &name);
    static std::optional<Runtime> runtimeFromName(const QString &name);
    static std::optional<PackageManager> packageManagerFromName(const QString &name);
    static QStringList supportedPlatforms();    ///< linux/amd64, linux/arm64
    /// "linux/arm64" → "aarch64-unknown-linux-gnu" (debian) / "-musl" (rustup); empty when unknown.
    static QString rustTriple(const QString &platform, Toolchain toolchain);

    bool operator==(const BuildRecipe &other) const = default;
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::BuildRecipe)
