// SPDX-License-Identifier: MIT
// In-layer deltas to a second machine (tests/support/servermachine.h: its own dockerd, image
// store, disk and sshd, reached only on 127.0.0.1): after a one-line backend change, the
// binary's layer travels as a zstd patch against the one shipped before; the server rebuilds
// it, checks its sha256 against the diff id and loads the image into ITS engine, which then
// has the built image's id and serves the new build. The images are built on the client and
// removed from its engine before any ship, so what the server has came through Gantry. A
// damaged reference in the server's blob cache, and a server without zstd (a forced command
// in its authorized_keys gives the session a PATH without it), make the layer go whole, with
// one line saying why.
#include "servermachine.h"
#include "shipfixtures.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDir>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;

namespace {

qint64 number(const QString &text, const QString &pattern)
{
    const auto m = QRegularExpression(pattern).match(text);
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

QString imageId(const ShipFixtures::DockerFn &docker, const QString &image)
{
    return docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, image}).stdoutText().trimmed();
}

} // namespace

class TestShipDeltas : public QObject
{
    Q_OBJECT

    ServerMachine m_server{ServerMachine::Options{.ports = {3000}}};
    QTemporaryDir m_work{QDir::tempPath() + u"/gantry-test-deltas-XXXXXX"_s};
    QString m_token, m_v1, m_v2, m_v1Archive, m_v2Archive, m_v1Id, m_v2Id, m_container;
    QStringList m_v1Layers, m_v2Layers;
    qint64 m_changedGzip = 0;
    int m_httpPort = 0;

    static QString remoteDir() { return u"/srv/gantry-test/remote"_s; }
    static QString remoteBlob(const QString &diffId) { return remoteDir() + u"/blobs/"_s + diffId.section(u':', 1) + u".tar.gz"_s; }

