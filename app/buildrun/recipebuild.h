// SPDX-License-Identifier: MIT
#pragma once

#include "buildrunner.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Gantry {

/// What a project folder says about how to build it: its gantry.toml when there is one,
/// else a plain Dockerfile at the root.
struct ProjectBuildPlan
{
    QString repoRoot;        ///< absolute
    bool hasRecipe = false;  ///< gantry.toml was read
    QString recipeText;      ///< gantry.toml's contents (for the history)
    QString dockerfile;      ///< absolute path
    QString tag;
    QStringList platforms;   ///< the recipe's target platforms (may be several)
    QString builder;         ///< the recipe's builder or docker context; empty: current
    QString error;           ///< one sentence when the project cannot be built as it is

    bool isBuildable() const { return error.isEmpty(); }
    /// A request to build one platform (empty: the recipe's first, or the builder's own).
    BuildRequest request(const QString &platform = {}) const;
};

/// Reads repoRoot/gantry.toml (BuildRecipe::load) or falls back to repoRoot/Dockerfile.
/// dockerfileOverride (relative to repoRoot or absolute) replaces the recipe's Dockerfile.
ProjectBuildPlan planProjectBuild(const QString &repoRoot, const QString &dockerfileOverride = {});

/// "hello-stack" → "hello-stack:latest": a tag from a folder's name.
QString defaultImageTag(const QString &repoRoot);

} // namespace Gantry
