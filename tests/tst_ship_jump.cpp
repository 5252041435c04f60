// SPDX-License-Identifier: MIT
// Shipping THROUGH a jump host: the target is a second machine (tests/support/servermachine.h:
// its own dockerd and sshd, published on 127.0.0.1), the jump a real sshd on 127.0.0.1 that
// forwards to it; the image lands in the target's own engine. The jump's sshd logs (DEBUG1) every forwarded
// connection, so the test sees that the ship really went through it; the jump host's key
// is checked against the profile's known_hosts like the target's.
#include "servermachine.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;

namespace {

QString contents(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

bool writeFile(const QString &path, const QString &text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text.toUtf8()) == text.toUtf8().size();
}

} // namespace

class TestShipJump : public QObject
{
    Q_OBJECT

    ServerMachine m_target;
    SshServer m_jump;
    QTemporaryDir m_work{QDir::tempPath() + u"/gantry-test-shipjump-XXXXXX"_s};
    QString m_image, m_archive, m_bothKnown;
    QStringList m_layers;

    QString jumpSpec() const { return u"root@127.0.0.1:%1"_s.arg(m_jump.port()); }

    QProcessEnvironment env() const
    {
        auto e = QProcessEnvironment::systemEnvironment();
        e.insert(u"XDG_CACHE_HOME"_s, m_work.filePath(u"cache"_s));
        e.insert(u"XDG_CONFIG_HOME"_s, m_work.filePath(u"config"_s));
        return e;
    }

    QStringList checkArgs(const QString &knownHosts) const
    {
        return {u"ship"_s, u"--check"_s, u"--to"_s, m_target.destination(), u"--jump"_s, jumpSpec(), u"-i"_s, m_target.clientKey(),
                u"--known-hosts"_s, knownHosts, u"--remote-dir"_s, u"/srv/gantry-test/remote"_s, u"--batch"_s};
    }

    /// "target 127.0.0.1 port N" lines in the jump's log: the connections it forwarded to the target.
    int forwardsToTarget() const
    {
        const QRegularExpression rx(u"target 127\\.0\\.0\\.1 port %1\\b"_s.arg(m_target.port()));
        int n = 0;
        for (auto it = rx.globalMatch(m_jump.log()); it.hasNext(); it.next())
            ++n;
        return n;
    }

