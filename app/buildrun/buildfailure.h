// SPDX-License-Identifier: MIT
#pragma once

#include "buildevents.h"
#include "util/failure.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Gantry {

/// Why a build failed, said so a person understands it: a Failure (class, cause, fix) and
/// where it happened. The class is None (no failure), EngineDown, BuildxMissing,
/// BaseImageMissing, ExecFormat, CompileError (a compiler reported errors in a step),
/// BuildStepFailed (another step failed), DockerfileError, RecipeMismatch (Gantry's recipe
/// does not fit the project), DockerMissing (docker could not be started) or Other.
struct BuildFailure : Failure
{
    int stepIndex = -1;         ///< the failing step (index into the build's steps), -1 if none
    QString stepName;           ///< its name, e.g. "[backend 5/5] RUN cargo build ..."
    QStringList compilerLines;  ///< the compiler's own error lines, as it printed them
    QString details;            ///< buildx's last words (the "ERROR: ..." line)

    BuildFailure() : Failure(ErrorClass::None, {}) {}

    bool isFailure() const { return errorClass != ErrorClass::None; }
};

/// Extracts the compiler's error blocks ("error[E0308]: ...", " --> src/main.rs:18:17",
/// the source lines under it) from a step's log; at most maxLines lines.
QStringList compilerErrorLines(const QString &log, int maxLines = 60);

/// Maps a failed build to a cause. steps: what the parser saw; failedStep: its index or -1;
/// textLines: buildx's non-progress output (the final "ERROR: ..."); platforms: what was built.
BuildFailure classifyBuildFailure(const QList<BuildStep> &steps, int failedStep, const QStringList &textLines,
                                  const QStringList &platforms);

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::BuildFailure)
