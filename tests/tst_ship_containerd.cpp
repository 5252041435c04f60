// SPDX-License-Identifier: MIT
// Shipping to a server whose engine uses the containerd image store (the default of fresh
// Docker Engine 29 installs): a second machine (tests/support/servermachine.h) whose own
// dockerd runs with {"features":{"containerd-snapshotter":true}}, reached over its own sshd
// on a port published on 127.0.0.1. That store
// wants every layer in a docker-format archive, so Gantry assembles the whole archive on
// the server from its blob cache, while still SENDING only the layers that changed.
#include "servermachine.h"
#include "shipfixtures.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
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

} // namespace

class TestShipContainerd : public QObject
{
    Q_OBJECT

    ServerMachine m_server{ServerMachine::Options{.store = ServerMachine::Store::Containerd, .ports = {3000}}};
    QTemporaryDir m_work{QDir::tempPath() + u"/gantry-test-shipctrd-XXXXXX"_s};
    QString m_token, m_v1, m_v2, m_v1Archive, m_v2Archive, m_container;
    QStringList m_v1Layers, m_v2Layers;

    QProcessEnvironment env() const { return ShipFixtures::clientEnvironment(m_work.path()); }

    QStringList sshArgs() const { return ShipFixtures::shipArgs(m_server, u"/srv/gantry-test/remote"_s); }

    /// The config digest of an image in the second engine, from its own `docker save`
    /// (with the containerd store, .Id is the manifest's digest, not the config's).
    QString configDigestInEngine(const QString &image)
    {
        const auto r = m_server.run(u"docker save '%1' | tar -xOf - manifest.json"_s.arg(image), 300000);
        if (!r.ok())
            return {};
        const QString config = QJsonDocument::fromJson(r.standardOutput).array().at(0).toObject().value(u"Config"_s).toString();
        return u"sha256:"_s + config.section(u'/', -1).remove(u".json"_s);
    }

    /// Runs the image in the server's engine (on the server's port 3000, which the client
    /// reaches on 127.0.0.1) and returns what GET /api/health answers.
    QByteArray health(const QString &image)
    {
        m_server.docker({u"rm"_s, u"-f"_s, m_container});
        const auto run = m_server.docker({u"run"_s, u"-d"_s, u"--name"_s, m_container, u"-p"_s, u"3000:3000"_s, image});
        if (!run.ok())
            return "docker run failed: " + run.standardError;
        const QByteArray answer = ShipFixtures::httpGet(m_server.publishedPort(3000), u"/api/health"_s);
        m_server.docker({u"rm"_s, u"-f"_s, m_container});
        return answer;
    }

    qint64 gzipSizeOfLayer(const QString &archive, const QString &diffId)
    {
        const auto r = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"tar -xOf \"$1\" \"blobs/sha256/$2\" | gzip -c | wc -c"_s, u"sh"_s, archive,
                                                    diffId.section(u':', 1)});
        return r.ok() ? r.stdoutText().toLongLong() : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        QString error;
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        m_token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_v1 = u"gantry-test-shipctrd-v1-%1:latest"_s.arg(m_token);
        m_v2 = u"gantry-test-shipctrd-v2-%1:latest"_s.arg(m_token);
        m_container = u"gantry-test-shipctrd-c-%1"_s.arg(m_token);
        QVERIFY2(ShipFixtures::buildExampleImage(m_v1, m_token, false, &error), qPrintable(error));
        QVERIFY2(ShipFixtures::buildExampleImage(m_v2, m_token, true, &error), qPrintable(error));
        m_v1Layers = ShipFixtures::layerDiffIds(m_v1);
        m_v2Layers = ShipFixtures::layerDiffIds(m_v2);
        QCOMPARE(m_v1Layers.size(), 3);
        m_v1Archive = m_work.filePath(u"v1.tar"_s);
        m_v2Archive = m_work.filePath(u"v2.tar"_s);
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_v1Archive, m_v1}).ok());
        QVERIFY(runDocker({u"save"_s, u"-o"_s, m_v2Archive, m_v2}).ok());
    }

    void cleanupTestCase()
    {
        runDocker({u"rmi"_s, u"-f"_s, m_v1, m_v2});
    }

    void theStoreIsDetected()
    {
        const auto r = runGantry(QStringList{u"ship"_s, u"--check"_s} + sshArgs(), env(), 120000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY2(r.stdoutText().contains(u"containerd image store"_s), qPrintable(r.stdoutText()));
    }

    void firstDeployLoadsAndRuns()
    {
        QVERIFY(!m_server.docker({u"image"_s, u"inspect"_s, m_v1}).ok()); // a fresh engine
        const auto r = runGantry(QStringList{u"ship"_s, m_v1Archive} + sshArgs(), env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText() + u"\ndockerd:\n"_s + m_server.dockerdLog().right(2000)));
        const auto layers = m_server.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{range .RootFS.Layers}}{{.}} {{end}}"_s, m_v1});
        QVERIFY2(layers.ok(), qPrintable(layers.stderrText()));
        QCOMPARE(layers.stdoutText().split(u' ', Qt::SkipEmptyParts), m_v1Layers);
        const QString configDigest = runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_v1}).stdoutText().trimmed();
        QCOMPARE(configDigestInEngine(m_v1), configDigest);
        const QByteArray answer = health(m_v1);
        QVERIFY2(answer.contains("\"status\":\"ok\""), answer.constData());
    }

    void redeployAfterOneLineChangeSendsOnlyThatLayer()
    {
        QCOMPARE(m_v2Layers.mid(0, 2), m_v1Layers.mid(0, 2));
        QVERIFY(m_v2Layers.at(2) != m_v1Layers.at(2));
        const qint64 changedGzip = gzipSizeOfLayer(m_v2Archive, m_v2Layers.at(2));
        QVERIFY(changedGzip > 100000);
        const auto r = runGantry(QStringList{u"ship"_s, m_v2Archive} + sshArgs(), env(), 300000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText() + u"\ndockerd:\n"_s + m_server.dockerdLog().right(2000)));
        const QString out = r.stdoutText();
        QVERIFY2(out.contains(u"2 of 3 layers already on the server"_s), qPrintable(out));
        const qint64 sent = number(out, u"sent (\\d+) bytes"_s);
        QVERIFY2(sent > 0 && sent <= changedGzip + 64 * 1024, qPrintable(u"sent %1, changed layer %2 gzipped\n%3"_s.arg(sent).arg(changedGzip).arg(out)));
        const auto layers = m_server.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{range .RootFS.Layers}}{{.}} {{end}}"_s, m_v2});
        QCOMPARE(layers.stdoutText().split(u' ', Qt::SkipEmptyParts), m_v2Layers);
        QCOMPARE(configDigestInEngine(m_v2), runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_v2}).stdoutText().trimmed());
        const QByteArray answer = health(m_v2);
        QVERIFY2(answer.contains("gantry-test-v2"), answer.constData()); // the changed backend answers
    }
};

QTEST_GUILESS_MAIN(TestShipContainerd)
#include "tst_ship_containerd.moc"
