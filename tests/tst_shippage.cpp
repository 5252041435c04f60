// SPDX-License-Identifier: MIT
// The Ship page, offscreen, driving real jobs: export to a file, ship to a second machine
// (tests/support/servermachine.h: its own sshd, host key, dockerd and image store, reached
// only on 127.0.0.1), the host-key dialog with the fingerprint. The image is built on the
// client and shipped through the page: the server's engine has it afterwards, the client's
// does not. Screenshots go to the build folder.
#include "pages/shippage.h"
#include "servers/serverdialog.h"
#include "servers/layerstatemodel.h"
#include "servers/serverlistmodel.h"
#include "ship/serverprofile.h"
#include "servermachine.h"
#include "shippageparts.h"
#include "sshserver.h" // ShipFixtures::buildExampleImage
#include "testsupport.h"
#include "widgets/messagebar.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QScopeGuard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
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

class TestShipPage : public QObject
{
    Q_OBJECT
    ServerMachine m_server;
    QTemporaryDir m_work;
    QString m_image;

    static QString shot(const QString &name) { return QStringLiteral(GANTRY_BINARY_DIR) + u"/ship-"_s + name + u".png"_s; }
    /// The widget as the user sees it: a layout change still pending (a button just hidden) is
    /// applied first, so a picture taken right after a signal is not a frame out of date.
    static QPixmap settled(QWidget &w)
    {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        return w.grab();
    }

