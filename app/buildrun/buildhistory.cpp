// SPDX-License-Identifier: MIT
#include "buildhistory.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QStandardPaths>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QAtomicInteger<quint64> connectionCounter;

const char *const schema = R"(CREATE TABLE IF NOT EXISTS builds (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started TEXT NOT NULL,
  duration_ms INTEGER,
  project_root TEXT,
  recipe TEXT,
  platforms TEXT,
  tag TEXT,
  result TEXT NOT NULL,
  error TEXT,
  steps INTEGER, cached_steps INTEGER,
  image_id TEXT,
  image_size INTEGER,
  image_ref TEXT
))";
// Databases made before image_ref existed get it (the error for one that has it is ignored).
const char *const addImageRef = "ALTER TABLE builds ADD COLUMN image_ref TEXT";

QDateTime parseStarted(const QString &text)
{
    QDateTime t = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!t.isValid())
        t = QDateTime::fromString(text, Qt::ISODate);
    return t.toUTC();
}

BuildRecord fromQuery(const QSqlQuery &q)
{
    BuildRecord r;
    r.id = q.value(0).toLongLong();
    r.started = parseStarted(q.value(1).toString());
    r.durationMs = q.value(2).toLongLong();
    r.projectRoot = q.value(3).toString();
    r.recipe = q.value(4).toString();
    r.platforms = q.value(5).toString().split(u',', Qt::SkipEmptyParts);
    r.tag = q.value(6).toString();
    r.result = q.value(7).toString();
    r.error = q.value(8).toString();
    r.steps = q.value(9).toInt();
    r.cachedSteps = q.value(10).toInt();
    r.imageId = q.value(11).toString();
    r.imageSize = q.value(12).isNull() ? -1 : q.value(12).toLongLong();
    r.engineRef = q.value(13).toString();
    return r;
}

const QString columns = u"id, started, duration_ms, project_root, recipe, platforms, tag, result, error, steps, "
                        "cached_steps, image_id, image_size, image_ref"_s;

Failure historyFailure(ErrorClass errorClass, const QString &what, const QString &path, const QString &why)
{
    return Failure(errorClass, what.arg(path, why));
}

QString tr(const char *text)
{
    return QCoreApplication::translate("Gantry", text);
}

/// The project's successful builds from an open (read-only) database, oldest first.
Result<QList<BuildRecord>> querySucceeded(const QSqlDatabase &db, const QString &path, const QString &projectRoot)
{
    // image_ref is newer than the table: a database no Gantry with it has opened yet lacks it.
    const bool hasRef = db.record(u"builds"_s).contains(u"image_ref"_s);
    QString select = columns;
    if (!hasRef)
        select.replace(u"image_ref"_s, u"NULL"_s);
    QSqlQuery q(db);
    q.prepare(u"SELECT "_s + select + u" FROM builds WHERE project_root = ? AND result = 'succeeded' ORDER BY started"_s);
    q.addBindValue(projectRoot);
    if (!q.exec())
        return historyFailure(ErrorClass::Unreadable, tr("The build history “%1” cannot be read: %2."), path, q.lastError().text());
    QList<BuildRecord> out;
    while (q.next())
        out << fromQuery(q);
    return out;
}

} // namespace

QString BuildHistory::defaultPath()
{
    const QString env = QProcessEnvironment::systemEnvironment().value(u"GANTRY_HISTORY_DB"_s);
    if (!env.isEmpty())
        return env;
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + u"/history.sqlite"_s;
}

BuildHistory::BuildHistory(const QString &path)
    : m_path(path.isEmpty() ? defaultPath() : path)
    , m_connection(u"gantry-build-history-%1"_s.arg(connectionCounter.fetchAndAddRelaxed(1)))
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
    db.setDatabaseName(m_path);
    if (!db.open()) {
        m_openFailure = historyFailure(ErrorClass::Unreadable, tr("Could not open the build history %1: %2."), m_path, db.lastError().text());
        return;
    }
    QSqlQuery q(db);
    if (!q.exec(QString::fromLatin1(schema))) {
        m_openFailure = historyFailure(ErrorClass::Unreadable, tr("Could not create the build history table in %1: %2."), m_path,
                                       q.lastError().text());
        return;
    }
    QSqlQuery(db).exec(QString::fromLatin1(addImageRef));
}

