// SPDX-License-Identifier: MIT
#pragma once
// Internal to app/project's Cargo reader (cargoworkspace.cpp and cargometadata.cpp).

#include "cargoworkspace.h"

namespace Gantry {

/// What only the workspace root's Cargo.toml says, also when `cargo metadata` gave the rest:
/// the [patch] paths and the default members. Nothing when it cannot be read.
void readRootManifestFacts(CargoWorkspace &ws);

} // namespace Gantry
