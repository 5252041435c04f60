// SPDX-License-Identifier: MIT
// The server dialog's container run settings (issue 19, point 5), driven as a user does from
// the Ship page: bad values are refused with the sentence the CLI's run flags give; every field
// filled, saved, reopened shows the same values; a secret variable's value goes to the real
// keychain (gnome-keyring, data/ship/with-keyring.sh) and never into the settings file; the
// dialog says "stored in the keychain" only for a value the keychain really holds.
#include "pages/shippage.h"
#include "storedsecret.h"
#include "ship/secretstore.h"
#include "servers/serverdialog.h"
#include "servers/serverlistmodel.h"
#include "shippageparts.h"
#include "ship/serverprofile.h"
#include "testsupport.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;
using namespace GantryTest::ShipPageParts;

namespace {

template<class W>
W *field(QWidget *dialog, const QString &name)
{
    return dialog->findChild<W *>(name);
}

/// The refusal the dialog shows now (empty: none visible).
QString shownError(QWidget *dialog)
{
    for (QLabel *l : dialog->findChildren<QLabel *>())
        if (l->isVisibleTo(dialog) && l->styleSheet().contains(u"b3261e"_s))
            return l->text();
    return {};
}

QLineEdit *secretValueFor(QWidget *dialog, const QString &name)
{
    const auto names = dialog->findChildren<QLineEdit *>(u"runSecretName"_s);
    const auto values = dialog->findChildren<QLineEdit *>(u"runSecretValue"_s);
    for (qsizetype i = 0; i < names.size() && i < values.size(); ++i)
        if (names.at(i)->text() == name)
            return values.at(i);
    return nullptr;
}

} // namespace

class TestServerDialogRun : public QObject
{
    Q_OBJECT
    QTemporaryDir m_work;
    const QString m_token = u"tok-"_s + QUuid::createUuid().toString(QUuid::Id128).left(20);

    static QString shot(const QString &name) { return QStringLiteral(GANTRY_BINARY_DIR) + u"/serverdialog-"_s + name + u".png"_s; }

    static Gantry::ServerDialog *openDialog()
    {
        return qobject_cast<Gantry::ServerDialog *>(QApplication::activeModalWidget());
    }

private Q_SLOTS:
    void initTestCase()
    {
        QCoreApplication::setOrganizationName(u"Gantry"_s);
        QCoreApplication::setApplicationName(u"Gantry"_s);
        qputenv("XDG_CONFIG_HOME", m_work.filePath(u"config"_s).toUtf8());
        qputenv("XDG_CACHE_HOME", m_work.filePath(u"cache"_s).toUtf8());
        qputenv("XDG_DATA_HOME", m_work.filePath(u"data"_s).toUtf8());
    }

    void badValuesAreRefusedWithTheCliSentence_data()
    {
        QTest::addColumn<QString>("widget");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("expected");
        QTest::newRow("port not a port") << u"runPorts"_s << u"80a"_s << u"-p"_s << u"'80a' is not a port mapping"_s;
        QTest::newRow("port out of range") << u"runPorts"_s << u"8080:70000"_s << u"-p"_s << u"'8080:70000' is not a port mapping"_s;
        QTest::newRow("port protocol") << u"runPorts"_s << u"8080:80/http"_s << u"-p"_s << u"names the protocol 'http'"_s;
        QTest::newRow("volume without colon") << u"runVolumes"_s << u"data"_s << u"-v"_s << u"The volume 'data' is not SOURCE:TARGET"_s;
        QTest::newRow("volume relative target") << u"runVolumes"_s << u"data:var/lib"_s << u"-v"_s << u"which is not an absolute path"_s;
        QTest::newRow("restart policy") << u"runRestartPolicy"_s << u"sometimes"_s << u"--restart-policy"_s
                                        << u"'sometimes' is not a restart policy"_s;
        QTest::newRow("network") << u"runNetwork"_s << u"my net"_s << u"--network"_s << u"is not a docker network name"_s;
        QTest::newRow("health url") << u"runHealthUrl"_s << u"ftp://x/health"_s << u"--health"_s << u"is not an http(s) address"_s;
        QTest::newRow("container name") << u"runContainer"_s << u"-rm"_s << u"--name"_s << u"not one docker accepts"_s;
    }