Status BuildHistory::status() const
{
    if (m_openFailure)
        return *m_openFailure;
    return Status::success();
}

BuildHistory::~BuildHistory()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

Result<qint64> BuildHistory::add(const BuildRecord &r)
{
    if (m_openFailure)
        return *m_openFailure;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"INSERT INTO builds (started, duration_ms, project_root, recipe, platforms, tag, result, error, steps, "
              "cached_steps, image_id, image_size, image_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue(r.started.toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(r.durationMs);
    q.addBindValue(r.projectRoot);
    q.addBindValue(r.recipe);
    q.addBindValue(r.platforms.join(u','));
    q.addBindValue(r.tag);
    q.addBindValue(r.result);
    q.addBindValue(r.error.isEmpty() ? QVariant() : QVariant(r.error));
    q.addBindValue(r.steps);
    q.addBindValue(r.cachedSteps);
    q.addBindValue(r.imageId.isEmpty() ? QVariant() : QVariant(r.imageId));
    q.addBindValue(r.imageSize < 0 ? QVariant() : QVariant(r.imageSize));
    q.addBindValue(r.engineRef.isEmpty() ? QVariant() : QVariant(r.engineRef));
    if (!q.exec())
        return historyFailure(ErrorClass::Other, tr("Could not record the build in %1: %2."), m_path, q.lastError().text());
    return q.lastInsertId().toLongLong();
}

QList<BuildRecord> BuildHistory::recent(int limit, const QString &projectRoot) const
{
    QList<BuildRecord> out;
    if (m_openFailure)
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    if (projectRoot.isEmpty()) {
        q.prepare(u"SELECT "_s + columns + u" FROM builds ORDER BY id DESC LIMIT ?"_s);
    } else {
        q.prepare(u"SELECT "_s + columns + u" FROM builds WHERE project_root = ? ORDER BY id DESC LIMIT ?"_s);
        q.addBindValue(projectRoot);
    }
    q.addBindValue(limit);
    if (!q.exec())
        return out;
    while (q.next())
        out << fromQuery(q);
    return out;
}

std::optional<BuildRecord> BuildHistory::record(qint64 id) const
{
    if (m_openFailure)
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT "_s + columns + u" FROM builds WHERE id = ?"_s);
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return fromQuery(q);
}

Result<QList<BuildRecord>> BuildHistory::succeededBuilds(const QString &projectRoot, const QString &path)
{
    const QString file = path.isEmpty() ? defaultPath() : path;
    if (!QFileInfo(file).isFile())
        return QList<BuildRecord>();
    const QString connection = u"gantry-build-history-read-%1"_s.arg(connectionCounter.fetchAndAddRelaxed(1));
    std::optional<Result<QList<BuildRecord>>> result;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connection);
        db.setDatabaseName(file);
        db.setConnectOptions(u"QSQLITE_OPEN_READONLY"_s);
        if (!db.open())
            result.emplace(historyFailure(ErrorClass::Unreadable, tr("The build history “%1” cannot be read: %2."), file, db.lastError().text()));
        else
            result.emplace(querySucceeded(db, file, projectRoot));
        db.close();
    }
    QSqlDatabase::removeDatabase(connection);
    return std::move(*result);
}

std::optional<BuildRecord> previousBuild(const QList<BuildRecord> &history, const QString &currentImageId,
                                         const QString &currentEngineId)
{
    for (auto it = history.crbegin(); it != history.crend(); ++it)
        if (!it->imageId.isEmpty() && it->imageId != currentImageId
            && (currentEngineId.isEmpty() || (it->engineRef != currentEngineId && it->imageId != currentEngineId)))
            return *it;
    return std::nullopt;
}

} // namespace Gantry
