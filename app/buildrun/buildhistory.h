// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Gantry {

/// One row of the build history (table `builds`; only buildhistory.cpp knows its schema).
struct BuildRecord
{
    qint64 id = -1;
    QDateTime started;        ///< UTC
    qint64 durationMs = 0;
    QString projectRoot;
    QString recipe;           ///< gantry.toml contents at build time
    QStringList platforms;
    QString tag;
    QString result;           ///< "succeeded", "failed" or "cancelled"
    QString error;
    int steps = 0;
    int cachedSteps = 0;
    QString imageId;          ///< the config digest (the image's identity on every store)
    qint64 imageSize = -1;    ///< -1: not recorded
    QString engineRef;        ///< what the engine finds it by (image inspect .Id; the manifest digest on the containerd store; empty in records older than it: use imageId)
};

/// The build history in SQLite (Qt SQL): the one place that knows its file, its schema and
/// its SQL. File: $GANTRY_HISTORY_DB, else AppDataLocation/history.sqlite. Each instance
/// owns its own connection; use it on one thread (never the GUI thread: run it on a
/// JobTracker, util/jobtracker.h).
class BuildHistory
{
public:
    /// Opens (and creates) the database at path; empty path: defaultPath().
    explicit BuildHistory(const QString &path = {});
    ~BuildHistory();
    BuildHistory(const BuildHistory &) = delete;
    BuildHistory &operator=(const BuildHistory &) = delete;

    static QString defaultPath();
    bool isOpen() const { return !m_openFailure; }
    /// Why the database could not be opened or given its table (success when isOpen()).
    Status status() const;
    QString path() const { return m_path; }

    /// Appends a record; returns its id.
    Result<qint64> add(const BuildRecord &record);
    /// The newest records first (optionally only those of one project); empty when not open.
    QList<BuildRecord> recent(int limit = 50, const QString &projectRoot = {}) const;
    std::optional<BuildRecord> record(qint64 id) const;

    /// The successful builds of a project, oldest first: the size history Inspect draws.
    /// Reads with its own read-only connection and never creates the file: a missing file
    /// means no history (an empty list, no failure); a file that cannot be read is an
    /// Unreadable failure. Empty path: defaultPath().
    static Result<QList<BuildRecord>> succeededBuilds(const QString &projectRoot, const QString &path = {});

private:
    QString m_path;
    QString m_connection;
    std::optional<Failure> m_openFailure;
};

/// The latest successful build in history (oldest first, as succeededBuilds returns it)
/// whose image is not the current one: neither currentImageId (the config digest) nor, when
/// given, currentEngineId (the engine's .Id; on the containerd store the config digest a
/// build reports and the one in `docker save`'s archive can differ, the engine's name for
/// the image does not).
std::optional<BuildRecord> previousBuild(const QList<BuildRecord> &history, const QString &currentImageId,
                                         const QString &currentEngineId = {});

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::BuildRecord)
