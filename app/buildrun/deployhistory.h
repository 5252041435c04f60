// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Gantry {

/// One deploy (or rollback) to one server: table `deploys` in the build history's database.
struct DeployRecord
{
    qint64 id = -1;
    QDateTime time;            ///< UTC, when it ended
    QString server;            ///< the profile's display name
    QString container;
    QString action;            ///< "deploy" or "rollback"
    QString image;             ///< what was started (tag, or the kept tag of a rollback)
    QString imageId;           ///< sha256:... of what serves afterwards (empty when unknown)
    qint64 bytesSent = 0;
    QString result;            ///< "healthy", "rolled back" or "failed"
    QString detail;            ///< the one sentence (health detail, or what failed)
    qint64 switchMs = -1;      ///< stop of the old container → the new one healthy, as seen here
};

/// The deploy history, in the same SQLite file as BuildHistory (BuildHistory::defaultPath()).
/// Each instance owns its own connection; use it on one thread.
class DeployHistory
{
public:
    explicit DeployHistory(const QString &path = {});
    ~DeployHistory();
    DeployHistory(const DeployHistory &) = delete;
    DeployHistory &operator=(const DeployHistory &) = delete;

    Status status() const { return m_status; }
    /// Appends a record; its id.
    Result<qint64> add(const DeployRecord &record);
    /// The newest first; server empty: every server.
    QList<DeployRecord> recent(const QString &server = {}, int limit = 50) const;

private:
    QString m_path;
    QString m_connection;
    Status m_status;
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::DeployRecord)
