// SPDX-License-Identifier: MIT
#pragma once

#include "project/cargoworkspace.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Gantry {

/// A binary Gantry could ship, with why it ranks where it does.
struct BinaryCandidate
{
    QString package;
    QString binary;
    QString packageDir;         ///< absolute
    QStringList missingFeatures; ///< required-features a plain build does not turn on
    QStringList neededDirs;     ///< absolute folders it is built from: its package and its path crates
    int score = 0;
    QStringList reasons;        ///< "depends on axum", "default-run", ... (best first)
};

/// Every bin target of the workspace's members, the likeliest server first: a package that
/// serves HTTP (depends on axum, actix-web, rocket, poem, warp, salvo, loco-rs, ... itself or
/// through its own path crates), default-run / default-members / the root package, a name
/// like server or api; tooling (xtask, cli, migrate, tests, examples, desktop apps) last.
/// Ties keep Cargo's member order. A pure function of the workspace.
QList<BinaryCandidate> rankBinaries(const CargoWorkspace &ws);

} // namespace Gantry
