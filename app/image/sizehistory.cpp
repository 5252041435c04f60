// SPDX-License-Identifier: MIT
#include "sizehistory.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Gantry {

QString buildHistoryPath()
{
    const QString env = qEnvironmentVariable("GANTRY_HISTORY_DB");
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/history.sqlite"_s;
}

namespace {

Failure unreadableHistory(const QString &databasePath, const QString &why)
{
    return Failure(ErrorClass::Unreadable,
                   QCoreApplication::translate("Gantry", "The build history “%1” cannot be read: %2.").arg(databasePath, why));
}

/// The project's successful builds from an open database, oldest first.
Result<QList<BuildSizePoint>> queryBuilds(const QSqlDatabase &db, const QString &databasePath, const QString &projectRoot)
{
    QSqlQuery q(db);
    // image_ref is newer than the table: a database no Gantry with it has opened yet lacks it.
    const bool hasRef = db.record(u"builds"_s).contains(u"image_ref"_s);
    q.prepare(u"SELECT started, image_size, tag, image_id, %1 FROM builds WHERE project_root = ? AND result = 'succeeded' ORDER BY started"_s
                  .arg(hasRef ? u"image_ref"_s : u"NULL"_s));
    q.addBindValue(projectRoot);
    if (!q.exec())
        return unreadableHistory(databasePath, q.lastError().text());
    QList<BuildSizePoint> out;
    while (q.next()) {
        BuildSizePoint p;
        p.started = QDateTime::fromString(q.value(0).toString(), Qt::ISODateWithMs);
        if (!p.started.isValid())
            p.started = QDateTime::fromString(q.value(0).toString(), Qt::ISODate);
        p.imageSize = q.value(1).toLongLong();
        p.tag = q.value(2).toString();
        p.imageId = q.value(3).toString();
        p.engineRef = q.value(4).toString();
        out.append(p);
    }
    return out;
}

} // namespace

Result<QList<BuildSizePoint>> readBuildSizeHistory(const QString &databasePath, const QString &projectRoot)
{
    if (databasePath.isEmpty() || !QFileInfo(databasePath).isFile())
        return QList<BuildSizePoint>();
    static QAtomicInt counter;
    const QString connection = u"gantry-inspect-history-%1"_s.arg(counter.fetchAndAddRelaxed(1));
    std::optional<Result<QList<BuildSizePoint>>> result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(databasePath);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (!db.open())
            result.emplace(unreadableHistory(databasePath, db.lastError().text()));
        else
            result.emplace(queryBuilds(db, databasePath, projectRoot));
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return std::move(*result);
}

std::optional<BuildSizePoint> previousBuild(const QList<BuildSizePoint> &history, const QString &currentImageId,
                                            const QString &currentEngineId)
{
    for (auto it = history.crbegin(); it != history.crend(); ++it)
        if (!it->imageId.isEmpty() && it->imageId != currentImageId
            && (currentEngineId.isEmpty() || (it->engineRef != currentEngineId && it->imageId != currentEngineId)))
            return *it;
    return std::nullopt;
}

} // namespace Gantry
