// SPDX-License-Identifier: MIT
// The Ship page's Deploys box, offscreen: the selected server's deploy history read from the
// build-history database (written here as `gantry ship --restart` writes it), and whether
// Roll Back can be pressed. Screenshot: <build>/ship-deploys.png. The Roll Back job itself
// (RollbackJob) runs against a real server in tst_deploys.
#include "buildrun/deployhistory.h"
#include "pages/shippage.h"
#include "servers/deployspanel.h"
#include "servers/serverlistmodel.h"
#include "ship/serverprofile.h"
#include "shippageparts.h"

#include <QApplication>
#include <QPushButton>
#include <QSettings>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace GantryTest::ShipPageParts;

class TestDeploysPanel : public QObject
{
    Q_OBJECT
    QTemporaryDir m_work;

    static Gantry::ServerProfile profile(const QString &name, const QString &container)
    {
        Gantry::ServerProfile p;
        p.name = name;
        p.host = u"192.0.2.10"_s;
        p.user = u"deploy"_s;
        p.containerName = container;
        p.afterLoad = Gantry::ServerProfile::AfterLoad::Restart;
        return p;
    }

    static Gantry::DeployRecord record(const QString &server, const QString &action, const QString &result, const QString &image, int minutesAgo)
    {
        Gantry::DeployRecord r;
        r.time = QDateTime::currentDateTimeUtc().addSecs(-60 * minutesAgo);
        r.server = server;
        r.container = u"hello-web"_s;
        r.action = action;
        r.result = result;
        r.image = image;
        r.imageId = result == u"healthy" ? u"sha256:4f2a9c0d1e7b3a5c6d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4"_s : QString();
        r.bytesSent = 2'400'000;
        r.detail = result == u"healthy" ? u"http://192.0.2.10:8080/api/health answered HTTP 200"_s
                                        : u"The new version on deploy@192.0.2.10:22 failed: … answered HTTP 500 after 60 s …; the previous version is serving again"_s;
        r.switchMs = result == u"healthy" ? 2400 : -1;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"Gantry"_s);
        QCoreApplication::setApplicationName(u"Gantry"_s);
        qputenv("XDG_CONFIG_HOME", m_work.filePath(u"config"_s).toUtf8());
        qputenv("GANTRY_HISTORY_DB", m_work.filePath(u"history.sqlite"_s).toUtf8());
        Gantry::DeployHistory history;
        QVERIFY(history.status().ok());
        for (const auto &r : {record(u"prod"_s, u"deploy"_s, u"healthy"_s, u"hello:1.4"_s, 90),
                              record(u"prod"_s, u"deploy"_s, u"rolled back"_s, u"hello:1.5"_s, 40),
                              record(u"staging"_s, u"deploy"_s, u"healthy"_s, u"hello:1.5"_s, 35),
                              record(u"prod"_s, u"deploy"_s, u"healthy"_s, u"hello:1.5.1"_s, 20),
                              record(u"prod"_s, u"rollback"_s, u"healthy"_s, u"gantry-keep/hello-web:20261130T051500-4f2a9c0d1e7b"_s, 5)})
            QVERIFY(history.add(r).ok());
        QSettings settings;
        Gantry::ServerProfiles::save(settings, {profile(u"prod"_s, u"hello-web"_s), profile(u"staging"_s, QString())});
    }

    void showsTheSelectedServersHistoryNewestFirst()
    {
        Gantry::ShipPage page;
        page.resize(1280, 820);
        page.setImage(u"hello:1.5.1"_s);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        Gantry::DeploysPanel *panel = deploysPanel(page);
        QVERIFY(panel);
        QCOMPARE(panel->table()->rowCount(), 0);
        QVERIFY(!panel->rollBackButton()->isEnabled()); // no server selected

        serverTable(page)->selectRow(servers(page)->indexOfName(u"prod"_s));
        // The history is read on a worker: the rows arrive through the event loop, never
        // inside the selection (which would mean SQLite on the GUI thread).
        QCOMPARE(panel->table()->rowCount(), 0);
        QTRY_COMPARE(panel->table()->rowCount(), 4); // prod's only, not staging's
        const auto cell = [&](int row, int column) { return panel->table()->item(row, column)->text(); };
        QCOMPARE(cell(0, 1), u"rollback"_s);
        QCOMPARE(cell(0, 2), u"healthy"_s);
        QCOMPARE(cell(0, 4), u"4f2a9c0d1e7b"_s);
        QCOMPARE(cell(0, 6), u"2.4 s"_s);
        QCOMPARE(cell(2, 2), u"rolled back"_s);
        QCOMPARE(cell(2, 3), u"hello:1.5"_s);
        QVERIFY(panel->table()->item(2, 2)->toolTip().contains(u"the previous version is serving again"_s));
        QCOMPARE(cell(3, 3), u"hello:1.4"_s);
        QVERIFY(panel->rollBackButton()->isEnabled());
        QVERIFY(page.grab().save(QStringLiteral(GANTRY_BINARY_DIR) + u"/ship-deploys.png"_s));

        // A server without a container name cannot be rolled back.
        serverTable(page)->selectRow(servers(page)->indexOfName(u"staging"_s));
        QTRY_COMPARE(panel->table()->rowCount(), 1);
        QVERIFY(!panel->rollBackButton()->isEnabled());
    }
};

QTEST_MAIN(TestDeploysPanel)
#include "tst_deployspanel.moc"
