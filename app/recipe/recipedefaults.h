// SPDX-License-Identifier: MIT
#pragma once

#include "project/projectfacts.h"
#include "recipe/buildrecipe.h"

namespace Gantry {

/// The recipe Gantry proposes for what a scan found: the default binary, the frontend's
/// output, cross-compiling for linux/amd64 with the rustup toolchain onto scratch, and the
/// backend's direct dependencies as Debian crate packages (for the debian toolchain).
BuildRecipe recipeFromFacts(const ProjectFacts &facts);

/// Fills the recipe's [workspace] part (root, package, members, sources, stand-ins) for the
/// recipe's binary when its package is a member of a Cargo workspace; clears it otherwise.
/// Call it again after choosing another binary.
void applyWorkspaceLayout(BuildRecipe &recipe, const ProjectFacts &facts);

/// The crates of a backend as Debian package stems: "axum", "tokio+macros", ...
QStringList debianCratesFor(const BackendFacts &backend);

} // namespace Gantry
