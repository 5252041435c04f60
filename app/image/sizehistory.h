// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace Gantry {

/// One successful build, as the Build area recorded it.
struct BuildSizePoint
{
    QDateTime started;
    qint64 imageSize = 0;
    QString tag;
    QString imageId;   ///< the config digest: compare images by this
    QString engineRef; ///< what the engine finds the image by (empty in records older than it: use imageId)
};

/// $GANTRY_HISTORY_DB, else AppDataLocation/history.sqlite.
QString buildHistoryPath();

/// The successful builds of a project, oldest first. A missing file means no history
/// (empty list, no failure); an Unreadable failure when the database cannot be read. Reads
/// with its own read-only connection.
Result<QList<BuildSizePoint>> readBuildSizeHistory(const QString &databasePath, const QString &projectRoot);

/// The latest successful build of the project whose image is not the current one: neither
/// currentImageId (the config digest) nor, when given, currentEngineId (the engine's .Id; on
/// the containerd store the config digest a build reports and the one in `docker save`'s
/// archive can differ, the engine's name for the image does not).
std::optional<BuildSizePoint> previousBuild(const QList<BuildSizePoint> &history, const QString &currentImageId,
                                            const QString &currentEngineId = {});

} // namespace Gantry