    Gantry::ServerProfile profile(const QString &name, const QString &knownHosts) const
    {
        Gantry::ServerProfile p;
        p.name = name;
        p.host = m_server.host();
        p.port = m_server.port();
        p.user = u"root"_s;
        p.identityFile = m_server.clientKey();
        p.knownHostsFile = knownHosts;
        p.remoteDir = u"/srv/gantry-test/remote-"_s + name; // on the server
        return p;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"Gantry"_s);
        QCoreApplication::setApplicationName(u"Gantry"_s);
        qputenv("XDG_CONFIG_HOME", m_work.filePath(u"config"_s).toUtf8());
        qputenv("XDG_CACHE_HOME", m_work.filePath(u"cache"_s).toUtf8());
        QString error;
        QVERIFY2(m_server.start(), qPrintable(m_server.startFailure()));
        const QString token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_image = u"gantry-test-ship-page-%1:latest"_s.arg(token);
        QVERIFY2(ShipFixtures::buildExampleImage(m_image, token, false, &error), qPrintable(error));
        QSettings settings;
        Gantry::ServerProfiles::save(settings, {profile(u"loopback"_s, m_server.knownHostsFile()),
                                                profile(u"new-host"_s, m_work.filePath(u"empty_known_hosts"_s))});
    }

    void cleanupTestCase() { runDocker({u"rmi"_s, u"-f"_s, m_image}); } // the server goes with its container

    void showsTheServersFromSettings()
    {
        Gantry::ShipPage page;
        QAbstractItemModelTester serverTester(servers(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester layerTester(layers(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(!page.hasImage());
        page.setImage(m_image);
        QVERIFY(page.hasImage());
        QCOMPARE(servers(page)->rowCount(), 2);
        QCOMPARE(servers(page)->index(0, Gantry::ServerListModel::NameColumn).data().toString(), u"loopback"_s);
        QCOMPARE(servers(page)->index(0, Gantry::ServerListModel::AddressColumn).data().toString(),
                 u"root@127.0.0.1:%1"_s.arg(m_server.port()));
        servers(page)->removeProfile(1);
        QCOMPARE(servers(page)->rowCount(), 1);
    }

    void serverDialogValidatesAndKeepsSecretsOut()
    {
        Gantry::ServerDialog dialog(Gantry::ServerProfile{}, {u"taken"_s});
        const auto edits = dialog.findChildren<QLineEdit *>();
        const auto field = [&](const QString &placeholder) -> QLineEdit * {
            for (QLineEdit *e : edits)
                if (e->placeholderText().startsWith(placeholder))
                    return e;
            return nullptr;
        };
        QLineEdit *name = field(u"production"_s);
        QLineEdit *host = field(u"example.com or"_s);
        QVERIFY(name && host);
        // An empty host is refused with a sentence that says what to do.
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        const auto labels = dialog.findChildren<QLabel *>();
        bool explained = false;
        for (QLabel *l : labels)
            explained = explained || (l->isVisibleTo(&dialog) && l->text().contains(u"The host is empty"_s));
        QVERIFY(explained);
        name->setText(u"taken"_s);
        host->setText(u"deploy.example.com"_s);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected)); // the name is in use
        const auto errorShown = [&] {
            for (QLabel *l : dialog.findChildren<QLabel *>())
                if (l->isVisibleTo(&dialog) && l->text().contains(u"exists already"_s))
                    return true;
            return false;
        };
        QVERIFY(errorShown());
        name->setText(u"prod"_s);
        QVERIFY2(!errorShown(), "the refusal must go once the name is changed");
        dialog.findChild<QSpinBox *>(u"serverPort"_s)->setValue(2222);
        QLineEdit *password = nullptr;
        for (QLineEdit *e : edits)
            if (e->echoMode() == QLineEdit::Password && !password)
                password = e;
        QVERIFY(password);
        password->setText(u"s3cret"_s);
        dialog.resize(dialog.sizeHint());
        QVERIFY(dialog.grab().save(shot(u"server-dialog"_s)));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const Gantry::ServerProfile p = dialog.profile();
        QCOMPARE(p.name, u"prod"_s);
        QCOMPARE(p.host, u"deploy.example.com"_s);
        QCOMPARE(p.port, 2222);
        QCOMPARE(dialog.password(), u"s3cret"_s);
        // The profile as stored in settings has no trace of the password.
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"s.ini"_s), QSettings::IniFormat);
        Gantry::ServerProfiles::save(settings, {p});
        QFile ini(dir.filePath(u"s.ini"_s));
        QVERIFY(ini.open(QIODevice::ReadOnly));
        const QByteArray text = ini.readAll();
        QVERIFY(text.contains("deploy.example.com"));
        QVERIFY(!text.contains("s3cret"));
        QCOMPARE(Gantry::ServerProfiles::load(settings), QList<Gantry::ServerProfile>{p});
    }

    void hostFieldTakesUserHostPortAndNoSecretIsClaimed()
    {
        Gantry::ServerDialog dialog(Gantry::ServerProfile{}, {});
        auto *host = dialog.findChild<QLineEdit *>(u"serverHost"_s);
        auto *user = dialog.findChild<QLineEdit *>(u"serverUser"_s);
        auto *password = dialog.findChild<QLineEdit *>(u"serverPassword"_s);
        auto *passphrase = dialog.findChild<QLineEdit *>(u"serverPassphrase"_s);
        QVERIFY(host && user && password && passphrase);
        // A new server holds no secret: the fields must not say one is stored.
        for (QLineEdit *e : {password, passphrase}) {
            QVERIFY2(!e->placeholderText().contains(u"stored in the keychain"_s), qPrintable(e->placeholderText()));
            QVERIFY2(e->placeholderText().contains(u"none stored"_s), qPrintable(e->placeholderText()));
        }
        dialog.show();
        host->setFocus();
        QTest::keyClicks(host, u"deploy@example.com:2222"_s);
        QTest::keyClick(host, Qt::Key_Return); // finishing the field splits it (and Return presses OK)
        QCOMPARE(host->text(), u"example.com"_s);
        QCOMPARE(user->text(), u"deploy"_s);
        QCOMPARE(dialog.findChild<QSpinBox *>(u"serverPort"_s)->value(), 2222);
        // Typed and accepted at once (no focus change): the same.
        host->setText(u"ops@[2001:db8::1]:2200"_s);
        const Gantry::ServerProfile p = dialog.profile();
        QCOMPARE(p.host, u"2001:db8::1"_s);
        QCOMPARE(p.user, u"ops"_s);
        QCOMPARE(p.port, 2200);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void restartIsTheServersOwnSetting()
    {
        QSettings settings;
        const auto saved = Gantry::ServerProfiles::load(settings);
        auto restore = qScopeGuard([&] { Gantry::ServerProfiles::save(settings, saved); });
        Gantry::ShipPage page;
        page.resize(1024, 700);
        page.show();
        page.setImage(m_image);
        auto *restart = page.findChild<QCheckBox *>(u"RestartAfterLoad"_s);
        QVERIFY(restart);
        serverTable(page)->selectRow(0);
        QCOMPARE(restart->checkState(), Qt::Unchecked); // the profile says: nothing after loading
        // No container name: it cannot be turned on, and the page says why.
        QTest::mouseClick(restart, Qt::LeftButton);
        QCOMPARE(restart->checkState(), Qt::Unchecked);
        QVERIFY(messageBar(page)->isVisible());
        QVERIFY2(messageBar(page)->text().contains(u"no container name"_s), qPrintable(messageBar(page)->text()));
        // With a name, the box changes the profile itself (saved), and shows the name.
        Gantry::ServerProfile p = servers(page)->profile(0);
        p.containerName = u"web"_s;
        servers(page)->replaceProfile(0, p);
        QTest::mouseClick(restart, Qt::LeftButton);
        QCOMPARE(restart->checkState(), Qt::Checked);
        QCOMPARE(servers(page)->profile(0).afterLoad, Gantry::ServerProfile::AfterLoad::Restart);
        QCOMPARE(Gantry::ServerProfiles::load(settings).value(0).afterLoad, Gantry::ServerProfile::AfterLoad::Restart);
        QVERIFY2(restart->text().contains(u"web"_s), qPrintable(restart->text()));
        // Another server without restart: both selected shows "partly".
        serverTable(page)->selectAll();
        QCOMPARE(restart->checkState(), Qt::PartiallyChecked);
        serverTable(page)->selectRow(0);
        QTest::mouseClick(restart, Qt::LeftButton);
        QCOMPARE(servers(page)->profile(0).afterLoad, Gantry::ServerProfile::AfterLoad::Nothing);
        QVERIFY(settled(page).save(shot(u"restart-setting"_s)));
    }

    void connectionTestResultIsInTheTable()
    {
        Gantry::ShipPage page;
        page.resize(1024, 700);
        page.show();
        serverTable(page)->selectRow(0);
        QSignalSpy tested(&page, &Gantry::ShipPage::connectionTested);
        QPushButton *test = nullptr;
        for (QPushButton *b : page.findChildren<QPushButton *>())
            if (b->text() == u"Test Connection"_s)
                test = b;
        QVERIFY(test && test->isEnabled());
        QTest::mouseClick(test, Qt::LeftButton);
        QCOMPARE(servers(page)->status(0), u"testing the connection…"_s);
        QVERIFY(tested.wait(60000));
        QVERIFY2(tested.constFirst().at(0).toBool(), qPrintable(tested.constFirst().at(1).toString()));
        QCOMPARE(servers(page)->index(0, Gantry::ServerListModel::StatusColumn).data().toString(), u"connection OK"_s);
        // A server that is not there: the reason is in its row.
        Gantry::ServerProfile gone = servers(page)->profile(0);
        gone.name = u"nowhere"_s;
        gone.port = 1; // nothing listens there
        servers(page)->addProfile(gone);
        const int row = servers(page)->rowCount() - 1;
        serverTable(page)->selectRow(row);
        QTest::mouseClick(test, Qt::LeftButton);
        QVERIFY(tested.wait(60000));
        QVERIFY(!tested.constLast().at(0).toBool());
        const QString status = servers(page)->index(row, Gantry::ServerListModel::StatusColumn).data().toString();
        QVERIFY2(status.startsWith(u"connection failed: "_s), qPrintable(status));

        // Shipping there fails: the row says why and no layer stays "waiting".
        page.setImage(m_image);
        QSignalSpy shipped(&page, &Gantry::ShipPage::shipFinished);
        QPushButton *ship = nullptr;
        for (QPushButton *b : page.findChildren<QPushButton *>())
            if (b->text() == u"Ship"_s)
                ship = b;
        QVERIFY(ship && ship->isEnabled());
        QTest::mouseClick(ship, Qt::LeftButton);
        QVERIFY(shipped.wait(240000));
        const QString failed = servers(page)->status(row);
        QVERIFY2(failed.startsWith(u"failed: "_s), qPrintable(failed));
        QVERIFY(layers(page)->rowCount() > 0);
        for (int r = 0; r < layers(page)->rowCount(); ++r)
            QCOMPARE(layers(page)->index(r, Gantry::LayerStateModel::StateColumn).data().toString(), u"not sent (the ship failed)"_s);
        QVERIFY(settled(page).save(shot(u"failed-layers"_s)));
    }

    void exportsWithProgressAndCancel()
    {
        Gantry::ShipPage page;
        page.resize(1000, 700);
        page.setImage(m_image);
        QSignalSpy finished(&page, &Gantry::ShipPage::exportFinished);
        QSignalSpy busy(&page, &Gantry::ShipPage::busyChanged);
        // The export's own progress bar moves while it writes.
        QProgressBar *bar = exportProgress(page);
        QVERIFY(bar);
        QList<int> values;
        connect(bar, &QProgressBar::valueChanged, &page, [&](int v) {
            if (page.isBusy() && bar->maximum() > 0)
                values << v;
        });
        const QString file = m_work.filePath(u"page.tar.zst"_s);
        page.exportImageTo(file, Gantry::Compression::Zstd);
        QVERIFY(page.isBusy());
        QVERIFY(finished.wait(120000));
        // (Saving and compressing are two phases: the bar may start again for the second.)
        QVERIFY2(values.size() >= 2 && *std::max_element(values.cbegin(), values.cend()) > values.constFirst(),
                 qPrintable(u"progress values while exporting: %1"_s.arg(values.size())));
        QCOMPARE(finished.constFirst().constFirst().toBool(), true);
        QVERIFY(!page.isBusy());
        QCOMPARE(busy.size(), 2);
        QVERIFY(QFile::exists(file));
        QVERIFY(QFile::exists(file + u".sha256"_s));
        QCOMPARE(exportPanel(page)->lastExportPath(), file);
        QVERIFY2(exportStatus(page).startsWith(u"Wrote "_s), qPrintable(exportStatus(page)));
        QVERIFY(settled(page).save(shot(u"exported"_s)));
        const auto *show = page.findChild<QPushButton *>(); // any button: the page is alive and laid out
        QVERIFY(show);

        const QString cancelled = m_work.filePath(u"cancelled.tar.xz"_s);
        page.exportImageTo(cancelled, Gantry::Compression::Xz);
        QVERIFY(page.isBusy()); // cancelled while it runs, not after
        page.cancel();
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.constLast().constFirst().toBool(), false);
        QVERIFY(!QFile::exists(cancelled));
        QVERIFY2(exportStatus(page).contains(u"cancelled"_s), qPrintable(exportStatus(page)));
        QVERIFY(settled(page).save(shot(u"export-cancelled"_s)));
    }

    void shipsToTheServerWithLayerStates()
    {
        Gantry::ShipPage page;
        QAbstractItemModelTester serverTester(servers(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester layerTester(layers(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.resize(1100, 720);
        page.show();
        // Ship a saved archive of the image, gone from the client's engine: only the ship can
        // bring it anywhere, and it must go to the server's engine, not back to the client's.
        const QString archive = m_work.filePath(u"page-ship.tar"_s);
        const QString builtId = runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_image}).stdoutText().trimmed();
        QVERIFY2(builtId.startsWith(u"sha256:"_s), qPrintable(builtId));
        QVERIFY(runDocker({u"save"_s, u"-o"_s, archive, m_image}).ok());
        QVERIFY(runDocker({u"rmi"_s, m_image}).ok());
        QVERIFY(!m_server.hasImage(m_image));
        page.setImage(archive);
        serverTable(page)->selectRow(0);
        QSignalSpy done(&page, &Gantry::ShipPage::shipFinished);
        bool grabbedDuring = false;
        connect(layers(page), &QAbstractItemModel::dataChanged, &page, [&] {
            if (!grabbedDuring && page.isBusy()) {
                grabbedDuring = true;
                settled(page).save(shot(u"during"_s));
            }
        });
        page.shipImage();
        QVERIFY(page.isBusy());
        QVERIFY(done.wait(240000));
        QVERIFY2(!messageBar(page)->isVisible(), qPrintable(messageBar(page)->text()));
        QVERIFY2(shipSummary(page).contains(u"layers already on the server: sent"_s), qPrintable(shipSummary(page)));
        QCOMPARE(layers(page)->rowCount(), 3);
        for (const auto &layer : layers(page)->layers())
            QVERIFY(layer.state == Gantry::LayerShipState::Verified || layer.state == Gantry::LayerShipState::AlreadyThere
                    || layer.state == Gantry::LayerShipState::InEngine);
        QVERIFY2(remoteOutput(page).contains(u"Loaded image: "_s + m_image), qPrintable(remoteOutput(page)));
        QVERIFY(servers(page)->status(0).startsWith(u"done: "_s));
        QVERIFY2(m_server.hasImage(m_image), qPrintable(m_server.docker({u"images"_s}).stdoutText())); // the server's engine has it
        const QString clientId = runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_image}).stdoutText().trimmed();
        QVERIFY2(clientId.isEmpty(), "the ship put the image into the client's engine");
        // The server has exactly what the client built (both engines use the classic store: the id is the config's digest).
        QCOMPARE(m_server.docker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_image}).stdoutText().trimmed(), builtId);
        int verified = 0;
        for (const auto &layer : layers(page)->layers())
            verified += layer.state == Gantry::LayerShipState::Verified ? 1 : 0;
        QVERIFY(verified >= 1); // at least the unique frontend layer was sent
        QCOMPARE(verified, 3);  // and the fresh server had none of them: every layer went
        QVERIFY(settled(page).save(shot(u"after"_s)));
        // Shipped again: every layer is on the server now, none is sent a second time.
        page.shipImage();
        QVERIFY(done.wait(240000));
        QVERIFY2(!messageBar(page)->isVisible(), qPrintable(messageBar(page)->text()));
        QVERIFY2(servers(page)->status(0).startsWith(u"done: "_s), qPrintable(servers(page)->status(0)));
        QCOMPARE(layers(page)->rowCount(), 3);
        for (const auto &layer : layers(page)->layers())
            QVERIFY2(layer.state == Gantry::LayerShipState::AlreadyThere || layer.state == Gantry::LayerShipState::InEngine,
                     qPrintable(shipSummary(page)));
        QVERIFY2(shipSummary(page).contains(u"3 of 3 layers already on the server"_s), qPrintable(shipSummary(page)));
        QCoreApplication::processEvents(); // the layout a user sees once the page is painted
        QVERIFY(settled(page).save(shot(u"again"_s)));
        QVERIFY2(!runDocker({u"image"_s, u"inspect"_s, m_image}).ok(), "the second ship put the image into the client's engine");
        // The tests after this one show the image on the page: the client gets it back from the archive.
        QVERIFY(runDocker({u"load"_s, u"-i"_s, archive}).ok());
        QCOMPARE(runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_image}).stdoutText().trimmed(), builtId);
    }

    void passwordDialogForAPasswordLogin()
    {
        // No key the server knows, no password stored: the page asks, ssh gets it via askpass.
        const QString password = u"gantry-page-"_s + QUuid::createUuid().toString(QUuid::Id128).left(12);
        QVERIFY(m_server.addPasswordUser(u"gantrypage"_s, password)); // a login on the server
        const QString key = m_work.filePath(u"unknown_key"_s);
        QVERIFY(Gantry::runProcess(u"ssh-keygen"_s, {u"-q"_s, u"-t"_s, u"ed25519"_s, u"-N"_s, u""_s, u"-f"_s, key}).ok());
        Gantry::ServerProfile p = profile(u"password-login"_s, m_server.knownHostsFile());
        p.user = u"gantrypage"_s;
        p.identityFile = key;
        Gantry::ShipPage page;
        servers(page)->addProfile(p);
        const int row = servers(page)->rowCount() - 1;
        QString prompt;
        QTimer poll;
        poll.setInterval(100);
        connect(&poll, &QTimer::timeout, &page, [&] {
            auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            prompt = dialog->labelText();
            QCOMPARE(dialog->textEchoMode(), QLineEdit::Password);
            dialog->setTextValue(password);
            dialog->accept();
        });
        poll.start();
        QSignalSpy tested(&page, &Gantry::ShipPage::connectionTested);
        page.testConnection(row);
        QVERIFY(tested.wait(90000));
        m_server.run(u"userdel -f gantrypage"_s);
        QVERIFY2(prompt.contains(u"gantrypage@127.0.0.1's password"_s), qPrintable(prompt));
        QVERIFY2(tested.constFirst().at(0).toBool(), qPrintable(tested.constFirst().at(1).toString()));
    }

    void unknownHostKeyDialogShowsTheFingerprint()
    {
        Gantry::ShipPage page;
        page.resize(1000, 700);
        page.show();
        page.setImage(m_image);
        QString dialogText;
        QTimer poll;
        poll.setInterval(100);
        connect(&poll, &QTimer::timeout, &page, [&] {
            auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            if (!box)
                return;
            dialogText = box->text() + u'\n' + box->informativeText();
            // Server text is never rendered as rich text (issue 14).
            for (QLabel *label : box->findChildren<QLabel *>())
                if (!label->text().isEmpty() && label->textFormat() != Qt::PlainText)
                    dialogText += u"\nNOT PLAIN: "_s + label->text();
            box->grab().save(shot(u"hostkey"_s));
            for (QAbstractButton *b : box->buttons())
                if (b->text() == u"Trust and Connect"_s)
                    b->click();
        });
        poll.start();
        QSignalSpy tested(&page, &Gantry::ShipPage::connectionTested);
        page.testConnection(1); // "new-host": its key is not in that known_hosts yet
        QVERIFY(tested.wait(60000));
        QVERIFY2(dialogText.contains(m_server.hostKeyFingerprint()), qPrintable(dialogText));
        // The dialog names the host whose key it shows (a jump host's question names the jump).
        QVERIFY2(dialogText.contains(u"[127.0.0.1]:%1"_s.arg(m_server.port())), qPrintable(dialogText));
        QVERIFY2(!dialogText.contains(u"NOT PLAIN"_s), qPrintable(dialogText));
        QVERIFY2(tested.constFirst().at(0).toBool(), qPrintable(tested.constFirst().at(1).toString()));
        QVERIFY(tested.constFirst().at(1).toString().startsWith(u"Connected to root@127.0.0.1"_s));
        QFile kh(m_work.filePath(u"empty_known_hosts"_s));
        QVERIFY(kh.open(QIODevice::ReadOnly));
        QVERIFY(kh.readAll().contains("ssh-ed25519"));
    }
};

QTEST_MAIN(TestShipPage)
#include "tst_shippage.moc"