    static int count(const QString &text, const QString &what) { return int(text.count(what)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QString error;
        QVERIFY2(m_target.start(), qPrintable(m_target.startFailure()));
        m_jump.setLogLevel(u"DEBUG1"_s);
        QVERIFY2(m_jump.start(&error), qPrintable(error));
        // One key for both, as a profile has one identity file.
        QVERIFY2(m_jump.authorizeKey(m_target.clientKey() + u".pub"_s, &error), qPrintable(error));
        m_bothKnown = m_work.filePath(u"known_hosts"_s);
        QVERIFY(writeFile(m_bothKnown, contents(m_target.knownHostsFile()) + contents(m_jump.knownHostsFile())));

        const QString token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_image = u"gantry-test-shipjump-%1:latest"_s.arg(token);
        QVERIFY2(ShipFixtures::buildExampleImage(m_image, token, false, &error), qPrintable(error));
        m_layers = ShipFixtures::layerDiffIds(m_image);
        QVERIFY(!m_layers.isEmpty());
        m_archive = m_work.filePath(u"image.tar"_s);
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_archive, m_image}).ok());
    }

    void cleanupTestCase() { runDocker({u"rmi"_s, u"-f"_s, m_image}); }

    void shipsThroughTheJumpHost()
    {
        QVERIFY(!m_target.hasImage(m_image));
        const int forwardsBefore = forwardsToTarget();
        const auto r = runGantry({u"ship"_s, m_archive, u"--to"_s, m_target.destination(), u"--jump"_s, jumpSpec(), u"-i"_s,
                                  m_target.clientKey(), u"--known-hosts"_s, m_bothKnown, u"--remote-dir"_s, u"/srv/gantry-test/remote"_s,
                                  u"--batch"_s},
                                 env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText() + u"\njump sshd:\n"_s + m_jump.log().right(3000)));
        QVERIFY(m_target.hasImage(m_image));
        QCOMPARE(m_target.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{range .RootFS.Layers}}{{.}} {{end}}"_s, m_image})
                     .stdoutText().split(u' ', Qt::SkipEmptyParts),
                 m_layers);
        // The jump host logged the login with the profile's key and the forwarded connection to the target.
        const QString jumpLog = m_jump.log();
        QVERIFY2(jumpLog.contains(u"Accepted publickey for root from 127.0.0.1"_s), qPrintable(jumpLog.right(3000)));
        QVERIFY2(forwardsToTarget() > forwardsBefore, qPrintable(jumpLog.right(3000)));
    }

    void aDownJumpHostIsNamed()
    {
        // The target itself is up and reachable: only the jump is gone, and the ship fails.
        m_jump.stop();
        const auto r = runGantry(checkArgs(m_bothKnown), env(), 120000);
        QString error;
        QVERIFY2(m_jump.start(&error), qPrintable(error));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"jump host %1"_s.arg(jumpSpec())), qPrintable(r.stderrText()));
        QVERIFY(runGantry(checkArgs(m_bothKnown), env(), 120000).ok()); // and back through it
    }

    void unknownJumpHostKeyIsRefusedInBatchMode()
    {
        // known_hosts trusts the target only: the jump host's key is unknown.
        const QString targetOnly = m_work.filePath(u"target_known_hosts"_s);
        QVERIFY(writeFile(targetOnly, contents(m_target.knownHostsFile())));
        const int targetLoginsBefore = count(m_target.sshdLog(), u"Accepted publickey"_s);
        const auto r = runGantry(checkArgs(targetOnly), env(), 120000);
        QCOMPARE(r.exitCode, 1);
        const QString err = r.stderrText();
        QVERIFY2(err.contains(u"jump host %1"_s.arg(jumpSpec())), qPrintable(err));
        QVERIFY2(err.contains(m_jump.hostKeyFingerprint()), qPrintable(err));
        QVERIFY2(err.contains(u"not known yet"_s), qPrintable(err));
        QVERIFY(!err.contains(m_target.hostKeyFingerprint()));
        QCOMPARE(count(m_target.sshdLog(), u"Accepted publickey"_s), targetLoginsBefore); // never reached the target
        QCOMPARE(contents(targetOnly), contents(m_target.knownHostsFile()));          // nothing was added

        // A fingerprint that is not the jump host's is no confirmation either.
        const auto wrong = runGantry(checkArgs(targetOnly) << u"--accept-host-key"_s << m_target.hostKeyFingerprint(), env(), 120000);
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.stderrText().contains(m_jump.hostKeyFingerprint()), qPrintable(wrong.stderrText()));
    }

    void confirmedJumpHostKeyIsStoredInTheProfilesKnownHosts()
    {
        const QString targetOnly = m_work.filePath(u"confirm_known_hosts"_s);
        QVERIFY(writeFile(targetOnly, contents(m_target.knownHostsFile())));
        auto r = runGantry(checkArgs(targetOnly) << u"--accept-host-key"_s << m_jump.hostKeyFingerprint(), env(), 120000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY2(r.stdoutText().contains(u"Connected to root@127.0.0.1:%1"_s.arg(m_target.port())), qPrintable(r.stdoutText()));
        // ssh wrote the jump host's key into the profile's known_hosts (not ~/.ssh/known_hosts).
        const auto found = Gantry::runProcess(u"ssh-keygen"_s, {u"-F"_s, u"[127.0.0.1]:%1"_s.arg(m_jump.port()), u"-f"_s, targetOnly});
        QVERIFY2(found.ok(), qPrintable(contents(targetOnly)));
        // Trusted from now on without asking.
        r = runGantry(checkArgs(targetOnly), env(), 120000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
    }
};

QTEST_GUILESS_MAIN(TestShipJump)
#include "tst_ship_jump.moc"