    void badValuesAreRefusedWithTheCliSentence()
    {
        QFETCH(QString, widget);
        QFETCH(QString, value);
        QFETCH(QString, flag);
        QFETCH(QString, expected);
        Gantry::ServerProfile p;
        p.host = u"deploy.example.test"_s;
        p.afterLoad = Gantry::ServerProfile::AfterLoad::Restart;
        p.containerName = u"hello-web"_s;
        Gantry::ServerDialog dialog(p, {});
        if (auto *line = field<QLineEdit>(&dialog, widget))
            line->setText(value);
        else if (auto *lines = field<QPlainTextEdit>(&dialog, widget))
            lines->setPlainText(value);
        else if (auto *combo = field<QComboBox>(&dialog, widget))
            combo->setCurrentText(value);
        else
            QFAIL(qPrintable(u"no field "_s + widget));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        const QString shown = shownError(&dialog);
        QVERIFY2(shown.contains(expected), qPrintable(shown));
        if (QByteArrayView(QTest::currentDataTag()) == "port not a port") {
            field<QTabWidget>(&dialog, u"serverTabs"_s)->setCurrentIndex(1);
            dialog.resize(dialog.sizeHint());
            QVERIFY(dialog.grab().save(shot(u"refused"_s)));
        }
        // The CLI's flag with the same value says the same (one grammar): it fails before connecting.
        const Gantry::ProcessResult cli = runGantry({u"rollback"_s, u"--to"_s, u"deploy@deploy.example.test"_s, u"--name"_s,
                                                     u"hello-web"_s, flag, value, u"--batch"_s});
        QVERIFY(cli.started);
        QCOMPARE(cli.exitCode, 2);
        const QString said = cli.stderrText().simplified();
        QVERIFY2(said.contains(flag + u": "_s) || flag == u"--name"_s, qPrintable(said));
        QVERIFY2(said.contains(shown.section(u". "_s, 0, 0).simplified()), qPrintable(said + u" / "_s + shown));
    }

