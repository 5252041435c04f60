// SPDX-License-Identifier: MIT
// Saving a password from the GUI: the Ship page's Edit… dialog takes a login password, the
// page stores it in the keychain (a real gnome-keyring; never in the settings file), and
// Test Connection then logs in to a second machine (tests/support/servermachine.h) with it,
// through askpass, without asking anything.
#include "pages/shippage.h"
#include "storedsecret.h"
#include "ship/secretstore.h"
#include "servers/serverdialog.h"
#include "servers/serverlistmodel.h"
#include "ship/serverprofile.h"
#include "servermachine.h"
#include "shippageparts.h"
#include "testsupport.h"

#include <QApplication>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;
using namespace GantryTest::ShipPageParts;

class TestShipPasswordGui : public QObject
{
    Q_OBJECT
    QTemporaryDir m_work;
    ServerMachine m_server;

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"Gantry"_s);
        QCoreApplication::setApplicationName(u"Gantry"_s);
        qputenv("XDG_CONFIG_HOME", m_work.filePath(u"config"_s).toUtf8());
        qputenv("XDG_CACHE_HOME", m_work.filePath(u"cache"_s).toUtf8());
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
    }

    void passwordSavedInTheDialogLogsIn()
    {
        const QString password = u"pw-"_s + QUuid::createUuid().toString(QUuid::Id128).left(16);
        QVERIFY(m_server.addPasswordUser(u"gantrypw"_s, password));
        Gantry::ServerProfile p;
        p.name = u"by-password"_s;
        p.host = m_server.host();
        p.port = m_server.port();
        p.user = u"gantrypw"_s;
        p.knownHostsFile = m_server.knownHostsFile();
        p.remoteDir = u"/srv/gantry-test/pw"_s;
        {
            QSettings settings;
            Gantry::ServerProfiles::save(settings, {p});
        }
        (void)Gantry::SecretStore::remove(p.passwordKey());
        QVERIFY(!GantryTest::storedSecret(p.passwordKey()).has_value());

        Gantry::ShipPage page;
        page.resize(1100, 720);
        page.show();
        QCOMPARE(servers(page)->rowCount(), 1);
        serverTable(page)->selectRow(0);
        // The Edit… dialog: type the password as a user does, press OK.
        bool typed = false;
        QTimer::singleShot(0, &page, [&] {
            auto *dialog = qobject_cast<Gantry::ServerDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            for (QLineEdit *e : dialog->findChildren<QLineEdit *>())
                if (e->echoMode() == QLineEdit::Password) {
                    QTest::keyClicks(e, password);
                    typed = true;
                    break; // the first secret field is the login password
                }
            dialog->accept();
        });
        page.editServer();
        QVERIFY(typed);
        // In the keychain, and nowhere in the settings file.
        QTRY_COMPARE_WITH_TIMEOUT(GantryTest::storedSecret(p.passwordKey()).value_or(QString()), password, 10000);
        QSettings settings;
        settings.sync();
        QVERIFY(!readAll(settings.fileName()).contains(password.toUtf8()));

        // Test Connection logs in with it; any question would be a modal dialog: none appears.
        bool asked = false;
        QTimer watch;
        connect(&watch, &QTimer::timeout, &page, [&] {
            if (QWidget *w = QApplication::activeModalWidget()) {
                asked = true;
                w->close();
            }
        });
        watch.start(50);
        QSignalSpy tested(&page, &Gantry::ShipPage::connectionTested);
        page.testConnection(0);
        QVERIFY(tested.wait(120000));
        watch.stop();
        QVERIFY2(tested.constFirst().at(0).toBool(), qPrintable(tested.constFirst().at(1).toString() + m_server.sshdLog().right(2000)));
        QVERIFY(!asked);
        QVERIFY2(m_server.sshdLog().contains(u"Accepted password for gantrypw"_s), qPrintable(m_server.sshdLog().right(2000)));
        (void)Gantry::SecretStore::remove(p.passwordKey());
    }
};

QTEST_MAIN(TestShipPasswordGui)
#include "tst_ship_password_gui.moc"
