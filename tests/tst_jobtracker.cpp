// SPDX-License-Identifier: MIT
// The job tracker every background read in Gantry goes through: results come back on the
// owner's thread, only the newest job's result is delivered, drop() and a destroyed owner
// deliver nothing, and waitForAll() returns only when the work has returned. The work runs
// on real pool threads; the slow jobs wait on a semaphore the test releases, not on a timer.
#include "util/jobtracker.h"

#include <QAtomicInt>
#include <QSemaphore>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Gantry;

class TestJobTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void deliversOnTheOwnersThread()
    {
        QObject owner;
        auto *jobs = new JobTracker(&owner);
        QThread *workThread = nullptr;
        QThread *doneThread = nullptr;
        int got = 0;
        jobs->start([&workThread] { workThread = QThread::currentThread(); return 42; },
                    [&](int value) { doneThread = QThread::currentThread(); got = value; });
        QVERIFY(jobs->isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(got, 42, 10000);
        QVERIFY(workThread != QThread::currentThread());
        QCOMPARE(doneThread, QThread::currentThread());
        QVERIFY(!jobs->isRunning());
    }

    void onlyTheNewestJobIsDelivered()
    {
        QObject owner;
        auto *jobs = new JobTracker(&owner);
        QSemaphore releaseFirst;
        QList<QString> delivered;
        jobs->start([&releaseFirst] { releaseFirst.acquire(); return QStringLiteral("old"); },
                    [&](const QString &v) { delivered << v; });
        jobs->start([] { return QStringLiteral("new"); }, [&](const QString &v) { delivered << v; });
        QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, 10000);
        releaseFirst.release();
        jobs->waitForAll();
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QCOMPARE(delivered, QList<QString>{QStringLiteral("new")});
    }

    void dropDeliversNothing()
    {
        QObject owner;
        auto *jobs = new JobTracker(&owner);
        bool called = false;
        jobs->start([] {}, [&] { called = true; });
        jobs->drop();
        QVERIFY(!jobs->isRunning());
        jobs->waitForAll();
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QVERIFY(!called);
    }

    void aDestroyedOwnerGetsNothing()
    {
        auto owner = std::make_unique<QObject>();
        auto *jobs = new JobTracker(owner.get());
        QSemaphore release;
        auto returned = std::make_shared<QAtomicInt>(0);
        bool called = false;
        jobs->start([&release, returned] { release.acquire(); returned->storeRelaxed(1); return 1; },
                    [&](int) { called = true; });
        owner.reset();
        release.release();
        QTRY_COMPARE(returned->loadRelaxed(), 1);
        QCoreApplication::sendPostedEvents();
        QCoreApplication::processEvents();
        QVERIFY(!called);
    }

    void waitForAllWaitsForStaleJobsToo()
    {
        QObject owner;
        auto *jobs = new JobTracker(&owner);
        QAtomicInt finishedWork = 0;
        QSemaphore started;
        QSemaphore release;
        jobs->start([&] { started.release(); release.acquire(); finishedWork.fetchAndAddRelaxed(1); }, [] {});
        jobs->start([&] { started.release(); release.acquire(); finishedWork.fetchAndAddRelaxed(1); }, [] {});
        QVERIFY(started.tryAcquire(2, 10000));
        release.release(2);
        jobs->waitForAll();
        QCOMPARE(finishedWork.loadRelaxed(), 2);
    }
};

QTEST_GUILESS_MAIN(TestJobTracker)
#include "tst_jobtracker.moc"