    void everyFieldSavedReopenedAndTheSecretInTheKeychain()
    {
        Gantry::ShipPage page;
        page.resize(1024, 700);
        page.show();
        QCOMPARE(servers(page)->rowCount(), 0);
        bool filled = false;
        QSize hint;
        QTimer::singleShot(0, &page, [&] {
            Gantry::ServerDialog *dialog = openDialog();
            QVERIFY(dialog);
            field<QLineEdit>(dialog, u"serverHost"_s)->setText(u"deploy@deploy.example.test:2222"_s);
            auto *tabs = field<QTabWidget>(dialog, u"serverTabs"_s);
            QVERIFY(tabs);
            tabs->setCurrentIndex(1);
            field<QComboBox>(dialog, u"runAfterLoad"_s)->setCurrentIndex(1);
            field<QLineEdit>(dialog, u"runContainer"_s)->setText(u"hello-web"_s);
            field<QLineEdit>(dialog, u"runPorts"_s)->setText(u"8080:3000, 127.0.0.1:9090:9090/udp"_s);
            field<QPlainTextEdit>(dialog, u"runEnv"_s)->setPlainText(u"RUST_LOG=info\nGREETING=hello world\n"_s);
            QTest::mouseClick(field<QPushButton>(dialog, u"runAddSecret"_s), Qt::LeftButton);
            auto *secretName = field<QLineEdit>(dialog, u"runSecretName"_s);
            auto *secretValue = field<QLineEdit>(dialog, u"runSecretValue"_s);
            QVERIFY(secretName && secretValue);
            QCOMPARE(secretValue->echoMode(), QLineEdit::Password);
            QVERIFY2(!secretValue->placeholderText().contains(u"stored"_s), qPrintable(secretValue->placeholderText()));
            QTest::keyClicks(secretName, u"DEPLOY_TOKEN"_s);
            QTest::keyClicks(secretValue, m_token);
            field<QPlainTextEdit>(dialog, u"runVolumes"_s)->setPlainText(u"data:/var/lib/app\n/srv/static:/static:ro,z"_s);
            field<QLineEdit>(dialog, u"runNetwork"_s)->setText(u"hello-net"_s);
            field<QComboBox>(dialog, u"runRestartPolicy"_s)->setCurrentText(u"on-failure:5"_s);
            field<QLineEdit>(dialog, u"runHealthUrl"_s)->setText(u"http://127.0.0.1:8080/api/health"_s);
            auto *where = field<QComboBox>(dialog, u"runHealthWhere"_s);
            where->setCurrentIndex(where->findData(int(Gantry::RunSettings::HealthWhere::Server)));
            field<QSpinBox>(dialog, u"runHealthTimeout"_s)->setValue(45);
            field<QSpinBox>(dialog, u"runStopTimeout"_s)->setValue(20);
            field<QSpinBox>(dialog, u"runKeepImages"_s)->setValue(5);
            QApplication::processEvents(); // the new secret row is laid out and shown
            hint = dialog->sizeHint();
            dialog->resize(hint);
            QVERIFY(secretName->isVisible() && secretValue->isVisible());
            QVERIFY(dialog->grab().save(shot(u"container"_s)));
            tabs->setCurrentIndex(0);
            QVERIFY(dialog->grab().save(shot(u"connection"_s)));
            filled = true;
            dialog->accept();
        });
        page.addServer();
        QVERIFY(filled);
        // The dialog fits a 1024×700 screen with every field filled in.
        QVERIFY2(hint.width() <= 1024 && hint.height() <= 700, qPrintable(u"%1×%2"_s.arg(hint.width()).arg(hint.height())));
        QCOMPARE(servers(page)->rowCount(), 1);
        const Gantry::ServerProfile saved = Gantry::ServerProfiles::load().value(0);
        QCOMPARE(saved.host, u"deploy.example.test"_s);
        QCOMPARE(saved.port, 2222);
        QCOMPARE(saved.afterLoad, Gantry::ServerProfile::AfterLoad::Restart);
        QCOMPARE(saved.containerName, u"hello-web"_s);
        QCOMPARE(saved.ports, (QStringList{u"8080:3000"_s, u"127.0.0.1:9090:9090/udp"_s}));
        QCOMPARE(saved.env, (QStringList{u"RUST_LOG=info"_s, u"GREETING=hello world"_s}));
        QCOMPARE(saved.secretEnv, QStringList{u"DEPLOY_TOKEN"_s});
        QCOMPARE(saved.volumes, (QStringList{u"data:/var/lib/app"_s, u"/srv/static:/static:ro,z"_s}));
        QCOMPARE(saved.network, u"hello-net"_s);
        QCOMPARE(saved.restartPolicy, u"on-failure:5"_s);
        QCOMPARE(saved.healthUrl, u"http://127.0.0.1:8080/api/health"_s);
        QCOMPARE(saved.healthWhere, Gantry::RunSettings::HealthWhere::Server);
        QCOMPARE(saved.healthTimeoutSec, 45);
        QCOMPARE(saved.stopTimeoutSec, 20);
        QCOMPARE(saved.keepImages, 5);
        // The secret is in the real keychain under the profile's key, and not in the settings file.
        QTRY_COMPARE_WITH_TIMEOUT(GantryTest::storedSecret(saved.containerEnvKey(u"DEPLOY_TOKEN"_s)).value_or(QString()), m_token, 10000);
        QSettings settings;
        settings.sync();
        const QByteArray ini = readAll(settings.fileName());
        QVERIFY(ini.contains("hello-web"));
        QVERIFY(!ini.contains(m_token.toUtf8()));

        // A second secret name whose value the keychain does not hold: the dialog must not claim it.
        {
            QList<Gantry::ServerProfile> profiles = Gantry::ServerProfiles::load();
            profiles[0].secretEnv << u"NOT_STORED"_s;
            Gantry::ServerProfiles::save(profiles);
        }
        Gantry::ShipPage again;
        again.resize(1024, 700);
        again.show();
        serverTable(again)->selectRow(0);
        bool checked = false;
        QTimer::singleShot(0, &again, [&] {
            Gantry::ServerDialog *dialog = openDialog();
            QVERIFY(dialog);
            QCOMPARE(field<QComboBox>(dialog, u"runAfterLoad"_s)->currentIndex(), 1);
            QCOMPARE(field<QLineEdit>(dialog, u"runContainer"_s)->text(), u"hello-web"_s);
            QCOMPARE(field<QLineEdit>(dialog, u"runPorts"_s)->text(), u"8080:3000, 127.0.0.1:9090:9090/udp"_s);
            QCOMPARE(field<QPlainTextEdit>(dialog, u"runEnv"_s)->toPlainText(), u"RUST_LOG=info\nGREETING=hello world"_s);
            QCOMPARE(field<QPlainTextEdit>(dialog, u"runVolumes"_s)->toPlainText(), u"data:/var/lib/app\n/srv/static:/static:ro,z"_s);
            QCOMPARE(field<QLineEdit>(dialog, u"runNetwork"_s)->text(), u"hello-net"_s);
            QCOMPARE(field<QComboBox>(dialog, u"runRestartPolicy"_s)->currentText(), u"on-failure:5"_s);
            QCOMPARE(field<QLineEdit>(dialog, u"runHealthUrl"_s)->text(), u"http://127.0.0.1:8080/api/health"_s);
            QCOMPARE(field<QComboBox>(dialog, u"runHealthWhere"_s)->currentData().toInt(), int(Gantry::RunSettings::HealthWhere::Server));
            QCOMPARE(field<QSpinBox>(dialog, u"runHealthTimeout"_s)->value(), 45);
            QCOMPARE(field<QSpinBox>(dialog, u"runStopTimeout"_s)->value(), 20);
            QCOMPARE(field<QSpinBox>(dialog, u"runKeepImages"_s)->value(), 5);
            QLineEdit *stored = secretValueFor(dialog, u"DEPLOY_TOKEN"_s);
            QLineEdit *missing = secretValueFor(dialog, u"NOT_STORED"_s);
            QVERIFY(stored && missing);
            QVERIFY(stored->text().isEmpty()); // the value itself is never shown
            QTRY_VERIFY2_WITH_TIMEOUT(stored->placeholderText().contains(u"stored in the keychain"_s), qPrintable(stored->placeholderText()), 10000);
            QTRY_VERIFY2_WITH_TIMEOUT(missing->placeholderText().contains(u"not in the keychain"_s), qPrintable(missing->placeholderText()), 10000);
            field<QTabWidget>(dialog, u"serverTabs"_s)->setCurrentIndex(1);
            QApplication::processEvents();
            QVERIFY2(dialog->sizeHint().height() <= 700, qPrintable(QString::number(dialog->sizeHint().height())));
            dialog->resize(dialog->sizeHint());
            QVERIFY(dialog->grab().save(shot(u"reopened"_s)));
            // Renaming the container moves the kept value to the new name's key (not retyped).
            field<QLineEdit>(dialog, u"runContainer"_s)->setText(u"hello-web2"_s);
            checked = true;
            dialog->accept();
        });
        again.editServer();
        QVERIFY(checked);
        const Gantry::ServerProfile renamed = Gantry::ServerProfiles::load().value(0);
        QCOMPARE(renamed.containerName, u"hello-web2"_s);
        QTRY_COMPARE_WITH_TIMEOUT(GantryTest::storedSecret(renamed.containerEnvKey(u"DEPLOY_TOKEN"_s)).value_or(QString()), m_token, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!GantryTest::storedSecret(saved.containerEnvKey(u"DEPLOY_TOKEN"_s)).has_value(), 10000);
        (void)Gantry::SecretStore::remove(renamed.containerEnvKey(u"DEPLOY_TOKEN"_s));
    }
};

QTEST_MAIN(TestServerDialogRun)
#include "tst_serverdialog_run.moc"
