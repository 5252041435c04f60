// SPDX-License-Identifier: MIT
#pragma once

#include "util/format.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Gantry {

/// One step (a BuildKit "vertex") of a build, as the user sees it.
struct BuildStep
{
    enum class State { Waiting, Running, Done, Cached, Failed, Cancelled };

    QString id;        ///< rawjson: the vertex digest; plain: "#N"
    QString name;      ///< the full name as buildx prints it, e.g. "[backend 4/5] COPY backend/ ./"
    QString stage;     ///< "backend", "internal", ... ; empty for steps with no bracket ("exporting to image")
    QString platform;  ///< "linux/arm64" when buildx prefixed it, else empty
    QString command;   ///< the name without its bracket: "COPY backend/ ./"
    int index = 0;     ///< 4 in "4/5" (0: none)
    int count = 0;     ///< 5 in "4/5"
    QDateTime started;
    QDateTime completed;
    bool cached = false;
    QString error;     ///< buildkit's error for this step, empty if none
    QString log;       ///< everything the step printed (UTF-8 decoded), capped at maxLogChars
    bool logTruncated = false;
    State state = State::Waiting;

    static constexpr qsizetype maxLogChars = 4 * 1024 * 1024;

    bool isInternal() const { return stage == u"internal"; }
    bool isFinished() const { return state == State::Done || state == State::Cached || state == State::Failed || state == State::Cancelled; }
    /// Milliseconds from start to end (or to now while running); -1 if it never started.
    qint64 durationMs(const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    /// "backend 4/5" style label for a step inside its stage group.
    QString displayName() const;
    static QString stateName(State state);
};

/// A warning buildx reported (Dockerfile lint, deprecated options, ...).
struct BuildWarning
{
    QString stepId;
    int level = 0;
    QString text;
    QString url;
};

/// Splits "[linux/arm64->amd64 backend 4/5] RUN cargo build" into its parts.
void splitStepName(BuildStep &step);

/// Formats a duration for people: "0.4 s", "12.3 s", "2 min 05 s".
QString formatDuration(qint64 ms);
/// Formats a byte count: "2.85 MB".
// formatBytes(): util/format.h

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::BuildStep)
Q_DECLARE_METATYPE(Gantry::BuildWarning)
