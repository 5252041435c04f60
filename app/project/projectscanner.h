// SPDX-License-Identifier: MIT
#pragma once

#include "project/projectfacts.h"
#include "util/failure.h"

#include <QString>


namespace Gantry {

/// Reads a project's folders into ProjectFacts. Plain functions, safe on any thread
/// (the wizard runs them with QtConcurrent). Every failure is one Failure: its class, the
/// cause (with line:column for files that do not parse) and the fix.
namespace ProjectScanner {

/// A Rust backend folder: Cargo.toml (package or workspace), its binaries, Cargo.lock's TLS findings.
Result<BackendFacts> scanBackend(const QString &dir);
/// The same, searching for the workspace that holds DIR up to BOUNDARY (a repository root):
/// a member folder builds with its workspace's lockfile and manifests.
Result<BackendFacts> scanBackendWithin(const QString &dir, const QString &boundary);
/// A JavaScript frontend folder: package.json, lockfile, build script, output folder, Node version.
Result<FrontendFacts> scanFrontend(const QString &dir);
/// The same, looking for a JS workspace root's lockfile and Node version up to BOUNDARY.
Result<FrontendFacts> scanFrontendWithin(const QString &dir, const QString &boundary);

/// A monorepo root (or a backend folder): finds the backend and the frontend on its own,
/// unless backendDir / frontendDir (relative to root, or absolute) say where they are.
Result<ProjectFacts> scanRepository(const QString &root, const QString &backendDir = {},
                                    const QString &frontendDir = {});

} // namespace ProjectScanner

} // namespace Gantry
