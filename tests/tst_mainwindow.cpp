// SPDX-License-Identifier: MIT
// The main window, offscreen: it opens, shows the detected Docker status, switches
// pages from the sidebar and the keyboard, and restores its state.
#include "mainwindow.h"
#include "testsupport.h"
#include "widgets/dockerstatuswidget.h"
#include "widgets/messagebar.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QListWidget>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

class TestMainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"GantryTests"_s);
        QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
        QSettings().clear();
    }

    void opensAndShowsDockerStatus()
    {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.dockerStatus()->text(), u"Checking Docker…"_s); // the GUI did not wait for docker
        QTRY_VERIFY_WITH_TIMEOUT(window.dockerChecked(), 60000);
        const auto server = GantryTest::runDocker({u"version"_s, u"--format"_s, u"{{.Server.Version}}"_s});
        const QString status = window.dockerStatus()->text();
        QVERIFY2(status.contains(u"Docker "_s + server.stdoutText()), qPrintable(status));
        QVERIFY2(status.contains(u"buildx"_s), qPrintable(status));
        QVERIFY(window.messageBar()->isHidden());
        QCOMPARE(window.sidebar()->count(), 4);
    }

    void showsEngineDownInWindow()
    {
        qputenv("DOCKER_HOST", GantryTest::deadDockerHost().toUtf8());
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.dockerChecked(), 60000);
        qunsetenv("DOCKER_HOST");
        QCOMPARE(window.dockerStatus()->text(), u"Docker engine not reachable"_s);
        QVERIFY(window.messageBar()->isVisible());
        QCOMPARE(window.messageBar()->type(), MessageBar::Type::Error);
        QVERIFY2(window.messageBar()->text().contains(u"not running"_s), qPrintable(window.messageBar()->text()));
    }

    void switchesPages()
    {
        MainWindow window;
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window));
        auto *stack = window.findChild<QStackedWidget *>();
        QVERIFY(stack);
        window.sidebar()->setCurrentRow(2);
        QCOMPARE(window.currentPage(), MainWindow::Inspect);
        QTest::keyClick(&window, Qt::Key_4, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), MainWindow::Ship);
        QVERIFY(window.showPage(u"build"_s));
        QCOMPARE(window.currentPage(), MainWindow::Build);
        QVERIFY(!window.showPage(u"nonsense"_s));
    }

    void restoresWindowState()
    {
        QRect geometry;
        {
            MainWindow window;
            window.show();
            window.resize(760, 540); // inside the offscreen screen (800x600), so nothing is clamped
            window.showPage(MainWindow::Ship);
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.close();
            geometry = window.geometry();
        }
        MainWindow again;
        again.show();
        QCOMPARE(again.currentPage(), MainWindow::Ship);
        QCOMPARE(again.size(), geometry.size());
    }

    void screenshot()
    {
        MainWindow window;
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.dockerChecked(), 60000);
        const QString file = QDir::tempPath() + u"/gantry-tst-mainwindow.png"_s;
        QVERIFY(window.saveScreenshot(file));
        QImage image(file);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
        QFile::remove(file);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
