// SPDX-License-Identifier: MIT
#pragma once

#include "buildevents.h"
#include "util/errorclass.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Gantry {

/// Why a build failed, said so a person understands it: a cause and a fix.
struct BuildFailure
{
    enum class Kind {
        None,
        EngineDown,        ///< the docker engine is not reachable
        BuildxMissing,     ///< docker has no buildx plugin (or a too old one)
        BaseImageMissing,  ///< a FROM image is not on this machine and no registry answers
        ExecFormat,        ///< a foreign-architecture program ran without QEMU
        CompilerError,     ///< a compiler (rustc, ...) reported errors in a step
        StepFailed,        ///< some other step failed (non-zero exit)
        DockerfileError,   ///< the Dockerfile (or -f path / context) is wrong
        RecipeWrong,       ///< Gantry's recipe does not fit the project (binary, package, output folder, workspace, debian crate)
        ProcessError,      ///< docker could not be started at all
        Other,
    };
    Kind kind = Kind::None;
    QString cause;              ///< what happened, one sentence
    QString fix;                ///< what to do, one sentence
    int stepIndex = -1;         ///< the failing step (index into the build's steps), -1 if none
    QString stepName;           ///< its name, e.g. "[backend 5/5] RUN cargo build ..."
    QStringList compilerLines;  ///< the compiler's own error lines, as it printed them
    QString details;            ///< buildx's last words (the "ERROR: ..." line)

    bool isFailure() const { return kind != Kind::None; }
    QString sentence() const { return fix.isEmpty() ? cause : cause + u' ' + fix; }
    static QString kindName(Kind kind);
    /// The error class a user would tell apart (the bad-input corpus asserts it).
    static ErrorClass errorClassOf(Kind kind);
    ErrorClass errorClass() const { return errorClassOf(kind); }
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
