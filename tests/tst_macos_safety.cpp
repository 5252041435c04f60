// SPDX-License-Identifier: MIT
// Safety nets for macOS that Linux can check for real (issue 18): ssh masters a crashed
// Gantry left are found and logged out at the next start (a real OpenSSH master to the
// test's sshd); the private SSH folder moves to /tmp when $TMPDIR is too long for a unix
// socket on macOS (a real connection with such a $TMPDIR); the askpass helper is found
// as "Gantry" or "gantry"; and the askpass helper process writes no core dump.
// A local sshd (tests/support/sshserver.h), not a second machine: nothing here ships or looks
// at a server's engine; it needs only an ssh login to hold a master (and the sshd's log to see it
// log out) and to connect through.
#include "ship/askpass.h"
#include "ship/sshconnection.h"
#include "ship/sshfolders.h"
#include "failuretext.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDataStream>
#include <QDir>
#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace GantryTest;

class TestMacosSafety : public QObject
{
    Q_OBJECT
    SshServer m_server;
    QTemporaryDir m_work{QDir::tempPath() + u"/gantry-test-macos-XXXXXX"_s};

    Gantry::ServerProfile profile() const
    {
        Gantry::ServerProfile p;
        p.name = u"local"_s;
        p.host = m_server.host();
        p.port = m_server.port();
        p.user = u"root"_s;
        p.identityFile = m_server.clientKey();
        p.knownHostsFile = m_server.knownHostsFile();
        p.remoteDir = m_work.filePath(u"remote"_s);
        return p;
    }

    /// A process id that no process has any more.
    static qint64 deadPid()
    {
        QProcess p;
        p.start(u"true"_s, {});
        p.waitForFinished();
        return p.processId() > 0 ? p.processId() : 999999;
    }

    static QString makeFolder(const QString &base, const QString &name, std::optional<qint64> owner)
    {
        const QString dir = base + u'/' + name;
        QDir().mkpath(dir);
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        if (owner) {
            QFile f(dir + u'/' + Gantry::SshFolders::ownerFileName());
            f.open(QIODevice::WriteOnly);
            f.write(QByteArray::number(*owner));
        }
        return dir;
    }

    /// ssh -O check on a control socket: the master's pid, or 0 when none answers.
    qint64 masterPid(const QString &socket) const
    {
        const auto r = Gantry::runProcess(u"ssh"_s, {u"-o"_s, u"ControlPath="_s + socket, u"-O"_s, u"check"_s, u"x"_s});
        const auto m = QRegularExpression(u"pid=(\\d+)"_s).match(r.stderrText() + r.stdoutText());
        return r.ok() && m.hasMatch() ? m.captured(1).toLongLong() : 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
    }

    void aCrashedGantrysMasterIsClosedAtTheNextStart()
    {
        // What a Gantry that died without closing its connection leaves on macOS (no
        // PR_SET_PDEATHSIG there): its folder, naming a process that is gone, and an ssh
        // master still logged in, listening on the folder's control socket.
        const QString base = m_work.filePath(u"tmp"_s);
        const QString crashed = makeFolder(base, u"gantry-ssh-crashd"_s, deadPid());
        const QString socket = crashed + u"/cm"_s;
        // -f: it goes to the background once logged in, owned by no one (as after a crash).
        QProcess master;
        master.setStandardInputFile(QProcess::nullDevice());
        master.setStandardOutputFile(QProcess::nullDevice());
        master.setStandardErrorFile(m_work.filePath(u"master.log"_s));
        master.start(u"ssh"_s, {u"-f"_s, u"-N"_s, u"-M"_s, u"-o"_s, u"ControlPath="_s + socket, u"-o"_s, u"ControlPersist=yes"_s,
                                u"-o"_s, u"BatchMode=yes"_s, u"-o"_s, u"IdentitiesOnly=yes"_s, u"-i"_s, m_server.clientKey(), u"-o"_s,
                                u"UserKnownHostsFile="_s + m_server.knownHostsFile(), u"-p"_s, QString::number(m_server.port()),
                                u"root@127.0.0.1"_s});
        QVERIFY(master.waitForFinished(30000));
        QVERIFY2(master.exitCode() == 0, GantryTest::readAll(m_work.filePath(u"master.log"_s)).constData());
        const qint64 pid = masterPid(socket);
        QVERIFY2(pid > 0, "the leftover master does not answer");
        // Folders Gantry must not touch: a running Gantry's (this process stands in) and one without an owner.
        const QString live = makeFolder(base, u"gantry-ssh-livexx"_s, QCoreApplication::applicationPid());
        const QString unknown = makeFolder(base, u"gantry-ssh-nownrx"_s, std::nullopt);

        const auto leftovers = Gantry::SshFolders::findLeftovers({base}, Gantry::SshFolders::processRuns);
        QCOMPARE(leftovers.size(), 1);
        QCOMPARE(leftovers.first().folder, QDir(crashed).canonicalPath());
        QCOMPARE(leftovers.first().controlSocket, QDir(crashed).canonicalPath() + u"/cm"_s);
        QCOMPARE(Gantry::SshFolders::closeLeftovers(leftovers), 1);
        // The master logged out and ended; its folder is gone; the others are untouched.
        QTRY_VERIFY_WITH_TIMEOUT(::kill(pid_t(pid), 0) != 0, 10000);
        QVERIFY(!QFileInfo::exists(crashed));
        QVERIFY(QFileInfo::exists(live) && QFileInfo::exists(unknown));
        QTRY_VERIFY_WITH_TIMEOUT(m_server.log().contains(u"Disconnected from user root"_s) || m_server.log().contains(u"Close session"_s)
                                     || m_server.log().contains(u"disconnect"_s),
                                 10000);
    }

