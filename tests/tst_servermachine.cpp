// SPDX-License-Identifier: MIT
// The ship tests' second machine (tests/support/servermachine.h) is what it claims: its own
// engine and image store (classic or containerd), its own sshd, reachable only on
// 127.0.0.1, and a link that can be cut and slowed.
#include "failuretext.h"
#include "servermachine.h"
#include "testsupport.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace GantryTest;

class TestServerMachine : public QObject
{
    Q_OBJECT

    ServerMachine m_server{ServerMachine::Options{.store = ServerMachine::Store::Classic, .ports = {3000}}};

    Gantry::ProcessResult ssh(const QString &command, int connectTimeout = 10) const
    {
        return Gantry::runProcess(u"ssh"_s, {u"-i"_s, m_server.clientKey(), u"-o"_s, u"UserKnownHostsFile="_s + m_server.knownHostsFile(),
                                             u"-o"_s, u"StrictHostKeyChecking=yes"_s, u"-o"_s, u"BatchMode=yes"_s,
                                             u"-o"_s, u"ConnectTimeout=%1"_s.arg(connectTimeout), u"-p"_s, QString::number(m_server.port()),
                                             u"root@127.0.0.1"_s, command},
                                  QProcessEnvironment::systemEnvironment(), 60000);
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_server.start(), qPrintable(m_server.startFailure())); }

    void sshReachesTheServersOwnEngine()
    {
        const auto remote = ssh(u"hostname; docker info --format '{{.ID}} {{.Driver}}'"_s);
        QVERIFY2(remote.ok(), qPrintable(remote.stderrText() + m_server.log()));
        const QStringList lines = remote.stdoutText().split(u'\n');
        QCOMPARE(lines.value(0), m_server.name());
        const QString localId = runDocker({u"info"_s, u"--format"_s, u"{{.ID}}"_s}).stdoutText();
        QVERIFY(!localId.isEmpty());
        QVERIFY2(lines.value(1).section(u' ', 0, 0) != localId, qPrintable(lines.value(1)));
        // The host key in known_hosts is the one sshd presents (StrictHostKeyChecking=yes passed).
        QVERIFY(m_server.hostKeyFingerprint().startsWith(u"SHA256:"_s));
    }

    void publishedOnlyOnLoopback()
    {
        const auto ports = runDocker({u"port"_s, m_server.name()});
        QVERIFY(ports.ok());
        const QStringList lines = ports.stdoutText().split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2); // 22 and 3000
        for (const QString &line : lines)
            QVERIFY2(line.contains(u"-> 127.0.0.1:"_s), qPrintable(line));
        QVERIFY(m_server.publishedPort(3000) > 0);
        QVERIFY(m_server.publishedPort(3000) != m_server.port());
    }

    void imagesAreTheServersOwn()
    {
        const QString image = u"gantry/debian:trixie"_s;
        QVERIFY(runDocker({u"image"_s, u"inspect"_s, image}).ok());
        QVERIFY(!m_server.hasImage(image));
        const Gantry::Status copied = m_server.copyImageFromClient(image);
        QVERIFY2(copied.ok(), qPrintable(GantryTest::failureText(copied)));
        QVERIFY(m_server.hasImage(image));
    }

    void aCutLinkGoesSilentAndComesBack()
    {
        QVERIFY(ssh(u"true"_s).ok());
        QVERIFY(m_server.cutLink().ok());
        const auto cut = ssh(u"true"_s, 3);
        QVERIFY(!cut.ok());
        QCOMPARE(cut.exitCode, 255);
        QVERIFY2(cut.stderrText().contains(u"timed out"_s), qPrintable(cut.stderrText()));
        QVERIFY(m_server.restoreLink().ok());
        QVERIFY(ssh(u"true"_s).ok());
    }

    void aShapedLinkIsInPlaceOnTheServer()
    {
        QVERIFY(m_server.shapeLink({.rateKbit = 4000, .lossPercent = 1}).ok());
        const auto qdisc = m_server.run(u"tc qdisc show dev eth0; tc qdisc show dev gifb0; iptables -S GANTRY-LINK"_s);
        QVERIFY2(qdisc.stdoutText().count(u"rate 4Mbit"_s) == 2, qPrintable(qdisc.stdoutText()));
        QVERIFY2(qdisc.stdoutText().count(u"statistic --mode random --probability 0.0099"_s) == 2, qPrintable(qdisc.stdoutText()));
        // Still usable, only slower.
        QVERIFY(ssh(u"true"_s).ok());
        // A delay needs netem: either it is applied or the fixture says why it cannot be.
        const Gantry::Status delayed = m_server.shapeLink({.delayMs = 50});
        if (!delayed.ok())
            QVERIFY2(delayed.failure().cause.contains(u"netem"_s), qPrintable(delayed.failure().sentence()));
        QVERIFY(m_server.restoreLink().ok());
        const auto clear = m_server.run(u"tc qdisc show dev eth0"_s);
        QVERIFY(!clear.stdoutText().contains(u"tbf"_s) && !clear.stdoutText().contains(u"netem"_s));
    }

    void containerdStoreWhenAsked()
    {
        ServerMachine containerd({.store = ServerMachine::Store::Containerd, .ports = {}});
        QVERIFY2(containerd.start(), qPrintable(containerd.startFailure()));
        const auto info = containerd.docker({u"info"_s, u"--format"_s, u"{{json .DriverStatus}}"_s});
        QVERIFY2(info.stdoutText().contains(u"io.containerd.snapshotter"_s), qPrintable(info.stdoutText()));
        const auto classic = m_server.docker({u"info"_s, u"--format"_s, u"{{json .DriverStatus}}"_s});
        QVERIFY(!classic.stdoutText().contains(u"io.containerd.snapshotter"_s));
        const QString name = containerd.name();
        containerd.stop();
        QVERIFY(!runDocker({u"inspect"_s, name}).ok()); // gone, with its volume
    }
};

QTEST_GUILESS_MAIN(TestServerMachine)
#include "tst_servermachine.moc"
