// SPDX-License-Identifier: MIT
#pragma once

#include "recipe/buildrecipe.h"
#include "util/failure.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Gantry {

/// Writes the multi-stage Dockerfile and the .dockerignore for a recipe. Pure functions of
/// the recipe: the same recipe always gives the same bytes (the golden-file tests rely on it).
namespace DockerfileWriter {

/// The Dockerfile text. The frontend stage always runs on $BUILDPLATFORM; with
/// Strategy::CrossCompile the backend stage does too and compiles for the target's triple;
/// the final stage has no RUN. No `# syntax=` line.
QString dockerfile(const BuildRecipe &recipe);
/// The .dockerignore text: build outputs and dependency folders stay out of the context.
QString dockerignore(const BuildRecipe &recipe);

} // namespace DockerfileWriter

/// One file `gantry init` or the wizard is about to write, with what is there now.
struct PlannedFile
{
    QString relativePath;  ///< "gantry.toml", "Dockerfile", ".dockerignore"
    QString absolutePath;
    bool exists = false;   ///< a file is there now
    QByteArray current;    ///< its bytes when exists
    QByteArray proposed;   ///< what Gantry would write

    bool changes() const { return !exists || current != proposed; }
    /// A unified diff (current → proposed); empty when the file is new or unchanged.
    QString diff() const;
};

/// The three files for a recipe at repoRoot (gantry.toml, the Dockerfile at recipe.dockerfile,
/// .dockerignore next to the Dockerfile's context root), with what exists now.
QList<PlannedFile> planRecipeFiles(const BuildRecipe &recipe, const QString &repoRoot);

/// True when writing would replace a file whose content differs: the caller must show
/// the diffs and ask before calling writeRecipeFiles(..., overwrite = true).
bool wouldOverwrite(const QList<PlannedFile> &plan);

/// Writes the planned files atomically (QSaveFile). Refuses (a Failure: cause and fix) to
/// replace a differing file unless overwrite is true, and when a file changed on disk since
/// planning; nothing is written when one file is refused.
Status writeRecipeFiles(const QList<PlannedFile> &plan, bool overwrite);

} // namespace Gantry
