// SPDX-License-Identifier: MIT
// In-layer deltas over a real sshd on 127.0.0.1 into the real engine: after a one-line
// backend change, the binary's layer travels as a zstd patch against the one shipped
// before; the server rebuilds it, checks its sha256 against the diff id and loads the
// image, which has the built image's id and serves the new build. A damaged reference on
// the server, and a server without zstd (a forced command in authorized_keys gives the
// session a PATH without it), make the layer go whole, with one line saying why.
#include "shipfixtures.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
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

QString imageId(const QString &image)
{
    return runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, image}).stdoutText().trimmed();
}

} // namespace

class TestShipDeltas : public QObject
{
    Q_OBJECT

    SshServer m_server;
    QTemporaryDir m_work{QDir::tempPath() + u"/gantry-test-deltas-XXXXXX"_s};
    QString m_token, m_v1, m_v2, m_v1Archive, m_v2Archive, m_v1Id, m_v2Id, m_container;
    QStringList m_v1Layers, m_v2Layers;
    qint64 m_changedGzip = 0;
    int m_httpPort = 0;

    QString remoteDir() const { return m_work.filePath(u"remote"_s); }
    QString remoteBlob(const QString &diffId) const { return remoteDir() + u"/blobs/"_s + diffId.section(u':', 1) + u".tar.gz"_s; }

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
                u"-p"_s, u"127.0.0.1:%1:3000"_s.arg(m_httpPort), u"--health"_s, u"http://127.0.0.1:%1/api/health"_s.arg(m_httpPort)};
    }

    /// The switchover keeps each deployed image tagged for rollbacks on the server (this
    /// engine): those tags go too, or the image would stay in the engine.
    void removeKeptImages() { ShipFixtures::removeKeptImages([](const QStringList &args) { return runDocker(args); }, m_container); }

    /// Ships v2 again from scratch as far as its binary layer goes: the server loses that
    /// layer's blob and the engine the image.
    void forgetV2OnTheServer()
    {
        runDocker({u"rm"_s, u"-f"_s, m_container});
        runDocker({u"rmi"_s, m_v2});
        removeKeptImages();
        QFile::remove(remoteBlob(m_v2Layers.last()));
        QFile::remove(remoteBlob(m_v2Layers.last()) + u".sha256"_s);
    }

    void expectV2Serving(const Gantry::ProcessResult &r)
    {
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText() + u'\n' + m_server.log().right(2000)));
        QCOMPARE(imageId(m_v2), m_v2Id); // the very image that was built
        QCOMPARE(ShipFixtures::layerDiffIds(m_v2), m_v2Layers);
        const QByteArray health = ShipFixtures::httpGet(m_httpPort, u"/api/health"_s);
        QVERIFY2(health.contains("gantry-test-v2"), health.constData()); // the new build answers
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QString error;
        QVERIFY2(m_server.start(&error), qPrintable(error));
        m_token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_v1 = u"gantry-test-deltas-v1-%1:latest"_s.arg(m_token);
        m_v2 = u"gantry-test-deltas-v2-%1:latest"_s.arg(m_token);
        m_container = u"gantry-test-deltas-c-%1"_s.arg(m_token);
        m_httpPort = ShipFixtures::freePort();
        QVERIFY2(ShipFixtures::buildExampleImage(m_v1, m_token, false, &error), qPrintable(error));
        QVERIFY2(ShipFixtures::buildExampleImage(m_v2, m_token, true, &error), qPrintable(error));
        m_v1Layers = ShipFixtures::layerDiffIds(m_v1);
        m_v2Layers = ShipFixtures::layerDiffIds(m_v2);
        QCOMPARE(m_v2Layers.size(), m_v1Layers.size());
        QCOMPARE(m_v2Layers.mid(0, m_v2Layers.size() - 1), m_v1Layers.mid(0, m_v1Layers.size() - 1)); // only the binary's layer differs
        m_v1Id = imageId(m_v1);
        m_v2Id = imageId(m_v2);
        m_v1Archive = m_work.filePath(u"v1.tar"_s);
        m_v2Archive = m_work.filePath(u"v2.tar"_s);
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_v1Archive, m_v1}).ok());
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_v2Archive, m_v2}).ok());
        const auto gz = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"tar -xOf \"$1\" \"blobs/sha256/$2\" | gzip -c | wc -c"_s, u"sh"_s, m_v2Archive,
                                                     m_v2Layers.last().section(u':', 1)});
        m_changedGzip = gz.stdoutText().toLongLong();
        QVERIFY(m_changedGzip > 100000);
        QVERIFY(runDocker({u"rmi"_s, m_v1, m_v2}).ok());
    }

    void cleanupTestCase()
    {
        runDocker({u"rm"_s, u"-f"_s, m_container});
        runDocker({u"rmi"_s, u"-f"_s, m_v1, m_v2});
        removeKeptImages();
    }

    void redeploySendsTheBinaryAsADelta()
    {
        auto r = runGantry(shipArgs(m_v1Archive), env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText()));
        QCOMPARE(imageId(m_v1), m_v1Id);

        r = runGantry(shipArgs(m_v2Archive), env(), 300000);
        expectV2Serving(r);
        const QString out = r.stdoutText();
        const qint64 sent = number(out, u"sent (\\d+) bytes"_s);
        qInfo("redeploy after a one-line backend change: sent %lld bytes; the changed layer gzipped is %lld bytes", sent, m_changedGzip);
        QVERIFY2(out.contains(u"1 as deltas"_s), qPrintable(out));
        QVERIFY2(r.stderrText().contains(u"delta: sent"_s), qPrintable(r.stderrText()));
        QVERIFY2(sent > 0 && sent < m_changedGzip / 2, qPrintable(out));
        QVERIFY2(out.contains(u"whole missing layers: "_s) && out.contains(u"docker save | gzip"_s), qPrintable(out));
        QVERIFY2(QFile::exists(remoteBlob(m_v2Layers.last())), "the rebuilt layer is in the server's cache for the next ship");
    }

    void damagedReferenceOnTheServerGoesWhole()
    {
        // The server's copy of v1's binary layer keeps a consistent .sha256 but no longer
        // holds that layer: only the check against the diff id can notice.
        const QString ref = remoteBlob(m_v1Layers.last());
        QVERIFY(QFile::exists(ref));
        const auto damage = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"gzip -dc \"$1\" | sed 's/hello/HELLO/g' | gzip -c > \"$1.x\" && mv \"$1.x\" \"$1\" "
                                                               "&& sha256sum < \"$1\" | cut -d' ' -f1 > \"$1.sha256\""_s, u"sh"_s, ref});
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
        // Every session of this key gets a PATH with the usual tools but no zstd.
        const QString bin = m_work.filePath(u"bin-without-zstd"_s);
        QVERIFY(QDir().mkpath(bin));
        for (QDirIterator it(u"/usr/bin"_s, QDir::Files | QDir::System | QDir::NoDotAndDotDot); it.hasNext();) {
            const QString name = it.next().section(u'/', -1);
            if (!name.contains(u"zstd"_s))
                QFile::link(it.filePath(), bin + u'/' + name);
        }
        const QString keys = m_server.path(u"authorized_keys"_s);
        const QByteArray original = readAll(keys);
        QVERIFY(!original.isEmpty());
        {
            QFile f(keys);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write("command=\"PATH=" + bin.toUtf8() + ":/usr/sbin; export PATH; exec /usr/bin/bash -c \\\"$SSH_ORIGINAL_COMMAND\\\"\" " + original);
        }
        forgetV2OnTheServer();
        const auto r = runGantry(shipArgs(m_v2Archive), env(), 300000);
        {
            QFile f(keys);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(original);
        }
        expectV2Serving(r);
        const QString out = r.stdoutText();
        QVERIFY2(out.contains(u"Whole layers: the server has no zstd"_s), qPrintable(out));
        QVERIFY2(!out.contains(u"as deltas"_s), qPrintable(out));
    }
};

QTEST_GUILESS_MAIN(TestShipDeltas)
#include "tst_ship_deltas.moc"
