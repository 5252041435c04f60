// SPDX-License-Identifier: MIT
// The GUI's own Build → Ship path: the Ship page given an image straight from the engine (as
// the Build page hands it over), shipped in delta mode to a second machine
// (tests/support/servermachine.h), with the page's progress moving; then a ship over a slow
// link cancelled from the page's Cancel button; then an arm64 image refused for the amd64
// server with one sentence. Offscreen; screenshots go to the build folder.
#include "pages/shippage.h"
#include "servers/layerstatemodel.h"
#include "servers/serverlistmodel.h"
#include "ship/serverprofile.h"
#include "servermachine.h"
#include "shippageparts.h"
#include "sshserver.h"
#include "testsupport.h"
#include "widgets/messagebar.h"

#include <QApplication>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;
using namespace GantryTest::ShipPageParts;

class TestShipFromEngine : public QObject
{
    Q_OBJECT
    ServerMachine m_server;
    QTemporaryDir m_work;
    QString m_image, m_arm64;

    static QString shot(const QString &name) { return QStringLiteral(GANTRY_BINARY_DIR) + u"/ship-engine-"_s + name + u".png"_s; }

    Gantry::ServerProfile profile(const QString &name) const
    {
        Gantry::ServerProfile p;
        p.name = name;
        p.host = m_server.host();
        p.port = m_server.port();
        p.user = u"root"_s;
        p.identityFile = m_server.clientKey();
        p.knownHostsFile = m_server.knownHostsFile();
        p.remoteDir = u"/srv/gantry-test/"_s + name;
        return p;
    }

