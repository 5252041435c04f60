// SPDX-License-Identifier: MIT
#pragma once

#include "project/projectfacts.h"
#include "util/errorclass.h"

#include <QString>

#include <optional>

namespace Gantry {

/// Reads a project's folders into ProjectFacts. Plain functions, safe on any thread
/// (the wizard runs them with QtConcurrent). Every failure is one sentence in *error:
/// what is wrong (with line:column for files that do not parse) and what to do; *errorClass
/// (when given) says which kind of failure it is.
namespace ProjectScanner {

/// A Rust backend folder: Cargo.toml (package or workspace), its binaries, Cargo.lock's TLS findings.
std::optional<BackendFacts> scanBackend(const QString &dir, QString *error, ErrorClass *errorClass = nullptr);
/// The same, searching for the workspace that holds DIR up to BOUNDARY (a repository root):
/// a member folder builds with its workspace's lockfile and manifests.
std::optional<BackendFacts> scanBackendWithin(const QString &dir, const QString &boundary, QString *error,
                                              ErrorClass *errorClass = nullptr);
/// A JavaScript frontend folder: package.json, lockfile, build script, output folder, Node version.
std::optional<FrontendFacts> scanFrontend(const QString &dir, QString *error, ErrorClass *errorClass = nullptr);
/// The same, looking for a JS workspace root's lockfile and Node version up to BOUNDARY.
std::optional<FrontendFacts> scanFrontendWithin(const QString &dir, const QString &boundary, QString *error,
                                                ErrorClass *errorClass = nullptr);

/// A monorepo root (or a backend folder): finds the backend and the frontend on its own,
/// unless backendDir / frontendDir (relative to root, or absolute) say where they are.
std::optional<ProjectFacts> scanRepository(const QString &root, QString *error, const QString &backendDir = {},
                                           const QString &frontendDir = {}, ErrorClass *errorClass = nullptr);

} // namespace ProjectScanner

} // namespace Gantry