    ShipFixtures::DockerFn serverDocker() const
    {
        return [this](const QStringList &args) { return m_server.docker(args); };
    }
    QString serverImageId(const QString &image) const { return imageId(serverDocker(), image); }
    QStringList serverLayers(const QString &image) const
    {
        return m_server.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{range .RootFS.Layers}}{{.}} {{end}}"_s, image})
            .stdoutText().split(u' ', Qt::SkipEmptyParts);
    }
    bool serverHasFile(const QString &path) const
    {
        return m_server.run(u"test -f \"$1\""_s.replace(u"$1"_s, path)).ok();
    }
    /// The ship went to the server only: the client's engine has neither the images (removed
    /// after the build) nor the container.
    void expectClientUntouched()
    {
        QVERIFY2(!runDocker({u"image"_s, u"inspect"_s, m_v1}).ok(), "v1 appeared in the client's engine");
        QVERIFY2(!runDocker({u"image"_s, u"inspect"_s, m_v2}).ok(), "v2 appeared in the client's engine");
        QVERIFY2(!runDocker({u"container"_s, u"inspect"_s, m_container}).ok(), "the app's container runs on the client");
    }

    QProcessEnvironment env() const
    {
        auto e = QProcessEnvironment::systemEnvironment();
        e.insert(u"XDG_CACHE_HOME"_s, m_work.filePath(u"cache"_s));
        e.insert(u"XDG_CONFIG_HOME"_s, m_work.filePath(u"config"_s));
        return e;
    }

    QStringList shipArgs(const QString &archive) const
    {
        return {u"ship"_s, archive, u"--to"_s, m_server.destination(), u"-i"_s, m_server.clientKey(), u"--known-hosts"_s,
                m_server.knownHostsFile(), u"--remote-dir"_s, remoteDir(), u"--batch"_s, u"--restart"_s, u"--name"_s, m_container,
                u"-p"_s, u"3000:3000"_s, u"--health"_s, u"http://127.0.0.1:%1/api/health"_s.arg(m_httpPort)};
    }

    /// The switchover keeps each deployed image tagged for rollbacks on the server's engine:
    /// those tags go too, or the image would stay there.
    void removeKeptImages() { ShipFixtures::removeKeptImages(serverDocker(), m_container); }

    /// Ships v2 again from scratch as far as its binary layer goes: the server loses that
    /// layer's blob and its engine the image.
    void forgetV2OnTheServer()
    {
        m_server.docker({u"rm"_s, u"-f"_s, m_container});
        m_server.docker({u"rmi"_s, m_v2});
        removeKeptImages();
        QVERIFY(m_server.run(u"rm -f '%1' '%1.sha256'"_s.arg(remoteBlob(m_v2Layers.last()))).ok());
        QVERIFY(!m_server.hasImage(m_v2));
        QVERIFY(!serverHasFile(remoteBlob(m_v2Layers.last())));
    }

    void expectV2Serving(const Gantry::ProcessResult &r)
    {
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText() + u'\n' + m_server.log().right(2000)));
        QCOMPARE(serverImageId(m_v2), m_v2Id); // the very image that was built, in the server's engine
        QCOMPARE(serverLayers(m_v2), m_v2Layers);
        const QByteArray health = ShipFixtures::httpGet(m_httpPort, u"/api/health"_s);
        QVERIFY2(health.contains("gantry-test-v2"), health.constData()); // the new build answers, from the server
        expectClientUntouched();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QString error;
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        m_token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_v1 = u"gantry-test-deltas-v1-%1:latest"_s.arg(m_token);
        m_v2 = u"gantry-test-deltas-v2-%1:latest"_s.arg(m_token);
        m_container = u"gantry-test-deltas-c-%1"_s.arg(m_token);
        m_httpPort = m_server.publishedPort(3000); // the server's port 3000, as 127.0.0.1 reaches it
        QVERIFY2(ShipFixtures::buildExampleImage(m_v1, m_token, false, &error), qPrintable(error));
        QVERIFY2(ShipFixtures::buildExampleImage(m_v2, m_token, true, &error), qPrintable(error));
        m_v1Layers = ShipFixtures::layerDiffIds(m_v1);
        m_v2Layers = ShipFixtures::layerDiffIds(m_v2);
        QCOMPARE(m_v2Layers.size(), m_v1Layers.size());
        QCOMPARE(m_v2Layers.mid(0, m_v2Layers.size() - 1), m_v1Layers.mid(0, m_v1Layers.size() - 1)); // only the binary's layer differs
        const ShipFixtures::DockerFn client = [](const QStringList &args) { return runDocker(args); };
        m_v1Id = imageId(client, m_v1);
        m_v2Id = imageId(client, m_v2);
        m_v1Archive = m_work.filePath(u"v1.tar"_s);
        m_v2Archive = m_work.filePath(u"v2.tar"_s);
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_v1Archive, m_v1}).ok());
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_v2Archive, m_v2}).ok());
        const auto gz = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"tar -xOf \"$1\" \"blobs/sha256/$2\" | gzip -c | wc -c"_s, u"sh"_s, m_v2Archive,
                                                     m_v2Layers.last().section(u':', 1)});
        m_changedGzip = gz.stdoutText().toLongLong();
        QVERIFY(m_changedGzip > 100000);
        QVERIFY(runDocker({u"rmi"_s, m_v1, m_v2}).ok()); // from here on only a ship can bring them anywhere
        QCOMPARE(m_server.docker({u"images"_s, u"-q"_s}).stdoutText(), QString()); // a fresh server
    }

    void cleanupTestCase()
    {
        runDocker({u"rmi"_s, u"-f"_s, m_v1, m_v2}); // the server goes with its container and volume
    }

    void redeploySendsTheBinaryAsADelta()
    {
        auto r = runGantry(shipArgs(m_v1Archive), env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText() + u'\n' + m_server.log().right(2000)));
        QCOMPARE(serverImageId(m_v1), m_v1Id);
        QVERIFY(serverHasFile(remoteBlob(m_v1Layers.last())));
        QVERIFY(!serverHasFile(remoteBlob(m_v2Layers.last())));
        expectClientUntouched();

        r = runGantry(shipArgs(m_v2Archive), env(), 300000);
        expectV2Serving(r);
        const QString out = r.stdoutText();
        const qint64 sent = number(out, u"sent (\\d+) bytes"_s);
        qInfo("redeploy after a one-line backend change: sent %lld bytes; the changed layer gzipped is %lld bytes", sent, m_changedGzip);
        QVERIFY2(out.contains(u"1 as deltas"_s), qPrintable(out));
        QVERIFY2(r.stderrText().contains(u"delta: sent"_s), qPrintable(r.stderrText()));
        QVERIFY2(sent > 0 && sent < m_changedGzip / 2, qPrintable(out));
        QVERIFY2(out.contains(u"whole missing layers: "_s) && out.contains(u"docker save | gzip"_s), qPrintable(out));
        QVERIFY2(serverHasFile(remoteBlob(m_v2Layers.last())), "the rebuilt layer is in the server's cache for the next ship");
        // ... and it is that layer: its .sha256 matches it, and it unpacks to the diff id.
        const auto check = m_server.run(u"b='%1'; [ \"$(cat \"$b.sha256\")\" = \"$(sha256sum < \"$b\" | cut -d' ' -f1)\" ] "
                                        "&& gzip -dc \"$b\" | sha256sum | cut -d' ' -f1"_s.arg(remoteBlob(m_v2Layers.last())));
        QVERIFY2(check.ok(), qPrintable(check.stderrText()));
        QCOMPARE(u"sha256:"_s + check.stdoutText().trimmed(), m_v2Layers.last());
    }

    void damagedReferenceOnTheServerGoesWhole()
    {
        // The server's copy of v1's binary layer keeps a consistent .sha256 but no longer
        // holds that layer: only the check against the diff id can notice.
        const QString ref = remoteBlob(m_v1Layers.last());
        QVERIFY(serverHasFile(ref));
        const auto damage = m_server.run(u"set -e; r='%1'; gzip -dc \"$r\" | sed 's/hello/HELLO/g' | gzip -c > \"$r.x\" && mv \"$r.x\" \"$r\" "
                                         "&& sha256sum < \"$r\" | cut -d' ' -f1 > \"$r.sha256\""_s.arg(ref));
        QVERIFY2(damage.ok(), qPrintable(damage.stderrText()));
        forgetV2OnTheServer();
        const auto r = runGantry(shipArgs(m_v2Archive), env(), 300000);
        expectV2Serving(r);
        const QString out = r.stdoutText();
        QVERIFY2(out.contains(u"goes whole: the server's copy of the earlier layer does not match its digest"_s), qPrintable(out));
        QVERIFY2(r.stderrText().contains(u"whole: "_s), qPrintable(r.stderrText()));
        QVERIFY2(number(out, u"sent (\\d+) bytes"_s) >= m_changedGzip * 9 / 10, qPrintable(out));
    }

    void serverWithoutZstdGetsWholeLayers()
    {
        // Every session of this key on the server gets a PATH with the usual tools but no zstd
        // (the server's own /usr/bin has it: tests/support/server/Dockerfile).
        const QString bin = u"/srv/gantry-test/bin-without-zstd"_s;
        QVERIFY(m_server.run(u"command -v zstd"_s).ok());
        auto r = m_server.run(u"set -e; mkdir -p %1; for f in /usr/bin/*; do case \"${f##*/}\" in *zstd*) ;; *) ln -sf \"$f\" %1/ ;; esac; done; "
                              "cp /root/.ssh/authorized_keys /root/.ssh/authorized_keys.orig; "
                              "sed -i 's|^|command=\"PATH=%1:/usr/sbin; export PATH; exec /usr/bin/bash -c \\\\\"$SSH_ORIGINAL_COMMAND\\\\\"\" |' /root/.ssh/authorized_keys; "
                              "PATH=%1:/usr/sbin; ! command -v zstd"_s.arg(bin));
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + r.stdoutText()));
        forgetV2OnTheServer();
        r = runGantry(shipArgs(m_v2Archive), env(), 300000);
        const auto restored = m_server.run(u"mv /root/.ssh/authorized_keys.orig /root/.ssh/authorized_keys"_s);
        QVERIFY2(restored.ok(), qPrintable(restored.stderrText()));
        expectV2Serving(r);
        const QString out = r.stdoutText();
        QVERIFY2(out.contains(u"Whole layers: the server has no zstd"_s), qPrintable(out));
        QVERIFY2(!out.contains(u"as deltas"_s), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestShipDeltas)
#include "tst_ship_deltas.moc"