    static QPushButton *button(QWidget *page, const QString &text)
    {
        for (QPushButton *b : page->findChildren<QPushButton *>())
            if (b->text() == text && b->isVisible())
                return b;
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"Gantry"_s);
        QCoreApplication::setApplicationName(u"Gantry"_s);
        qputenv("XDG_CONFIG_HOME", m_work.filePath(u"config"_s).toUtf8());
        qputenv("XDG_CACHE_HOME", m_work.filePath(u"cache"_s).toUtf8());
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        const QString token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_image = u"gantry-test-ship-engine-%1:latest"_s.arg(token);
        QString error;
        QVERIFY2(ShipFixtures::buildExampleImage(m_image, token, false, &error), qPrintable(error));
        QSettings settings;
        Gantry::ServerProfiles::save(settings, {profile(u"delta"_s), profile(u"slow"_s), profile(u"arch"_s)});
    }

    void cleanupTestCase()
    {
        runDocker({u"rmi"_s, u"-f"_s, m_image});
        if (!m_arm64.isEmpty())
            runDocker({u"rmi"_s, u"-f"_s, m_arm64});
    }

    void shipsAnEngineImageInDeltaModeWithProgress()
    {
        Gantry::ShipPage page;
        page.resize(1100, 720);
        page.show();
        page.setImage(m_image); // an image in the client's engine, as the Build page hands it over
        QVERIFY(page.hasImage());
        QVERIFY(!m_server.hasImage(m_image));
        QProgressBar *bar = shipProgress(page);
        QVERIFY(bar);
        QList<int> values;
        connect(bar, &QProgressBar::valueChanged, &page, [&](int v) {
            if (bar->maximum() > 0)
                values << v;
        });
        bool grabbed = false;
        connect(layers(page), &QAbstractItemModel::dataChanged, &page, [&] {
            if (!grabbed && page.isBusy() && bar->maximum() > 0 && bar->value() > 0) {
                grabbed = true;
                page.grab().save(shot(u"during"_s));
            }
        });
        QSignalSpy done(&page, &Gantry::ShipPage::shipFinished);
        page.shipTo({0});
        QVERIFY(page.isBusy());
        QVERIFY(done.wait(300000));
        QVERIFY2(!messageBar(page)->isVisible(), qPrintable(messageBar(page)->text()));
        // Delta mode: the status tells how many layers were there and what was sent.
        QVERIFY2(shipSummary(page).contains(u"layers already on the server: sent"_s), qPrintable(shipSummary(page)));
        // The page's progress went up while uploading and ended full.
        QVERIFY2(values.size() >= 2, qPrintable(QString::number(values.size())));
        QVERIFY(std::is_sorted(values.cbegin(), values.cend()) || values.constLast() == 1000);
        QCOMPARE(bar->value(), 1000);
        // Every layer was sent and verified: the fresh server had none of them.
        QCOMPARE(layers(page)->rowCount(), 3);
        for (const auto &layer : layers(page)->layers())
            QCOMPARE(layer.state, Gantry::LayerShipState::Verified);
        // The server's own engine has it now, with the same layers.
        QVERIFY(m_server.hasImage(m_image));
        QCOMPARE(m_server.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{range .RootFS.Layers}}{{.}} {{end}}"_s, m_image})
                     .stdoutText().split(u' ', Qt::SkipEmptyParts),
                 ShipFixtures::layerDiffIds(m_image));
        QVERIFY(page.grab().save(shot(u"after"_s)));
    }

    void cancelFromThePageStopsASlowShip()
    {
        // Was a real fault (issue 16): the example's layers are smaller than the pipe and ssh's
        // buffers, so each upload was "handed" at once and the long wait for the slow link to
        // drain, and for the server's verdict, never looked at Cancel; nor did anything between
        // the last layer and docker load. The ship finished ("done: … sent 1.3 MB").
        m_server.docker({u"rmi"_s, u"-f"_s, m_image});
        QVERIFY(m_server.shapeLink({.rateKbit = 800}).ok()); // 100 kB/s: the upload takes a while
        Gantry::ShipPage page;
        page.resize(1100, 720);
        page.show();
        page.setImage(m_image);
        QSignalSpy done(&page, &Gantry::ShipPage::shipFinished);
        page.shipTo({1});
        QProgressBar *bar = shipProgress(page);
        QTRY_VERIFY_WITH_TIMEOUT((bar->maximum() > 0 && bar->value() > 0) || !done.isEmpty(), 180000);
        QVERIFY2(done.isEmpty(), qPrintable(shipSummary(page) + messageBar(page)->text()));
        QPushButton *cancel = button(&page, u"Cancel"_s);
        QVERIFY(cancel);
        QVERIFY(cancel->isEnabled());
        page.grab().save(shot(u"cancelling"_s));
        QTest::mouseClick(cancel, Qt::LeftButton);
        QVERIFY(done.wait(60000));
        QVERIFY(m_server.restoreLink().ok());
        QVERIFY(!page.isBusy());
        QCOMPARE(servers(page)->status(1), u"cancelled"_s);
        QVERIFY(messageBar(page)->isVisible());
        QVERIFY2(messageBar(page)->text().contains(u"cancel"_s, Qt::CaseInsensitive), qPrintable(messageBar(page)->text()));
        // Nothing left running, nothing loaded, no blob under its final name that is not whole.
        const auto sshToTheServer = [this] {
            QStringList left;
            for (const QString &p : processesMentioning(u"-p %1 "_s.arg(m_server.port())))
                if (p.contains(u"ssh"_s))
                    left << p;
            return left;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(sshToTheServer().isEmpty(), qPrintable(sshToTheServer().join(u'\n')), 10000);
        QVERIFY(!m_server.hasImage(m_image));
        const auto blobs = m_server.run(u"cd /srv/gantry-test/slow/blobs 2>/dev/null || exit 0; for f in *.tar.gz; do [ -f \"$f\" ] || continue; "
                                        "[ \"$(sha256sum < \"$f\" | cut -d' ' -f1)\" = \"$(cat \"$f.sha256\")\" ] || echo \"damaged $f\"; done"_s);
        QVERIFY(blobs.ok());
        QVERIFY2(!blobs.stdoutText().contains(u"damaged"_s), qPrintable(blobs.stdoutText()));
        // The bytes that did arrive wait under .partial names only (or nowhere).
        const auto strays = m_server.run(u"find /srv/gantry-test/slow -type f ! -name '*.partial' ! -name .gantry-folder ! -path '*/blobs/*'"_s);
        QVERIFY(strays.ok());
        QVERIFY2(strays.stdoutText().isEmpty(), qPrintable(strays.stdoutText()));
        page.grab().save(shot(u"cancelled"_s));

        // A second ship afterwards, at full speed, finishes: it resumes, loads and verifies.
        QSignalSpy again(&page, &Gantry::ShipPage::shipFinished);
        page.shipTo({1});
        QVERIFY(again.wait(300000));
        QCOMPARE(servers(page)->status(1).left(4), u"done"_s);
        QVERIFY2(shipSummary(page).contains(u"layers already on the server: sent"_s), qPrintable(shipSummary(page)));
        QVERIFY(m_server.hasImage(m_image));
        QCOMPARE(m_server.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{range .RootFS.Layers}}{{.}} {{end}}"_s, m_image})
                     .stdoutText().split(u' ', Qt::SkipEmptyParts),
                 ShipFixtures::layerDiffIds(m_image));
        const auto partials = m_server.run(u"find /srv/gantry-test/slow -name '*.partial'"_s);
        QVERIFY2(partials.ok() && partials.stdoutText().isEmpty(), qPrintable(partials.stdoutText()));
    }

    void anArm64ImageIsRefusedForAnAmd64Server()
    {
        // The product's core scenario, the wrong way round: an image built for arm64 (a Mac's
        // native platform) shipped to an x86_64 server.
        m_arm64 = m_image.section(u':', 0, 0) + u"-arm64:latest"_s;
        const QString example = sourceDir() + u"/examples/hello-stack"_s;
        QTemporaryDir ctx;
        QVERIFY(copyTree(example, ctx.path()));
        const auto build = Gantry::runProcess(u"docker"_s, {u"buildx"_s, u"build"_s, u"--load"_s, u"--platform"_s, u"linux/arm64"_s, u"-t"_s, m_arm64,
                                                            u"-f"_s, QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/hello-stack.Dockerfile"_s, ctx.path()},
                                              QProcessEnvironment::systemEnvironment(), 1800000);
        QVERIFY2(build.ok(), qPrintable(build.stderrText().right(2000)));
        QCOMPARE(runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Architecture}}"_s, m_arm64}).stdoutText(), u"arm64"_s);

        Gantry::ShipPage page;
        page.resize(1100, 720);
        page.show();
        page.setImage(m_arm64);
        QSignalSpy done(&page, &Gantry::ShipPage::shipFinished);
        page.shipTo({2});
        QVERIFY(done.wait(300000));
        QVERIFY2(servers(page)->status(2).startsWith(u"failed"_s), qPrintable(servers(page)->status(2)));
        const QString text = messageBar(page)->text();
        QVERIFY2(text.contains(u"built for linux/arm64"_s) && text.contains(u"runs linux/amd64"_s), qPrintable(text));
        QVERIFY2(text.contains(u"build it for linux/amd64"_s, Qt::CaseInsensitive), qPrintable(text));
        QVERIFY2(text.contains(u"Configure → Target"_s) && text.contains(u"ship it to a server that runs linux/arm64"_s), qPrintable(text));
        QVERIFY(!m_server.hasImage(m_arm64));
        QVERIFY(page.grab().save(shot(u"wrong-arch"_s)));
    }
};

QTEST_MAIN(TestShipFromEngine)
#include "tst_ship_from_engine.moc"
