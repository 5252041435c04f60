// SPDX-License-Identifier: MIT
// Features of the main window the README promises, each as a user meets it (offscreen):
// an image archive dropped on the window opens on Inspect; quitting during a transfer asks
// first (Cancel keeps the window and the transfer, Close quits); the ssh program chosen in
// the preferences is the one Gantry runs.
// The ssh-program case keeps a local sshd (tests/support/sshserver.h), not a second machine:
// it ships nothing and looks at no server state, it only needs an sshd for the wrapper to reach.
#include "mainwindow.h"
#include "pages/inspectpage.h"
#include "pages/shippage.h"
#include "settings/preferences.h"
#include "servers/serverlistmodel.h"
#include "ship/serverprofile.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

/// When the next modal dialog opens: remembers its text and presses the button with this role.
void answerNextQuestion(QMessageBox::StandardButton answer, QString *text)
{
    QTimer *poll = new QTimer(qApp);
    poll->setInterval(50);
    QObject::connect(poll, &QTimer::timeout, poll, [poll, answer, text] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        *text = box->text();
        poll->deleteLater();
        box->button(answer)->click();
    });
    poll->start();
}

} // namespace

class TestAppFeatures : public QObject
{
    Q_OBJECT
    QTemporaryDir m_work;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"GantryTests"_s);
        QCoreApplication::setApplicationName(u"tst_app_features"_s);
        qputenv("XDG_CACHE_HOME", m_work.filePath(u"cache"_s).toUtf8());
        QSettings().clear();
    }

    void droppingAnArchiveOpensItOnInspect()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.showPage(MainWindow::Ship);
        const QString archive = QStringLiteral(GANTRY_CONFORMANCE_DIR) + u"/dive/test-docker-image.tar"_s;
        QVERIFY(QFile::exists(archive));
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(archive)});
        const QPoint at = window.rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        auto *inspect = window.findChild<InspectPage *>();
        QVERIFY(inspect);
        QSignalSpy analysed(inspect, &InspectPage::analysisFinished);
        QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&window, &drop);
        QCOMPARE(window.currentPage(), MainWindow::Inspect);
        QVERIFY(analysed.wait(60000));
        QCOMPARE(inspect->report().layers.size(), 14); // dive's own test image has 14 layers
    }

    void quittingDuringATransferAsksFirst()
    {
        const QString image = u"gantry/debian:trixie"_s; // 120 MB: a gzip export takes seconds
        QVERIFY(GantryTest::runDocker({u"image"_s, u"inspect"_s, image}).ok());
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *ship = window.findChild<ShipPage *>();
        QVERIFY(ship);
        window.useImage(image);
        QSignalSpy exported(ship, &ShipPage::exportFinished);
        ship->exportImageTo(m_work.filePath(u"quit.tar.gz"_s), Compression::Gzip);
        QVERIFY(ship->isBusy());

        // Cancel: the window stays and the transfer goes on.
        QString question;
        answerNextQuestion(QMessageBox::Cancel, &question);
        QVERIFY(!window.close());
        QVERIFY2(question.contains(u"A transfer is running"_s), qPrintable(question));
        QVERIFY(window.isVisible());
        QVERIFY2(ship->isBusy() || !exported.isEmpty(), "the transfer was stopped by a cancelled quit");

        // Close: it quits.
        if (ship->isBusy()) {
            question.clear();
            answerNextQuestion(QMessageBox::Close, &question);
            QVERIFY(window.close());
            QVERIFY(question.contains(u"A transfer is running"_s));
            QVERIFY(!window.isVisible());
        }
        exported.wait(120000); // let the job end before the window is destroyed
        // Nothing running: no question at all.
        MainWindow idle;
        idle.show();
        QVERIFY(idle.close());
    }

    void theSshProgramFromThePreferencesIsTheOneRun()
    {
        GantryTest::SshServer server;
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        // A wrapper that notes each call, then runs the real ssh.
        const QString wrapper = m_work.filePath(u"my-ssh"_s);
        const QString calls = m_work.filePath(u"my-ssh.calls"_s);
        {
            QFile f(wrapper);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(u"#!/bin/sh\necho \"$*\" >> '%1'\nexec /usr/bin/ssh \"$@\"\n"_s.arg(calls).toUtf8());
            f.close();
            QVERIFY(f.setPermissions(f.permissions() | QFileDevice::ExeOwner));
        }
        MainWindow window;
        window.show();
        Preferences prefs = window.preferences();
        prefs.sshPath = wrapper;
        window.setPreferences(prefs);
        auto *ship = window.findChild<ShipPage *>();
        QVERIFY(ship);
        ServerProfile p;
        p.name = u"wrapped"_s;
        p.host = server.host();
        p.port = server.port();
        p.user = u"root"_s;
        p.identityFile = server.clientKey();
        p.knownHostsFile = server.knownHostsFile();
        p.remoteDir = m_work.filePath(u"remote"_s);
        {
            QSettings settings;
            ServerProfiles::save(settings, {p});
        }
        ShipPage page; // reads the profiles
        QSignalSpy tested(&page, &ShipPage::connectionTested);
        page.testConnection(0);
        QVERIFY(tested.wait(60000));
        QVERIFY2(tested.constFirst().at(0).toBool(), qPrintable(tested.constFirst().at(1).toString()));
        const QString log = QString::fromUtf8(GantryTest::readAll(calls));
        QVERIFY2(log.contains(u"-p %1"_s.arg(server.port())), qPrintable(log));
        // Back to automatic: the wrapper is not run again.
        prefs.sshPath.clear();
        window.setPreferences(prefs);
        const qsizetype before = log.size();
        page.testConnection(0);
        QVERIFY(tested.wait(60000));
        QCOMPARE(GantryTest::readAll(calls).size(), before);
    }
};

QTEST_MAIN(TestAppFeatures)
#include "tst_app_features.moc"
