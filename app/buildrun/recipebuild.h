// SPDX-License-Identifier: MIT
#pragma once

#include "buildrunner.h"
#include "util/failure.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace Gantry {

/// What the person chose over what the project says: the Build page's pickers and tag, or
/// gantry build's --platform, --tag, --builder and --context. (A Dockerfile chosen instead
/// of the project's is planned with: planProjectBuild's dockerfileOverride.)
struct BuildChoices
{
    /// Unset: every platform of the recipe (none: the builder's own). Set: these, one after
    /// the other (MultiPlatformBuild); set and empty: the builder's own platform.
    std::optional<QStringList> platforms;
    std::optional<QString> tag;   ///< unset: the plan's (set and empty: untagged)
    bool replaceBuilder = false;  ///< true: builder and dockerContext below, not the recipe's builder
    QString builder;              ///< a buildx builder (or a context's name: BuildRunner checks which)
    QString dockerContext;        ///< `docker --context NAME`
};

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
    /// Why the project cannot be built as it is (the fields above are filled as far as
    /// they could be read: a missing Dockerfile still has its path, tag and platforms).
    std::optional<Failure> failure;

    bool isBuildable() const { return !failure.has_value(); }
    /// The request that builds this plan with the person's choices: the one place a
    /// BuildRequest is made from a project, for the Build page and `gantry build` alike.
    BuildRequest request(const BuildChoices &choices = {}) const;
};

/// Reads repoRoot/gantry.toml (BuildRecipe::load) or falls back to repoRoot/Dockerfile.
/// dockerfileOverride (relative to repoRoot or absolute) replaces the recipe's Dockerfile.
ProjectBuildPlan planProjectBuild(const QString &repoRoot, const QString &dockerfileOverride = {});

/// "hello-stack" → "hello-stack:latest": a tag from a folder's name.
QString defaultImageTag(const QString &repoRoot);

} // namespace Gantry
