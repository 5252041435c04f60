// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Gantry {

/// One row of the build history (table `builds`, schema agreed with the Inspect page).
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
    qint64 imageSize = -1;
    QString engineRef;        ///< what the engine finds it by (image inspect .Id; the manifest digest on the containerd store)
};

/// The build history in SQLite (Qt SQL). File: $GANTRY_HISTORY_DB, else
/// AppDataLocation/history.sqlite. Each instance owns its own connection; use it on
/// one thread.
class BuildHistory
{
public:
    /// Opens (and creates) the database at path; empty path: defaultPath().
    explicit BuildHistory(const QString &path = {});
    ~BuildHistory();
    BuildHistory(const BuildHistory &) = delete;
    BuildHistory &operator=(const BuildHistory &) = delete;

    static QString defaultPath();
    bool isOpen() const { return m_open; }
    QString errorString() const { return m_error; }
    QString path() const { return m_path; }

    /// Appends a record; returns its id, or -1 (see errorString()).
    qint64 add(const BuildRecord &record);
    /// The newest records first (optionally only those of one project).
    QList<BuildRecord> recent(int limit = 50, const QString &projectRoot = {}) const;
    std::optional<BuildRecord> record(qint64 id) const;

private:
    QString m_path;
    QString m_connection;
    bool m_open = false;
    mutable QString m_error;
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::BuildRecord)
