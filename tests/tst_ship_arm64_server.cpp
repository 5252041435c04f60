// SPDX-License-Identifier: MIT
// `gantry ship` to an arm64 server: a second machine (tests/support/servermachine.h) whose
// engine is Debian's arm64 dockerd, run under the host's QEMU user emulation, so the server
// itself says linux/arm64. An image built for linux/arm64 on the client (cross-compiled) is
// accepted, loaded into the server's engine and started there, and answers HTTP; the same
// app built for linux/amd64 is refused with one sentence that names both platforms and what
// to do, and nothing of it reaches the server. The mirror image of tst_ship_from_engine's
// arm64-to-amd64 refusal.
#include "servermachine.h"
#include "shipfixtures.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;

class TestShipArm64Server : public QObject
{
    Q_OBJECT

    // This checkout's image (not :latest, which another checkout's setup may point at an older one).
    ServerMachine m_server{ServerMachine::Options{.ports = {3000}, .image = ServerMachine::checkoutImage(), .arch = ServerMachine::Arch::Arm64}};
    QTemporaryDir m_work{QDir::tempPath() + u"/gantry-test-arm64-server-XXXXXX"_s};
    QString m_token, m_arm64, m_amd64, m_container;

    static QString remoteDir() { return u"/srv/gantry-test/arm64"_s; }

    QProcessEnvironment env() const { return ShipFixtures::clientEnvironment(m_work.path()); }

    QStringList sshArgs() const { return ShipFixtures::shipArgs(m_server, remoteDir()); }

    /// examples/hello-stack built for platform with tests/data/hello-stack.Dockerfile (the
    /// backend cross-compiled, no emulation), its page carrying m_token.
    QString buildFor(const QString &platform, const QString &tag) const
    {
        QTemporaryDir ctx(QDir::tempPath() + u"/gantry-test-arm64-ctx-XXXXXX"_s);
        if (!copyTree(sourceDir() + u"/examples/hello-stack"_s, ctx.path()))
            return u"could not copy the example"_s;
        QFile page(ctx.filePath(u"frontend/src/index.html"_s));
        if (!page.open(QIODevice::ReadOnly))
            return u"no index.html"_s;
        const QString html = QString::fromUtf8(page.readAll()).replace(u"<h1>Hello Stack</h1>"_s,
                                                                       u"<h1>Hello Stack</h1>\n    <p id=\"token\">"_s + m_token + u"</p>"_s);
        page.close();
        if (!html.contains(m_token) || !page.open(QIODevice::WriteOnly | QIODevice::Truncate) || page.write(html.toUtf8()) < 0)
            return u"could not put the token into index.html"_s;
        page.close();
        const auto r = Gantry::runProcess(u"docker"_s, {u"buildx"_s, u"build"_s, u"--load"_s, u"--platform"_s, platform, u"-t"_s, tag,
                                                        u"-f"_s, QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/hello-stack.Dockerfile"_s, ctx.path()},
                                          QProcessEnvironment::systemEnvironment(), 1800000);
        return r.ok() ? QString() : r.stderrText().right(2000);
    }

    QString serverBlobs() const { return m_server.run(u"ls "_s + remoteDir() + u"/blobs 2>/dev/null | sort"_s).stdoutText(); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        m_token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_arm64 = u"gantry-test-arm64-server-%1:arm64"_s.arg(m_token);
        m_amd64 = u"gantry-test-arm64-server-%1:amd64"_s.arg(m_token);
        m_container = u"gantry-test-arm64-%1"_s.arg(m_token);
        QString error = buildFor(u"linux/arm64"_s, m_arm64);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        error = buildFor(u"linux/amd64"_s, m_amd64);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Os}}/{{.Architecture}}"_s, m_arm64}).stdoutText(), u"linux/arm64"_s);
        QCOMPARE(runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Os}}/{{.Architecture}}"_s, m_amd64}).stdoutText(), u"linux/amd64"_s);
    }

    void cleanupTestCase()
    {
        runDocker({u"rmi"_s, u"-f"_s, m_arm64, m_amd64}); // the server goes with its container and volume
    }

    void theServersEngineIsArm64()
    {
        // What Gantry asks the server before shipping, answered by the server's own engine.
        const auto r = m_server.docker({u"version"_s, u"--format"_s, u"{{.Server.Os}}/{{.Server.Arch}}"_s});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QCOMPARE(r.stdoutText(), u"linux/arm64"_s);
        QCOMPARE(m_server.docker({u"images"_s, u"-q"_s}).stdoutText(), QString());
    }

    void anArm64ImageIsAcceptedLoadedAndAnswers()
    {
        const int httpPort = m_server.publishedPort(3000);
        const auto r = runGantry(QStringList{u"ship"_s, m_arm64} + sshArgs()
                                     + QStringList{u"--restart"_s, u"--name"_s, m_container, u"-p"_s, u"3000:3000"_s, u"--health"_s,
                                                   u"http://127.0.0.1:%1/api/health"_s.arg(httpPort)},
                                 env(), 600000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText() + u'\n' + m_server.log().right(2000)));
        // In the server's engine, as arm64, with the client's layers.
        QVERIFY(m_server.hasImage(m_arm64));
        QCOMPARE(m_server.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Architecture}}"_s, m_arm64}).stdoutText(), u"arm64"_s);
        QCOMPARE(m_server.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{range .RootFS.Layers}}{{.}} {{end}}"_s, m_arm64})
                     .stdoutText().split(u' ', Qt::SkipEmptyParts),
                 ShipFixtures::layerDiffIds(m_arm64));
        // Started by the arm64 engine, and answering through the server's published port.
        QCOMPARE(m_server.docker({u"container"_s, u"inspect"_s, u"--format"_s, u"{{.State.Running}} {{.Config.Image}}"_s, m_container}).stdoutText(),
                 u"true "_s + m_arm64);
        const QByteArray health = ShipFixtures::httpGet(httpPort, u"/api/health"_s);
        QVERIFY2(health.contains("\"status\":\"ok\""), health.constData());
        QVERIFY(ShipFixtures::httpGet(httpPort, u"/"_s).contains(m_token.toUtf8()));
    }

    void anAmd64ImageIsRefusedWithOneSentence()
    {
        const QString blobsBefore = serverBlobs();
        const auto r = runGantry(QStringList{u"ship"_s, m_amd64} + sshArgs(), env(), 300000);
        QVERIFY(!r.ok());
        const QString text = r.stderrText() + r.stdoutText();
        QVERIFY2(text.contains(u"built for linux/amd64"_s) && text.contains(u"runs linux/arm64"_s), qPrintable(text));
        QVERIFY2(text.contains(u"build it for linux/arm64"_s, Qt::CaseInsensitive) && text.contains(u"ship it to a server that runs linux/amd64"_s), qPrintable(text));
        // Nothing of it reached the server, and the arm64 app there still runs and answers.
        QVERIFY(!m_server.hasImage(m_amd64));
        QCOMPARE(serverBlobs(), blobsBefore);
        QCOMPARE(m_server.docker({u"container"_s, u"inspect"_s, u"--format"_s, u"{{.State.Running}} {{.Config.Image}}"_s, m_container}).stdoutText(),
                 u"true "_s + m_arm64);
        QVERIFY(ShipFixtures::httpGet(m_server.publishedPort(3000), u"/"_s).contains(m_token.toUtf8()));
    }
};

QTEST_GUILESS_MAIN(TestShipArm64Server)
#include "tst_ship_arm64_server.moc"
