// SPDX-License-Identifier: MIT
// Host keys and dead links, for real: `gantry ship --check` against an sshd on 127.0.0.1.
#include "sshserver.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace GantryTest;

class TestShipHostKeys : public QObject
{
    Q_OBJECT
    SshServer m_server;
    QTemporaryDir m_work;

    QStringList check(const QString &knownHosts, const QStringList &extra = {}) const
    {
        return QStringList{u"ship"_s, u"--check"_s, u"--to"_s, m_server.destination(), u"-i"_s, m_server.clientKey(),
                           u"--known-hosts"_s, knownHosts, u"--remote-dir"_s, m_work.filePath(u"remote"_s)}
            + extra;
    }
    static QString contents(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        QVERIFY(m_server.hostKeyFingerprint().startsWith(u"SHA256:"_s));
    }

    void knownKeyConnects()
    {
        const auto r = runGantry(check(m_server.knownHostsFile(), {u"--batch"_s}));
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY2(r.stdoutText().startsWith(u"Connected to root@127.0.0.1:%1: Docker "_s.arg(m_server.port())), qPrintable(r.stdoutText()));
        QVERIFY(r.stdoutText().contains(u"classic image store"_s));
    }

    void unknownKeyIsRefusedInBatchModeWithItsFingerprint()
    {
        const QString knownHosts = m_work.filePath(u"empty_known_hosts"_s);
        const auto r = runGantry(check(knownHosts, {u"--batch"_s}));
        QCOMPARE(r.exitCode, 1);
        const QString err = r.stderrText();
        QVERIFY2(err.contains(u"is not known yet"_s), qPrintable(err));
        QVERIFY2(err.contains(m_server.hostKeyFingerprint()), qPrintable(err));
        QVERIFY(!contents(knownHosts).contains(u"ssh-ed25519"_s));
    }

    void aWrongFingerprintIsNoConfirmation()
    {
        const QString knownHosts = m_work.filePath(u"wrong_known_hosts"_s);
        const auto r = runGantry(check(knownHosts, {u"--batch"_s, u"--accept-host-key"_s, u"SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"_s}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"is not known yet"_s), qPrintable(r.stderrText()));
        QVERIFY(!contents(knownHosts).contains(u"ssh-ed25519"_s));
    }

    void unknownKeyIsAcceptedAfterConfirmation()
    {
        const QString knownHosts = m_work.filePath(u"confirmed_known_hosts"_s);
        auto r = runGantry(check(knownHosts, {u"--batch"_s, u"--accept-host-key"_s, m_server.hostKeyFingerprint()}));
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        // ssh wrote the key (hashed, as Debian's ssh_config asks) for exactly this host and port.
        const auto found = Gantry::runProcess(u"ssh-keygen"_s, {u"-F"_s, u"[127.0.0.1]:%1"_s.arg(m_server.port()), u"-f"_s, knownHosts});
        QVERIFY2(found.ok(), qPrintable(contents(knownHosts)));
        const QString pub = contents(m_server.path(u"host_ed25519.pub"_s)).section(u' ', 1, 1);
        QVERIFY(contents(knownHosts).contains(pub));
        // Trusted from now on, without asking.
        r = runGantry(check(knownHosts, {u"--batch"_s}));
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
    }

    void onATerminalTheUserIsAsked_data()
    {
        QTest::addColumn<QString>("answer");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("yes") << u"yes"_s << true;
        QTest::newRow("no") << u"no"_s << false;
    }

    void onATerminalTheUserIsAsked()
    {
        QFETCH(QString, answer);
        QFETCH(bool, accepted);
        // A real terminal (script(1) gives gantry a pty); the user types the answer.
        const QString knownHosts = m_work.filePath(u"tty_known_hosts_"_s + answer);
        QString command;
        for (const QString &arg : QStringList{gantryExecutable()} + check(knownHosts))
            command += u" '"_s + QString(arg).replace(u"'"_s, u"'\\''"_s) + u'\'';
        const auto r = Gantry::runProcess(u"script"_s, {u"-qec"_s, command, u"/dev/null"_s}, QProcessEnvironment::systemEnvironment(),
                                          60000, (answer + u'\n').toUtf8());
        const QString out = r.stdoutText();
        QVERIFY2(out.contains(u"Trust this host key (ED25519 %1)?"_s.arg(m_server.hostKeyFingerprint())), qPrintable(out));
        QCOMPARE(r.exitCode == 0, accepted);
        QCOMPARE(out.contains(u"Connected to root@127.0.0.1"_s), accepted);
        QCOMPARE(contents(knownHosts).contains(u"ssh-ed25519"_s), accepted);
    }

    void nothingListeningIsReportedQuickly()
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        const int port = probe.serverPort();
        probe.close();
        const auto r = runGantry({u"ship"_s, u"--check"_s, u"--to"_s, u"root@127.0.0.1:%1"_s.arg(port), u"--batch"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"connection refused"_s), qPrintable(r.stderrText()));
    }

    void aServerThatNeverAnswersTimesOut()
    {
        // Accepts TCP connections (the kernel's backlog) but never speaks SSH: a dead link.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QElapsedTimer clock;
        clock.start();
        const auto r = runGantry({u"ship"_s, u"--check"_s, u"--to"_s, u"root@127.0.0.1:%1"_s.arg(silent.serverPort()), u"--batch"_s,
                                  u"--connect-timeout"_s, u"2"_s},
                                 QProcessEnvironment::systemEnvironment(), 60000);
        QVERIFY(!r.timedOut); // gantry gave up by itself
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"did not answer within 2 s"_s) || r.stderrText().contains(u"timeout"_s),
                 qPrintable(r.stderrText()));
    }

    void aChangedKeyIsRefusedWithAnExplanation()
    {
        QString error;
        QVERIFY2(m_server.changeHostKey(&error), qPrintable(error)); // known_hosts still has the old key
        const auto r = runGantry(check(m_server.knownHostsFile(), {u"--accept-host-key"_s, m_server.hostKeyFingerprint()}));
        QCOMPARE(r.exitCode, 1);
        const QString err = r.stderrText();
        QVERIFY2(err.contains(u"has CHANGED"_s), qPrintable(err));
        QVERIFY2(err.contains(m_server.hostKeyFingerprint()), qPrintable(err));
        QVERIFY2(err.contains(u"ssh-keygen -R"_s), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestShipHostKeys)
#include "tst_ship_hostkeys.moc"
