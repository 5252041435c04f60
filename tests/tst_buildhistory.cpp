// SPDX-License-Identifier: MIT
// The build history library on its own, with real SQLite files: rows written with
// BuildHistory::add come back through recent/record and, for Inspect, succeededBuilds
// (only one project's successful builds, oldest first); a missing file is no history and
// is not created by reading; a file that is not a database is one Unreadable failure.
#include "buildrun/buildhistory.h"
#include "failuretext.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;
using namespace Gantry;
using GantryTest::failureText;

namespace {

BuildRecord build(const QString &started, const QString &root, const QString &result, const QString &imageId, qint64 size)
{
    BuildRecord r;
    r.started = QDateTime::fromString(started, Qt::ISODate);
    r.projectRoot = root;
    r.tag = u"app:latest"_s;
    r.result = result;
    r.imageId = imageId;
    r.imageSize = size;
    return r;
}

} // namespace

class TestBuildHistory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sizeHistoryFromTheBuildDatabase()
    {
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(u"history.sqlite"_s);
        {
            BuildHistory history(dbPath);
            QVERIFY2(history.isOpen(), qPrintable(failureText(history.status())));
            for (const BuildRecord &r : {build(u"2026-11-01T10:00:00Z"_s, u"/p"_s, u"succeeded"_s, u"sha256:a"_s, 3000000),
                                         build(u"2026-11-02T10:00:00Z"_s, u"/p"_s, u"failed"_s, QString(), -1),
                                         build(u"2026-11-03T10:00:00Z"_s, u"/other"_s, u"succeeded"_s, u"sha256:x"_s, 9),
                                         build(u"2026-11-04T10:00:00Z"_s, u"/p"_s, u"succeeded"_s, u"sha256:b"_s, 2500000)}) {
                const Result<qint64> added = history.add(r);
                QVERIFY2(added, qPrintable(failureText(added)));
            }
            QCOMPARE(history.recent(10, u"/p"_s).size(), 3);
            QCOMPARE(history.recent(10, u"/p"_s).constFirst().imageId, u"sha256:b"_s); // newest first
        }
        const auto read = BuildHistory::succeededBuilds(u"/p"_s, dbPath);
        QVERIFY2(read, qPrintable(failureText(read)));
        const QList<BuildRecord> &history = *read;
        QCOMPARE(history.size(), 2);
        QCOMPARE(history.at(0).imageSize, 3000000);
        QCOMPARE(history.at(1).imageSize, 2500000);
        QCOMPARE(history.at(1).started, QDateTime(QDate(2026, 11, 4), QTime(10, 0), QTimeZone::UTC));
        const auto previous = previousBuild(history, u"sha256:b"_s);
        QVERIFY(previous);
        QCOMPARE(previous->imageId, u"sha256:a"_s);
        const QString missingPath = dir.filePath(u"missing.sqlite"_s);
        const auto missing = BuildHistory::succeededBuilds(u"/p"_s, missingPath);
        QVERIFY(missing);
        QVERIFY(missing->isEmpty());
        QVERIFY(!QFile::exists(missingPath)); // reading never creates the file
    }

    void theDefaultFileIsTheEnvironmentsOne()
    {
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(u"env.sqlite"_s);
        qputenv("GANTRY_HISTORY_DB", dbPath.toLocal8Bit());
        auto reset = qScopeGuard([] { qunsetenv("GANTRY_HISTORY_DB"); });
        QCOMPARE(BuildHistory::defaultPath(), dbPath);
        {
            BuildHistory history;
            QCOMPARE(history.path(), dbPath);
            QVERIFY(history.add(build(u"2026-11-01T10:00:00Z"_s, u"/p"_s, u"succeeded"_s, u"sha256:a"_s, 5)));
        }
        const auto read = BuildHistory::succeededBuilds(u"/p"_s);
        QVERIFY2(read, qPrintable(failureText(read)));
        QCOMPARE(read->size(), 1);
    }

    void aFileThatIsNotADatabaseIsUnreadable()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"history.sqlite"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
        file.close();
        const auto read = BuildHistory::succeededBuilds(u"/p"_s, path);
        QVERIFY(!read);
        QCOMPARE(read.failure().className(), toString(ErrorClass::Unreadable));
        QVERIFY2(read.failure().sentence().contains(path), qPrintable(read.failure().sentence()));
        BuildHistory writer(path);
        QVERIFY(!writer.isOpen());
        QVERIFY(!writer.status());
        const Result<qint64> added = writer.add(build(u"2026-11-01T10:00:00Z"_s, u"/p"_s, u"succeeded"_s, u"sha256:a"_s, 5));
        QVERIFY(!added);
        QVERIFY2(added.failure().sentence().contains(path), qPrintable(added.failure().sentence()));
    }

    void aDatabaseFromBeforeImageRefIsRead()
    {
        // The one table written here by hand: the file an older Gantry (before image_ref)
        // left behind, which today's API cannot produce.
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(u"history.sqlite"_s);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"older-gantry"_s);
            db.setDatabaseName(dbPath);
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(u"CREATE TABLE builds (id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, duration_ms INTEGER, project_root TEXT, recipe TEXT, platforms TEXT, tag TEXT, result TEXT NOT NULL, error TEXT, steps INTEGER, cached_steps INTEGER, image_id TEXT, image_size INTEGER)"_s));
            QVERIFY(q.exec(u"INSERT INTO builds (started, project_root, tag, result, image_id, image_size) VALUES ('2026-11-01T10:00:00Z', '/p', 't', 'succeeded', 'sha256:a', 7)"_s));
            db.close();
        }
        QSqlDatabase::removeDatabase(u"older-gantry"_s);
        const auto read = BuildHistory::succeededBuilds(u"/p"_s, dbPath);
        QVERIFY2(read, qPrintable(failureText(read)));
        QCOMPARE(read->size(), 1);
        QCOMPARE(read->constFirst().imageId, u"sha256:a"_s);
        QVERIFY(read->constFirst().engineRef.isEmpty());
        // Opening it to write adds the column; the new row keeps its engine name.
        BuildHistory history(dbPath);
        BuildRecord r = build(u"2026-11-02T10:00:00Z"_s, u"/p"_s, u"succeeded"_s, u"sha256:b"_s, 8);
        r.engineRef = u"sha256:engine"_s;
        const Result<qint64> added = history.add(r);
        QVERIFY2(added, qPrintable(failureText(added)));
        QCOMPARE(history.record(*added)->engineRef, u"sha256:engine"_s);
    }
};

QTEST_GUILESS_MAIN(TestBuildHistory)
#include "tst_buildhistory.moc"
