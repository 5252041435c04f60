// SPDX-License-Identifier: MIT
// Host keys and dead links, for real: `gantry ship --check` (and, once the key is trusted, a
// ship) against a second machine (tests/support/servermachine.h: its own sshd, host key,
// dockerd and image store, reached only on 127.0.0.1). The shipped image is built on the
// client and removed from its engine first: the server's engine has it afterwards, the
// client's does not.
#include "servermachine.h"
#include "shipfixtures.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;

class TestShipHostKeys : public QObject
{
    Q_OBJECT
    ServerMachine m_server;
    QTemporaryDir m_work;
    QString m_image, m_archive;

    QStringList check(const QString &knownHosts, const QStringList &extra = {}) const
    {
        return QStringList{u"ship"_s, u"--check"_s, u"--to"_s, m_server.destination(), u"-i"_s, m_server.clientKey(),
                           u"--known-hosts"_s, knownHosts, u"--remote-dir"_s, u"/srv/gantry-test/remote"_s}
            + extra;
    }
    /// The server's current ed25519 host key, as its sshd offers it now ("ssh-ed25519 AAAA...").
    QString serverHostKey() const
    {
        return m_server.run(u"ssh-keyscan -t ed25519 -p 22 127.0.0.1 2>/dev/null | grep -v '^#' | cut -d' ' -f2-"_s).stdoutText().trimmed();
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
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        QVERIFY(m_server.hostKeyFingerprint().startsWith(u"SHA256:"_s));
        m_image = u"gantry-test-hostkeys-%1:latest"_s.arg(QUuid::createUuid().toString(QUuid::Id128).left(12));
        QVERIFY2(ShipFixtures::buildTinyImage(m_image, m_work.filePath(u"image"_s), m_image, &error), qPrintable(error));
        m_archive = m_work.filePath(u"image.tar"_s);
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_archive, m_image}).ok());
        QVERIFY(runDocker({u"rmi"_s, m_image}).ok()); // from here on only a ship can bring it anywhere
    }

    void cleanupTestCase() { runDocker({u"rmi"_s, u"-f"_s, m_image}); } // the server goes with its container

    void knownKeyConnects()
    {
        const auto r = runGantry(check(m_server.knownHostsFile(), {u"--batch"_s}));
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY2(r.stdoutText().startsWith(u"Connected to root@127.0.0.1:%1: Docker "_s.arg(m_server.port())), qPrintable(r.stdoutText()));
        QVERIFY(r.stdoutText().contains(u"classic image store"_s));
        // The version it names is the server's engine's.
        const QString serverVersion = m_server.docker({u"version"_s, u"--format"_s, u"{{.Server.Version}}"_s}).stdoutText().trimmed();
        QVERIFY(!serverVersion.isEmpty());
        QVERIFY2(r.stdoutText().contains(u"Docker "_s + serverVersion), qPrintable(r.stdoutText() + u" / server: "_s + serverVersion));
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
        const QString pub = serverHostKey().section(u' ', 1, 1);
        QVERIFY(!pub.isEmpty());
        QVERIFY(contents(knownHosts).contains(pub));
        // Trusted from now on, without asking.
        r = runGantry(check(knownHosts, {u"--batch"_s}));
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        // And a ship with that known_hosts lands in the server's engine, not the client's.
        QVERIFY(!m_server.hasImage(m_image));
        r = runGantry({u"ship"_s, m_archive, u"--to"_s, m_server.destination(), u"-i"_s, m_server.clientKey(), u"--known-hosts"_s,
                       knownHosts, u"--remote-dir"_s, u"/srv/gantry-test/remote"_s, u"--batch"_s},
                      QProcessEnvironment::systemEnvironment(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText()));
        QVERIFY(m_server.hasImage(m_image));
        QCOMPARE(m_server.run(u"docker create --name gantry-test-hostkeys-c %1 /x >/dev/null && docker cp gantry-test-hostkeys-c:/content.txt - | tar -xO; "
                              "docker rm gantry-test-hostkeys-c >/dev/null"_s.arg(m_image)).stdoutText(),
                 m_image); // its file holds what the client built into it
        QVERIFY2(!runDocker({u"image"_s, u"inspect"_s, m_image}).ok(), "the ship put the image into the client's engine");
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
        // The server gets a new host key and its sshd reloads it (SIGHUP); known_hosts still has the old key.
        const QString before = serverHostKey();
        QVERIFY(!before.isEmpty());
        const auto changed = m_server.run(u"set -e; rm -f /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ed25519_key.pub; "
                                          "ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key; kill -HUP $(pgrep -o -x sshd)"_s);
        QVERIFY2(changed.ok(), qPrintable(changed.stderrText()));
        const QDeadlineTimer deadline(30000);
        while ((serverHostKey().isEmpty() || serverHostKey() == before) && !deadline.hasExpired())
            QThread::msleep(200);
        QVERIFY2(!serverHostKey().isEmpty() && serverHostKey() != before, "the server's sshd did not take its new host key");
        const QString fingerprint = m_server.run(u"ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"_s).stdoutText().section(u' ', 1, 1);
        QVERIFY(fingerprint.startsWith(u"SHA256:"_s) && fingerprint != m_server.hostKeyFingerprint());
        const auto r = runGantry(check(m_server.knownHostsFile(), {u"--accept-host-key"_s, fingerprint}));
        QCOMPARE(r.exitCode, 1);
        const QString err = r.stderrText();
        QVERIFY2(err.contains(u"has CHANGED"_s), qPrintable(err));
        QVERIFY2(err.contains(fingerprint), qPrintable(err));
        QVERIFY2(err.contains(u"ssh-keygen -R"_s), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestShipHostKeys)
#include "tst_ship_hostkeys.moc"
