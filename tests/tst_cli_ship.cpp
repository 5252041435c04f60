// SPDX-License-Identifier: MIT
// `gantry ship` as a user runs it, to a second machine (tests/support/servermachine.h): a
// container with its own dockerd, image store, disk and sshd, reached only on 127.0.0.1.
// "The server has the image" means the server's engine has it; the client's is untouched.
#include "servermachine.h"
#include "shipfixtures.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace GantryTest;

namespace {

using GantryTest::sha256Of;

qint64 number(const QString &text, const QString &pattern)
{
    const auto m = QRegularExpression(pattern).match(text);
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}



} // namespace

class TestCliShip : public QObject
{
    Q_OBJECT

    ServerMachine m_server{ServerMachine::Options{.ports = {3000}}};
    QTemporaryDir m_work{QDir::tempPath() + u"/gantry-test-ship-XXXXXX"_s};
    QString m_token;
    QString m_v1, m_v2, m_container;
    QString m_v1Archive, m_v2Archive;
    QStringList m_v1Layers, m_v2Layers;
    int m_httpPort = 0;

    static QString remoteDir() { return u"/srv/gantry-test/remote"_s; }
    static QString remoteFolder(const QString &name) { return u"/srv/gantry-test/"_s + name; }

    bool imageExists(const QString &image) const { return m_server.hasImage(image); }
    /// The server's rollback tags for container go (tests/support/shipfixtures.h).
    void removeKeptImages(const QString &container) const
    {
        ShipFixtures::removeKeptImages([this](const QStringList &args) { return m_server.docker(args); }, container);
    }
    QStringList serverLayers(const QString &image) const
    {
        return m_server.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{range .RootFS.Layers}}{{.}} {{end}}"_s, image})
            .stdoutText().split(u' ', Qt::SkipEmptyParts);
    }
    bool serverHasFile(const QString &path) const { return m_server.run(u"test -f \"$0\""_s.replace(u"$0"_s, path)).ok(); }
    qint64 serverFileSize(const QString &path) const
    {
        const auto r = m_server.run(u"stat -c %s '"_s + path + u"'"_s);
        return r.ok() ? r.stdoutText().toLongLong() : -1;
    }
    QString serverSha256(const QString &path) const
    {
        const auto r = m_server.run(u"sha256sum '"_s + path + u"'"_s);
        return r.ok() ? r.stdoutText().section(u' ', 0, 0) : QString();
    }
    /// A blob on the server whose .sha256 beside it matches its content.
    bool serverBlobIsWhole(const QString &blob) const
    {
        const auto side = m_server.run(u"cat '"_s + blob + u".sha256'"_s);
        return side.ok() && !side.stdoutText().isEmpty() && side.stdoutText() == serverSha256(blob);
    }

    QProcessEnvironment env() const { return ShipFixtures::clientEnvironment(m_work.path()); }

    QStringList sshArgs() const { return ShipFixtures::shipArgs(m_server, remoteDir()); }

    QStringList restartArgs() const
    {
        // The app listens on the server's port 3000, which the client reaches as 127.0.0.1:m_httpPort.
        return {u"--restart"_s, u"--name"_s, m_container, u"-p"_s, u"3000:3000"_s,
                u"--health"_s, u"http://127.0.0.1:%1/api/health"_s.arg(m_httpPort)};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        m_token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_v1 = u"gantry-test-ship-v1-%1:latest"_s.arg(m_token);
        m_v2 = u"gantry-test-ship-v2-%1:latest"_s.arg(m_token);
        m_container = u"gantry-test-ship-c-%1"_s.arg(m_token);
        m_httpPort = m_server.publishedPort(3000);
        QVERIFY2(ShipFixtures::buildExampleImage(m_v1, m_token, false, &error), qPrintable(error));
        QVERIFY2(ShipFixtures::buildExampleImage(m_v2, m_token, true, &error), qPrintable(error));
        m_v1Layers = ShipFixtures::layerDiffIds(m_v1);
        m_v2Layers = ShipFixtures::layerDiffIds(m_v2);
        QCOMPARE(m_v1Layers.size(), 3);
        QCOMPARE(m_v2Layers.size(), 3);
        m_v1Archive = m_work.filePath(u"v1.tar"_s);
        m_v2Archive = m_work.filePath(u"v2.tar"_s);
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_v1Archive, m_v1}).ok());
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_v2Archive, m_v2}).ok());
    }

    void cleanupTestCase()
    {
        runDocker({u"rmi"_s, u"-f"_s, m_v1, m_v2}); // the server goes with its container and volume
    }

    void shipToAFreshServer()
    {
        // A fresh server: no image at all in its engine, no Gantry folder on its disk.
        QCOMPARE(m_server.docker({u"images"_s, u"-q"_s}).stdoutText(), QString());
        QVERIFY(!m_server.run(u"test -e /srv/gantry-test"_s).ok());
        const auto r = runGantry(QStringList{u"ship"_s, m_v1Archive} + sshArgs() + restartArgs(), env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText() + u'\n' + m_server.log().right(2000)));
        QVERIFY(imageExists(m_v1));
        QCOMPARE(serverLayers(m_v1), m_v1Layers);
        // Every layer travelled: at least half of what the system's gzip makes of all three.
        qint64 allGzip = 0;
        for (const QString &id : std::as_const(m_v1Layers))
            allGzip += ShipFixtures::gzipSizeOfLayer(m_v1Archive, id);
        QVERIFY2(number(r.stdoutText(), u"sent (\\d+) bytes"_s) >= allGzip / 2,
                 qPrintable(u"sent less than the layers (%1 bytes gzipped): %2"_s.arg(allGzip).arg(r.stdoutText())));
        const QByteArray health = ShipFixtures::httpGet(m_httpPort, u"/api/health"_s);
        QVERIFY2(health.contains("\"status\":\"ok\""), health.constData());
        QVERIFY(ShipFixtures::httpGet(m_httpPort, u"/"_s).contains(m_token.toUtf8()));
        const QString out = r.stdoutText();
        QVERIFY2(number(out, u"sent (\\d+) bytes"_s) > 0, qPrintable(out));
        QVERIFY2(r.stderrText().contains(u"verified"_s), qPrintable(r.stderrText()));
    }

    void redeployAfterOneLineChangeSendsOnlyThatLayer()
    {
        QStringList changed;
        for (const QString &id : m_v2Layers)
            if (!m_v1Layers.contains(id))
                changed << id;
        QCOMPARE(changed.size(), 1); // main.rs changed one line: the backend binary's layer (the top one)
        QCOMPARE(changed.constFirst(), m_v2Layers.constLast());
        qint64 changedGzip = 0;
        for (const QString &id : changed)
            changedGzip += ShipFixtures::gzipSizeOfLayer(m_v2Archive, id);
        QVERIFY(changedGzip > 100000);

        QVERIFY(!imageExists(m_v2));
        const auto r = runGantry(QStringList{u"ship"_s, m_v2Archive} + sshArgs() + restartArgs(), env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText()));
        const QString out = r.stdoutText();
        const qint64 sent = number(out, u"sent (\\d+) bytes"_s);
        const qint64 saved = number(out, u"saved (\\d+) bytes"_s);
        constexpr qint64 overhead = 64 * 1024; // config + manifest + gzip framing differences
        QVERIFY2(sent > 0 && sent <= changedGzip + overhead,
                 qPrintable(u"sent %1 bytes; the changed layer is %2 bytes gzipped\n%3"_s.arg(sent).arg(changedGzip).arg(out)));
        QVERIFY2(saved > 0, qPrintable(out));
        QVERIFY2(out.contains(u"2 of 3 layers already on the server"_s), qPrintable(out));
        QVERIFY(imageExists(m_v2));
        const QByteArray health = ShipFixtures::httpGet(m_httpPort, u"/api/health"_s);
        QVERIFY2(health.contains("gantry-test-v2"), health.constData()); // the new container answers
    }

    void corruptedBlobOnTheServerIsDetectedAndResent()
    {
        const QString blobs = remoteDir() + u"/blobs/"_s;
        // 1. A complete blob is damaged on the server: the next ship notices and sends it again.
        const QString backend1 = blobs + m_v1Layers.at(2).section(u':', 1) + u".tar.gz"_s;
        QVERIFY(serverHasFile(backend1));
        QVERIFY(serverBlobIsWhole(backend1));
        const qint64 size1 = serverFileSize(backend1);
        QVERIFY(m_server.run(u"printf gantry-test-corruption | dd of='%1' bs=1 seek=%2 conv=notrunc 2>/dev/null"_s.arg(backend1).arg(size1 / 2)).ok());
        QVERIFY(!serverBlobIsWhole(backend1));
        m_server.docker({u"rm"_s, u"-f"_s, m_container});
        QVERIFY(m_server.docker({u"rmi"_s, m_v1, m_v2}).ok());
        removeKeptImages(m_container);
        // --no-deltas: this checks the whole blob's own verification (with deltas, the layer
        // would travel as a patch against v2's binary layer; tst_ship_deltas covers that).
        auto r = runGantry(QStringList{u"ship"_s, m_v1Archive, u"--no-deltas"_s} + sshArgs(), env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText()));
        QVERIFY2(number(r.stdoutText(), u"sent (\\d+) bytes"_s) >= size1, qPrintable(r.stdoutText()));
        QVERIFY(serverBlobIsWhole(backend1));
        QVERIFY(imageExists(m_v1));

        // 2. An upload that arrives damaged (here: garbage left in its partial file) is
        //    detected by its sha256 on the server and sent again in full.
        const QString backend2 = blobs + m_v2Layers.at(2).section(u':', 1) + u".tar.gz"_s;
        QVERIFY(m_server.run(u"rm '%1' && rm -f '%1.sha256' && head -c 5000 /dev/zero | tr '\\0' x > '%1.partial'"_s.arg(backend2)).ok());
        r = runGantry(QStringList{u"ship"_s, m_v2Archive, u"--no-deltas"_s} + sshArgs(), env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText()));
        QVERIFY2(r.stdoutText().contains(u"re-sent 1 damaged upload"_s), qPrintable(r.stdoutText()));
        QVERIFY(serverBlobIsWhole(backend2));
        QVERIFY(!serverHasFile(backend2 + u".partial"_s));
        QVERIFY(imageExists(m_v2));
    }

    void fullTransferResumesAfterABrokenLink()
    {
        QVERIFY(m_server.docker({u"rmi"_s, m_v1}).ok());
        QProcess first;
        first.setProcessEnvironment(env());
        first.start(gantryExecutable(), QStringList{u"ship"_s, m_v1Archive, u"--full"_s, u"--limit-rate"_s, u"300"_s} + sshArgs());
        QVERIFY(first.waitForStarted());
        QString log;
        int percent = -1;
        QDeadlineTimer deadline(120000);
        while (percent < 25 && !deadline.hasExpired() && first.state() == QProcess::Running) {
            first.waitForReadyRead(200);
            log += QString::fromUtf8(first.readAllStandardError());
            const auto all = QRegularExpression(u"uploading (\\d+)%"_s).globalMatch(log);
            for (auto it = all; it.hasNext();)
                percent = it.next().captured(1).toInt();
        }
        QVERIFY2(percent >= 25 && percent < 100, qPrintable(log));
        // The link breaks: every ssh process of this gantry dies.
        QVERIFY(SshServer::killSshChildrenOf(first.processId()) >= 1);
        QVERIFY(first.waitForFinished(60000));
        log += QString::fromUtf8(first.readAllStandardError());
        QCOMPARE(first.exitCode(), 1);
        QVERIFY2(log.contains(u"broke"_s) && log.contains(u"resumes"_s), qPrintable(log));
        const QString sha = sha256Of(m_v1Archive);
        const QString remote = remoteDir() + u"/archives/"_s + sha + u".tar"_s;
        QTRY_VERIFY_WITH_TIMEOUT(serverHasFile(remote + u".partial"_s), 10000);
        const qint64 partial = serverFileSize(remote + u".partial"_s);
        QVERIFY2(partial > 0 && partial < QFileInfo(m_v1Archive).size(), qPrintable(QString::number(partial)));

        const auto second = runGantry(QStringList{u"ship"_s, m_v1Archive, u"--full"_s} + sshArgs(), env(), 300000);
        QVERIFY2(second.ok(), qPrintable(second.stderrText() + u'\n' + second.stdoutText()));
        const qint64 resumedAt = number(second.stdoutText(), u"resumed at (\\d+) bytes"_s);
        QVERIFY2(resumedAt >= partial / 2 && resumedAt <= QFileInfo(m_v1Archive).size(), qPrintable(second.stdoutText()));
        const qint64 sent = number(second.stdoutText(), u"sent (\\d+) bytes"_s);
        QCOMPARE(sent, QFileInfo(m_v1Archive).size() - resumedAt);
        QCOMPARE(serverSha256(remote), sha); // the archive on the server is the local one, byte for byte
        QVERIFY(imageExists(m_v1));
    }

    void ctrlCCancelsAndTheNextRunResumes()
    {
        const QStringList args = QStringList{u"ship"_s, m_v1Archive, u"--full"_s} + ShipFixtures::shipArgs(m_server, remoteFolder(u"cancel"_s));
        QProcess first;
        first.setProcessEnvironment(env());
        first.start(gantryExecutable(), args + QStringList{u"--limit-rate"_s, u"300"_s});
        QVERIFY(first.waitForStarted());
        QString log;
        QDeadlineTimer deadline(120000);
        while (!log.contains(u"uploading 1"_s) && !deadline.hasExpired() && first.state() == QProcess::Running) {
            first.waitForReadyRead(200);
            log += QString::fromUtf8(first.readAllStandardError());
        }
        ::kill(pid_t(first.processId()), SIGINT);
        QVERIFY(first.waitForFinished(30000));
        log += QString::fromUtf8(first.readAllStandardError());
        QCOMPARE(first.exitCode(), 130);
        QVERIFY2(log.contains(u"cancelled"_s), qPrintable(log));
        const auto second = runGantry(args, env(), 300000);
        QVERIFY2(second.ok(), qPrintable(second.stderrText()));
        QVERIFY2(number(second.stdoutText(), u"resumed at (\\d+) bytes"_s) > 0, qPrintable(second.stdoutText()));
    }

    void aLinkThatGoesSilentIsDetected()
    {
        // In the middle of an upload the network between client and server dies: every packet
        // to and from the server's sshd is dropped (no FIN, no RST, just silence).
        // ServerAlive ends the connection; gantry says so.
        QProcess ship;
        ship.setProcessEnvironment(env());
        ship.start(gantryExecutable(), QStringList{u"ship"_s, m_v1Archive, u"--full"_s, u"--limit-rate"_s, u"300"_s}
                                           + ShipFixtures::shipArgs(m_server, remoteFolder(u"silent"_s)));
        QVERIFY(ship.waitForStarted());
        QString log;
        QDeadlineTimer deadline(120000);
        while (!log.contains(u"uploading 1"_s) && !deadline.hasExpired() && ship.state() == QProcess::Running) {
            ship.waitForReadyRead(200);
            log += QString::fromUtf8(ship.readAllStandardError());
        }
        QVERIFY2(log.contains(u"uploading 1"_s), qPrintable(log));
        QVERIFY(m_server.cutLink().ok());
        const bool ended = ship.waitForFinished(90000);
        QVERIFY(m_server.restoreLink().ok());
        QVERIFY2(ended, "gantry hung on a dead link");
        log += QString::fromUtf8(ship.readAllStandardError());
        QCOMPARE(ship.exitCode(), 1);
        QVERIFY2(log.contains(u"broke"_s), qPrintable(log));
    }

    void fullModeFromTheEngineSendsAGzipExport()
    {
        // From an image in the client's engine, full mode exports it once (gzip, kept in the cache so an
        // interrupted upload resumes byte for byte) and sends that archive.
        QVERIFY(runDocker({u"image"_s, u"inspect"_s, m_v1}).ok());
        QVERIFY(m_server.docker({u"rmi"_s, m_v1}).ok());
        const QString dir = remoteFolder(u"full-from-engine"_s);
        const auto r = runGantry(QStringList{u"ship"_s, m_v1, u"--full"_s} + ShipFixtures::shipArgs(m_server, dir), env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const QString id = runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_v1}).stdoutText().section(u':', 1);
        const QString cached = m_work.filePath(u"cache/gantry/ship/archives/"_s + id + u".tar.gz"_s);
        QVERIFY2(QFile::exists(cached), qPrintable(cached));
        const QString sha = sha256Of(cached);
        QCOMPARE(serverSha256(dir + u"/archives/"_s + sha + u".tar.gz"_s), sha);
        QCOMPARE(number(r.stdoutText(), u"sent (\\d+) bytes"_s), QFileInfo(cached).size());
        QVERIFY(imageExists(m_v1));
    }

    void shipsToTwoProfilesAtOnce()
    {
        // Two profiles (stored as the GUI stores them), shipped in parallel to two folders.
        QSettings settings(m_work.filePath(u"config/Gantry/Gantry.conf"_s), QSettings::IniFormat);
        settings.beginWriteArray(u"servers"_s, 2);
        for (int i = 0; i < 2; ++i) {
            settings.setArrayIndex(i);
            settings.setValue(u"name"_s, i == 0 ? u"alpha"_s : u"beta"_s);
            settings.setValue(u"host"_s, u"127.0.0.1"_s);
            settings.setValue(u"port"_s, m_server.port());
            settings.setValue(u"user"_s, u"root"_s);
            settings.setValue(u"identityFile"_s, m_server.clientKey());
            settings.setValue(u"knownHostsFile"_s, m_server.knownHostsFile());
            settings.setValue(u"remoteDir"_s, remoteFolder(i == 0 ? u"alpha"_s : u"beta"_s));
        }
        settings.endArray();
        settings.sync();
        QVERIFY(m_server.docker({u"rmi"_s, m_v2}).ok());
        const auto r = runGantry({u"ship"_s, m_v2Archive, u"--to"_s, u"alpha"_s, u"--to"_s, u"beta"_s, u"--batch"_s}, env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText()));
        QVERIFY(r.stdoutText().contains(u"alpha: sent "_s));
        QVERIFY(r.stdoutText().contains(u"beta: sent "_s));
        QVERIFY(imageExists(m_v2));
        for (const QString &dir : {u"alpha"_s, u"beta"_s})
            for (const QString &id : m_v2Layers.mid(2)) // v1 in the engine holds the two lower layers
                QVERIFY2(serverHasFile(remoteFolder(dir) + u"/blobs/"_s + id.section(u':', 1) + u".tar.gz"_s), qPrintable(dir));
    }
};

QTEST_GUILESS_MAIN(TestCliShip)
#include "tst_cli_ship.moc"
