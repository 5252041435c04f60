// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

struct BuildRecipe;

/// The grammar of every value that reaches the Dockerfile. A repository is untrusted input:
/// gantry.toml, Cargo.toml, package.json and tool configs must not be able to add a
/// Dockerfile instruction (a newline, a quote, a `$`) through a binary name, a user, an
/// image or a folder. Each function returns one sentence naming the field, or empty.
namespace RecipeGrammar {

QString binaryProblem(const QString &binary);
/// field: "rust image", "runtime image", "image tag", ...
QString imageReferenceProblem(const QString &field, const QString &reference);
QString userProblem(const QString &user);
/// An absolute folder inside the image (static_dir).
QString containerPathProblem(const QString &field, const QString &path);
/// A folder relative to the repository (or to the frontend folder): no "..", not absolute.
QString relativePathProblem(const QString &field, const QString &path);
QString nodeVersionProblem(const QString &version);
QString crateProblem(const QString &crate);
QString builderProblem(const QString &builder);
/// An environment value: anything printable (it is quoted), no control characters.
QString envValueProblem(const QString &name, const QString &value);

/// The first problem of the recipe's values, or empty.
QString recipeProblem(const BuildRecipe &recipe);

} // namespace RecipeGrammar

} // namespace Gantry