    void aLongTmpdirStillConnects()
    {
        // $TMPDIR so long that <TMPDIR>/gantry-ssh-XXXXXX/cm.<16 random> passes macOS's 104
        // bytes (and Linux's 108): the folder is made in /tmp instead, and ssh connects.
        const QString longTmp = m_work.filePath(QString(90, u'T'));
        QVERIFY(QDir().mkpath(longTmp));
        QVERIFY(longTmp.toLocal8Bit().size() > 100);
        QCOMPARE(Gantry::SshFolders::baseFor(longTmp), u"/tmp"_s);
        QCOMPARE(Gantry::SshFolders::baseFor(u"/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T/"_s),
                 u"/var/folders/zz/zyxvpxvq6csfxvn_n0000000000000/T"_s); // macOS's own $TMPDIR fits
        const QByteArray saved = qgetenv("TMPDIR");
        qputenv("TMPDIR", longTmp.toLocal8Bit());
        Gantry::SshConnection ssh(profile(), Gantry::SshOptions{});
        const Gantry::Status opened = ssh.open();
        const auto r = opened ? ssh.run(u"echo connected"_s) : Gantry::ProcessResult{};
        qputenv("TMPDIR", saved);
        QVERIFY2(opened, qPrintable(GantryTest::failureText(opened)));
        QCOMPARE(r.stdoutText().trimmed(), u"connected"_s);
        ssh.close();
    }

    void askpassIsFoundWhateverTheCase()
    {
        const QString dir = m_work.filePath(u"bundle/Contents/MacOS"_s);
        QVERIFY(QDir().mkpath(dir));
        QFile exe(dir + u"/Gantry"_s);
        QVERIFY(exe.open(QIODevice::WriteOnly));
        exe.write("#!/bin/sh\n");
        exe.close();
        exe.setPermissions(exe.permissions() | QFile::ExeOwner);
        // The bundle's binary itself is "Gantry": it is its own askpass.
        QCOMPARE(Gantry::SshConnection::askpassProgramBeside(dir + u"/Gantry"_s), dir + u"/Gantry"_s);
        // Another program beside it (the CLI wrapper, a helper) finds "Gantry", not only "gantry".
        QCOMPARE(Gantry::SshConnection::askpassProgramBeside(dir + u"/gantry-cli"_s), QFileInfo(dir + u"/Gantry"_s).canonicalFilePath());
    }

    void theAskpassHelperWritesNoCoreDump()
    {
        // gantry as ssh's askpass holds the secret it prints: its core size limit is 0.
        QLocalServer server;
        QVERIFY(server.listen(m_work.filePath(u"ap"_s)));
        QProcess helper;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(Gantry::askpassSocketVariable()), server.fullServerName());
        helper.setProcessEnvironment(env);
        // Started with core dumps allowed (as a developer's shell may have them), so only Gantry can lower the limit.
        helper.start(u"sh"_s, {u"-c"_s, u"ulimit -c unlimited 2>/dev/null || ulimit -c \"$(ulimit -H -c)\"; exec \"$0\" \"$@\""_s,
                               gantryExecutable(), u"root@127.0.0.1's password:"_s});
        QVERIFY(helper.waitForStarted());
        QVERIFY(server.waitForNewConnection(30000));
        QLocalSocket *socket = server.nextPendingConnection();
        // It is waiting for the answer now, past its start-up.
        QFile limits(u"/proc/%1/limits"_s.arg(helper.processId()));
        QVERIFY(limits.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(limits.readAll());
        const auto m = QRegularExpression(u"Max core file size\\s+(\\S+)\\s+(\\S+)"_s).match(text);
        QVERIFY2(m.hasMatch(), qPrintable(text));
        QCOMPARE(m.captured(1), u"0"_s);
        QCOMPARE(m.captured(2), u"0"_s);
        QByteArray block;
        QDataStream out(&block, QIODevice::WriteOnly);
        out.setVersion(QDataStream::Qt_6_0);
        out << true << u"pw"_s;
        socket->write(block);
        socket->flush();
        QVERIFY(helper.waitForFinished(30000));
        QCOMPARE(helper.readAllStandardOutput(), QByteArray("pw\n"));
    }
};

QTEST_GUILESS_MAIN(TestMacosSafety)
#include "tst_macos_safety.moc"
