// SPDX-License-Identifier: MIT
// Internal to the project scanner (projectscanner.cpp): fills BackendFacts from the backend's
// Cargo workspace, as `cargo metadata` reports it or, without cargo, as Gantry reads it.
#pragma once

#include "projectfacts.h"
#include "util/failure.h"

namespace Gantry {

/// Loads the workspace of B.dir (not above BOUNDARY) and sets B's members, binaries, the
/// chosen binary and its package, dependencies, Cargo.lock and .cargo/config paths.
Status applyWorkspace(BackendFacts &b, const QString &boundary);

} // namespace Gantry
