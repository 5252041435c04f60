// SPDX-License-Identifier: MIT
// Finder integration (issue 18): a folder or an image archive dropped on the Dock icon or
// opened with Gantry arrives as QEvent::FileOpen. The app's forwarder (installed as
// app/main/main.cpp installs it) opens a folder as the project on Configure and an
// archive on Inspect. The event is posted to the application as macOS posts it.
#include "macos/fileopenforwarder.h"
#include "mainwindow.h"
#include "pages/inspectpage.h"
#include "testsupport.h"

#include <QApplication>
#include <QDir>
#include <QFileOpenEvent>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

class TestFileOpen : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"GantryTests"_s);
        QCoreApplication::setApplicationName(u"tst_fileopen"_s);
        QSettings().clear();
    }

    void aFolderAndAnArchiveFromFinderOpen()
    {
        MainWindow window;
        auto *forwarder = new FileOpenForwarder([&window](const QString &path) { window.openPath(path); }, &window);
        qApp->installEventFilter(forwarder);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QTemporaryDir work;
        const QString project = work.filePath(u"hello-stack"_s);
        QVERIFY(GantryTest::copyTree(GantryTest::sourceDir() + u"/examples/hello-stack"_s, project));
        QCoreApplication::postEvent(qApp, new QFileOpenEvent(project));
        QTRY_COMPARE_WITH_TIMEOUT(window.projectFolder(), project, 10000);
        QCOMPARE(window.currentPage(), MainWindow::Configure);

        auto *inspect = window.findChild<InspectPage *>();
        QVERIFY(inspect);
        QSignalSpy done(inspect, &InspectPage::analysisFinished);
        const QString archive = QStringLiteral(GANTRY_CONFORMANCE_DIR) + u"/dive/test-docker-image.tar"_s;
        QCoreApplication::postEvent(qApp, new QFileOpenEvent(QUrl::fromLocalFile(archive)));
        QVERIFY(done.wait(60000));
        QCOMPARE(window.currentPage(), MainWindow::Inspect);
        QVERIFY(!inspect->report().layers.isEmpty());
        if (const QString shot = qEnvironmentVariable("GANTRY_TEST_SCREENSHOT"); !shot.isEmpty())
            window.grab().save(shot, "PNG");
        qApp->removeEventFilter(forwarder);
    }
};

QTEST_MAIN(TestFileOpen)
#include "tst_fileopen.moc"
