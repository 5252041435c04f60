// SPDX-License-Identifier: MIT
// Secret reads never hang (issue 18): a real gnome-keyring in a private D-Bus session
// (data/macos/private-keyring.sh) answers; then the SAME daemon is stopped with SIGSTOP
// — a real keychain that never answers, the one named stand-in here for a macOS keychain
// whose answer never arrives — and reads end after their timeout, or at once when they are
// cancelled (what Cancel and quitting do), each with one sentence. The wait/cancel code
// (app/ship/keychainwait.cpp) is the one the macOS Security.framework reads go through.
#include "ship/keychainwait.h"
#include "ship/secretstore.h"
#include "failuretext.h"
#include "testsupport.h"

#include <QFutureWatcher>
#include <QTest>
#include <QThreadPool>
#include <QUuid>
#include <QtConcurrentRun>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

class TestKeychainWait : public QObject
{
    Q_OBJECT
    qint64 m_daemon = 0;
    const QString m_key = u"tst-keychain-wait/"_s + QUuid::createUuid().toString(QUuid::Id128);
    const QString m_secret = u"s3cret-"_s + QUuid::createUuid().toString(QUuid::Id128).left(10);

    /// The process that owns org.freedesktop.secrets on this D-Bus session.
    static qint64 secretServicePid()
    {
        const auto r = Gantry::runProcess(u"dbus-send"_s, {u"--session"_s, u"--print-reply"_s, u"--dest=org.freedesktop.DBus"_s,
                                                            u"/org/freedesktop/DBus"_s, u"org.freedesktop.DBus.GetConnectionUnixProcessID"_s,
                                                            u"string:org.freedesktop.secrets"_s});
        return r.stdoutText().section(u"uint32 "_s, 1).trimmed().toLongLong();
    }

    void stopKeychain() { QCOMPARE(::kill(pid_t(m_daemon), SIGSTOP), 0); }
    void continueKeychain() { ::kill(pid_t(m_daemon), SIGCONT); }

private Q_SLOTS:
    void initTestCase()
    {
        if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
            QSKIP("no D-Bus session: run through tests/data/macos/private-keyring.sh (ctest does)");
        const Gantry::Status stored = Gantry::SecretStore::write(m_key, m_secret);
        QVERIFY2(stored, qPrintable(GantryTest::failureText(stored)));
        m_daemon = secretServicePid();
        QVERIFY2(m_daemon > 1, "no process owns org.freedesktop.secrets");
    }

    void cleanupTestCase()
    {
        // The keyring is private and removed with its D-Bus session (private-keyring.sh). No
        // keychain call here: QtKeychain runs its jobs one after another, and the cancelled
        // read's job, left in a pool thread that has ended, never finishes.
        continueKeychain();
    }

    void aRunningKeychainAnswers()
    {
        const auto found = Gantry::SecretStore::readSecret(m_key, {10s, nullptr});
        QVERIFY2(found, qPrintable(GantryTest::failureText(found)));
        QCOMPARE(found->value_or(QString()), m_secret);
        // (QtKeychain asks a second wallet before it says "not stored": that takes a while.)
        const auto missing = Gantry::SecretStore::readSecret(m_key + u"-never-stored"_s, {60s, nullptr});
        QVERIFY2(missing, qPrintable(GantryTest::failureText(missing)));
        QVERIFY(!missing->has_value());
        // The GUI's asynchronous read finds it too.
        std::optional<Gantry::SecretStore::ReadResult> async;
        Gantry::SecretStore::readAsync(m_key, this, [&async](const Gantry::SecretStore::ReadResult &r) { async = r; });
        QTRY_VERIFY_WITH_TIMEOUT(async.has_value(), 10000);
        QVERIFY2(*async, qPrintable(GantryTest::failureText(*async)));
        QCOMPARE((*async)->value_or(QString()), m_secret);
    }

    void aKeychainThatNeverAnswersTimesOut()
    {
        stopKeychain();
        const auto r = Gantry::SecretStore::readSecret(m_key, {2s, nullptr});
        continueKeychain();
        QVERIFY(!r);
        QVERIFY(r.failure().errorClass == Gantry::ErrorClass::Other);
        QCOMPARE(r.failure().sentence(),
                 u"The keychain did not answer within 2 seconds. Unlock it (its password dialog may be hidden behind other "
                 u"windows) or check that a keychain service is running, then try again."_s);
        // It answers again afterwards: the abandoned read did not wedge anything.
        const auto again = Gantry::SecretStore::readSecret(m_key, {90s, nullptr});
        QVERIFY2(again, qPrintable(GantryTest::failureText(again)));
        QCOMPARE(again->value_or(QString()), m_secret);
    }

    void cancelEndsAWaitingReadOnAWorkerThread()
    {
        // As Cancel and quitting do it (ShipJob's destructor sets the flag and waits for
        // its pool threads): the read is on a pool thread, the timeout far away, the
        // keychain silent. Only the flag can end it; without it this test hangs until ctest's timeout.
        stopKeychain();
        std::atomic_bool cancel{false};
        QThreadPool pool;
        QFuture<Gantry::Result<std::optional<QString>>> future =
            QtConcurrent::run(&pool, [this, &cancel] { return Gantry::SecretStore::readSecret(m_key, {std::chrono::hours(1), &cancel}); });
        QTest::qWait(300);
        QVERIFY(!future.isFinished());
        cancel = true;
        future.waitForFinished();
        continueKeychain();
        pool.waitForDone();
        const auto r = future.result();
        QVERIFY(!r);
        QVERIFY(r.failure().cancelled());
        QCOMPARE(r.failure().sentence(), u"Reading the keychain was cancelled."_s);
    }

    void aFailingLookupIsOneSentence()
    {
        // The wait itself, with a blocking look-up on its own thread (as macOS's SecItemCopyMatching
        // runs) that reports a keychain error: cause with the keychain's words, and what to do.
        const auto r = Gantry::waitForKeychain(
            Gantry::onItsOwnThread([] { return Gantry::KeychainAnswer{Gantry::KeychainAnswer::Failed, {}, u"User canceled the operation"_s}; }),
            5s, nullptr);
        QVERIFY(!r);
        QCOMPARE(r.failure().sentence(), u"The keychain failed (User canceled the operation). Unlock it, or check that a keychain service is running."_s);
    }
};

QTEST_GUILESS_MAIN(TestKeychainWait)
#include "tst_keychain_wait.moc"
