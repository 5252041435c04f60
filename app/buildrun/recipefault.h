// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/buildevents.h"
#include "util/failure.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Gantry {

/// A build that failed because the recipe Gantry wrote is wrong for the project, not because
/// of the user's code: a binary or package that does not exist, a frontend output folder the
/// build did not write, a manifest the build context lacks, a crate the debian toolchain
/// cannot find. Each names the gantry.toml key (and wizard field) that fixes it.
/// Empty when the logs show none of these (then it is the code, or something else).
std::optional<Failure> recipeFault(const QList<BuildStep> &steps, const QString &allText);

/// "[backend 5/5] RUN case \"$TARGETARCH\" in ..." → "[backend 5/5] RUN": a step's name without
/// its script when the name is long (up to 80 characters it stays whole).
QString shortStepName(const QString &stepName);

/// The folders a frontend build said it wrote ("dist/index.html", "built site/", vite's
/// "dist/assets/…"), read from the steps' logs, without duplicates.
QStringList foldersTheBuildWrote(const QList<BuildStep> &steps);

} // namespace Gantry
