// SPDX-License-Identifier: MIT
#include "deployhistory.h"

#include "buildhistory.h"

#include <QAtomicInteger>
#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QAtomicInteger<quint64> connectionCounter;

const char *const schema = R"(CREATE TABLE IF NOT EXISTS deploys (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  server TEXT NOT NULL,
  container TEXT,
  action TEXT NOT NULL,
  image TEXT,
  image_id TEXT,
  bytes_sent INTEGER,
  result TEXT NOT NULL,
  detail TEXT,
  switch_ms INTEGER
))";

const QString columns = u"id, time, server, container, action, image, image_id, bytes_sent, result, detail, switch_ms"_s;

Failure dbFailure(const QString &path, const QString &what)
{
    return Failure(ErrorClass::Other, u"The deploy history %1 cannot be used (%2)"_s.arg(path, what),
                   u"Check that the folder is writable and the disk not full."_s);
}

} // namespace

DeployHistory::DeployHistory(const QString &path)
    : m_path(path.isEmpty() ? BuildHistory::defaultPath() : path)
    , m_connection(u"gantry-deploy-history-%1"_s.arg(connectionCounter.fetchAndAddRelaxed(1)))
{
    QDir().mkpath(QFileInfo(m_path).absolutePath());
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, m_connection);
    db.setDatabaseName(m_path);
    if (!db.open()) {
        m_status = dbFailure(m_path, db.lastError().text());
        return;
    }
    QSqlQuery q(db);
    if (!q.exec(QString::fromLatin1(schema)))
        m_status = dbFailure(m_path, q.lastError().text());
}

DeployHistory::~DeployHistory()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connection, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

Result<qint64> DeployHistory::add(const DeployRecord &r)
{
    if (!m_status)
        return m_status.failure();
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"INSERT INTO deploys (time, server, container, action, image, image_id, bytes_sent, result, detail, switch_ms) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"_s);
    q.addBindValue((r.time.isValid() ? r.time : QDateTime::currentDateTimeUtc()).toUTC().toString(Qt::ISODateWithMs));
    q.addBindValue(r.server);
    q.addBindValue(r.container);
    q.addBindValue(r.action);
    q.addBindValue(r.image);
    q.addBindValue(r.imageId);
    q.addBindValue(r.bytesSent);
    q.addBindValue(r.result);
    q.addBindValue(r.detail);
    q.addBindValue(r.switchMs < 0 ? QVariant() : QVariant(r.switchMs));
    if (!q.exec())
        return dbFailure(m_path, q.lastError().text());
    return q.lastInsertId().toLongLong();
}

QList<DeployRecord> DeployHistory::recent(const QString &server, int limit) const
{
    QList<DeployRecord> out;
    if (!m_status)
        return out;
    QSqlQuery q(QSqlDatabase::database(m_connection));
    q.prepare(u"SELECT "_s + columns + u" FROM deploys"_s + (server.isEmpty() ? QString() : u" WHERE server = ?"_s)
              + u" ORDER BY id DESC LIMIT ?"_s);
    if (!server.isEmpty())
        q.addBindValue(server);
    q.addBindValue(limit);
    if (!q.exec())
        return out;
    while (q.next()) {
        DeployRecord r;
        r.id = q.value(0).toLongLong();
        r.time = QDateTime::fromString(q.value(1).toString(), Qt::ISODateWithMs).toUTC();
        r.server = q.value(2).toString();
        r.container = q.value(3).toString();
        r.action = q.value(4).toString();
        r.image = q.value(5).toString();
        r.imageId = q.value(6).toString();
        r.bytesSent = q.value(7).toLongLong();
        r.result = q.value(8).toString();
        r.detail = q.value(9).toString();
        r.switchMs = q.value(10).isNull() ? -1 : q.value(10).toLongLong();
        out << r;
    }
    return out;
}

} // namespace Gantry
