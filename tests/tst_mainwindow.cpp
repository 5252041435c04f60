// SPDX-License-Identifier: MIT
// The main window, offscreen: it opens, shows the detected Docker status, switches
// pages from the sidebar and the keyboard, and restores its state. The journeys, clicked
// as a user clicks them at 1024 x 700: a build makes its image current on every page, a
// reopened project finds its image (or says it is gone), a failed build never widens the
// window, and Help shows the guide, the shortcuts, Docker's state and the versions.
#include "buildrun/buildhistory.h"
#include "failuretext.h"
#include "help/helpwindows.h"
#include "image/imagearchive.h"
#include "mainwindow.h"
#include "pages/buildpage.h"
#include "pages/inspectpage.h"
#include "pages/shippage.h"
#include "preferences/preferencesdialog.h"
#include "shippageparts.h"
#include "testsupport.h"
#include "widgets/dockerstatuswidget.h"
#include "widgets/emptystate.h"
#include "widgets/messagebar.h"

#include <QAction>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextBrowser>
#include <QTextBlock>
#include <QTimer>
#include <QToolBar>
#include <QTreeView>
#include <QTreeWidget>
#include <QUuid>

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QListWidget>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSettings>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

/// A project folder with just a Dockerfile (fast to build); its tag comes from the folder's name.
QString makeProject(const QTemporaryDir &dir, const QString &name, const QByteArray &dockerfile)
{
    const QString root = dir.filePath(name);
    QDir().mkpath(root);
    QFile f(root + u"/Dockerfile"_s);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(dockerfile);
    return root;
}

void clickToolButton(MainWindow &window, const char *actionName)
{
    auto *action = window.findChild<QAction *>(QLatin1StringView(actionName));
    auto *bar = window.findChild<QToolBar *>(u"MainToolBar"_s);
    QVERIFY(action && bar);
    QWidget *button = bar->widgetForAction(action);
    QVERIFY(button);
    QVERIFY2(button->isEnabled(), actionName);
    QTest::mouseClick(button, Qt::LeftButton);
}

void saveShot(QWidget *w, const QString &name)
{
    const QString dir = QStringLiteral(GANTRY_BINARY_DIR) + u"/screenshots"_s;
    QDir().mkpath(dir);
    QVERIFY(w->grab().save(dir + u"/"_s + name, "PNG"));
}

QAction *helpAction(MainWindow &window, const QString &text)
{
    for (QAction *menu : window.menuBar()->actions())
        if (menu->text().remove(u'&') == u"Help"_s)
            for (QAction *a : menu->menu()->actions())
                if (a->text().remove(u'&').startsWith(text))
                    return a;
    return nullptr;
}

QPushButton *saveButton(QFileDialog *dialog);

void describeFileDialog(QWidget *w)
{
    auto *fd = qobject_cast<QFileDialog *>(w);
    if (!fd)
        return;
    auto *edit = fd->findChild<QLineEdit *>(u"fileNameEdit"_s);
    qWarning() << fd->directory().absolutePath() << fd->selectedFiles() << (saveButton(fd) ? saveButton(fd)->text() : u"no button"_s)
               << (edit ? edit->text() : u"no edit"_s);
}

/// When the next modal dialog of type T opens and ready(dialog) holds, calls fn with it (fn
/// closes it). A dialog that never gets ready is rejected after 20 s, so a test fails instead
/// of hanging in its exec().
template<typename T>
void onNextModal(std::function<void(T *)> fn, std::function<bool(T *)> ready = [](T *) { return true; })
{
    auto *poll = new QTimer(qApp);
    poll->setInterval(50);
    auto *since = new QElapsedTimer;
    QObject::connect(poll, &QTimer::timeout, poll, [poll, fn, ready, since] {
        auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        if (!since->isValid())
            since->start();
        const bool giveUp = since->elapsed() > 20000;
        if (!ready(dialog) && !giveUp)
            return;
        poll->stop();
        poll->deleteLater();
        delete since;
        if (giveUp) {
            qWarning() << "a" << dialog->metaObject()->className() << "never got ready: rejected";
            describeFileDialog(dialog);
            dialog->reject();
        }
        else
            fn(dialog);
    });
    poll->start();
}

QPushButton *saveButton(QFileDialog *dialog)
{
    auto *box = dialog->findChild<QDialogButtonBox *>();
    if (!box)
        return nullptr;
    return box->button(QDialogButtonBox::Save) ? box->button(QDialogButtonBox::Save) : box->button(QDialogButtonBox::Open);
}

/// A file dialog's Save, pressed as a user presses it once it is ready; its directory and
/// file name are what Gantry proposed.
void saveInFileDialog(QString *proposedDir, QString *proposedFile)
{
    onNextModal<QFileDialog>(
        [proposedDir, proposedFile](QFileDialog *dialog) {
            *proposedDir = dialog->directory().absolutePath();
            *proposedFile = dialog->selectedFiles().value(0);
            QTest::mouseClick(saveButton(dialog), Qt::LeftButton);
        },
        [](QFileDialog *dialog) { return saveButton(dialog) && saveButton(dialog)->isEnabled(); });
}

/// File ▸ Open Project… from the toolbar, the folder typed into the dialog and chosen.
void openWithTheDialog(MainWindow &window, const QString &folder)
{
    onNextModal<QFileDialog>(
        [folder](QFileDialog *dialog) {
            auto *edit = dialog->findChild<QLineEdit *>(u"fileNameEdit"_s);
            edit->setText(folder);
            QTest::mouseClick(saveButton(dialog), Qt::LeftButton);
        },
        [](QFileDialog *dialog) { return dialog->findChild<QLineEdit *>(u"fileNameEdit"_s) && saveButton(dialog); });
    clickToolButton(window, "openAction");
}

/// Every entry of a folder, hidden ones too.
QStringList entriesOf(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT
    QTemporaryDir m_tmp{QDir::tempPath() + u"/journeys-tst-mainwindow-XXXXXX"_s};
    QString m_tag;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"GantryTests"_s);
        QCoreApplication::setApplicationName(u"tst_mainwindow"_s);
        QSettings().clear();
        QVERIFY(m_tmp.isValid());
        qputenv("GANTRY_HISTORY_DB", m_tmp.filePath(u"history.sqlite"_s).toUtf8());
    }

    void cleanupTestCase()
    {
        if (!m_tag.isEmpty())
            GantryTest::runDocker({u"rmi"_s, u"-f"_s, m_tag});
    }

    void aBuildMakesItsImageCurrentEverywhere()
    {
        // A project Gantry has never seen, built with the toolbar's Build at 1024 x 700.
        const QString name = u"journeys-journey-"_s + QUuid::createUuid().toString(QUuid::Id128).left(8);
        const QString root = makeProject(m_tmp, name, "FROM debian:trixie-slim\nRUN mkdir -p /app/ledger && head -c 300000 /dev/urandom > /app/ledger/data\n");
        QVERIFY(!root.isEmpty());
        m_tag = name + u":latest"_s;
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.dockerChecked(), 60000);
        openWithTheDialog(window, root);
        QCOMPARE(window.projectFolder(), QFileInfo(root).absoluteFilePath());
        auto *inspect = window.findChild<InspectPage *>();
        auto *ship = window.findChild<ShipPage *>();
        auto *build = window.findChild<BuildPage *>();
        QVERIFY(inspect && ship && build);
        QVERIFY(!ship->hasImage());
        QSignalSpy finished(build, &BuildPage::buildFinished);
        QSignalSpy analysed(inspect, &InspectPage::analysisFinished);
        clickToolButton(window, "buildAction");
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 600000);
        const BuildResult built = finished.constFirst().constFirst().value<BuildResult>();
        QVERIFY2(built.succeeded(), qPrintable(built.failure.sentence()));
        // Without clicking Inspect: the image is current, Ship offers it, Export and Ship are on.
        QCOMPARE(window.currentImage(), m_tag);
        QVERIFY(ship->hasImage());
        QVERIFY(window.findChild<QAction *>(u"exportAction"_s)->isEnabled());
        QVERIFY(window.findChild<QAction *>(u"shipAction"_s)->isEnabled());
        QCOMPARE(window.currentPage(), MainWindow::Build); // the user stays where they are
        QTRY_VERIFY_WITH_TIMEOUT(!analysed.isEmpty(), 120000);
        QVERIFY2(inspect->report().title().contains(name), qPrintable(inspect->report().title()));
        window.activateWindow(); // the folder dialog had the focus last
        QVERIFY(QTest::qWaitForWindowActive(&window));
        QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), MainWindow::Inspect);
        QCOMPARE(window.size(), QSize(1024, 700));
        saveShot(&window, u"journey-inspect-after-build.png"_s);

        // Reopening the project finds its image in the engine.
        MainWindow again;
        again.resize(1024, 700);
        again.show();
        again.openProject(root);
        QTRY_COMPARE_WITH_TIMEOUT(again.currentImage(), m_tag, 30000);
        QVERIFY(again.findChild<ShipPage *>()->hasImage());
        QVERIFY(again.findChild<QAction *>(u"shipAction"_s)->isEnabled());

        // Gone from the engine: the pages say so instead of "nothing yet".
        QVERIFY(GantryTest::runDocker({u"rmi"_s, u"-f"_s, m_tag}).ok());
        MainWindow third;
        third.show();
        third.openProject(root);
        auto *thirdShip = third.findChild<ShipPage *>();
        QTRY_VERIFY_WITH_TIMEOUT(thirdShip->emptyState()->text().contains(u"no longer in the Docker engine"_s), 30000);
        QVERIFY2(thirdShip->emptyState()->text().contains(m_tag), qPrintable(thirdShip->emptyState()->text()));
        QVERIFY(third.findChild<InspectPage *>()->emptyState()->text().contains(u"Build again"_s));
        QVERIFY(third.currentImage().isEmpty());
        QVERIFY(!third.findChild<QAction *>(u"exportAction"_s)->isEnabled());
    }

    void exportGoesToTheFolderFromThePreferences()
    {
        // A small image whose one layer holds /app/ledger/data.
        const QString name = u"journeys-export-"_s + QUuid::createUuid().toString(QUuid::Id128).left(8);
        const QString root = makeProject(m_tmp, name, "FROM scratch\nCOPY data /app/ledger/data\n");
        QVERIFY(!root.isEmpty());
        {
            QFile data(root + u"/data"_s);
            QVERIFY(data.open(QIODevice::WriteOnly));
            QByteArray bytes(300000, '\0');
            QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
            QCOMPARE(data.write(bytes), bytes.size());
        }
        const QString tag = name + u":latest"_s;
        const auto built = GantryTest::runDocker({u"build"_s, u"-q"_s, u"-t"_s, tag, root}, 300000);
        QVERIFY2(built.ok(), qPrintable(built.stderrText()));
        auto removeImage = qScopeGuard([&] { GantryTest::runDocker({u"rmi"_s, u"-f"_s, tag}); });
        const auto inspected = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{json .RootFS.Layers}}"_s, tag});
        QVERIFY(inspected.ok());
        QStringList diffIds;
        for (const QJsonValue &v : QJsonDocument::fromJson(inspected.stdoutText().toUtf8()).array())
            diffIds << v.toString();
        QCOMPARE(diffIds.size(), 1);

        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.dockerChecked(), 60000);

        // Preferences ▸ Export to: a folder of the user's, typed in and confirmed with OK.
        const QString exports = m_tmp.filePath(u"exports"_s);
        QVERIFY(QDir().mkpath(exports));
        onNextModal<PreferencesDialog>([exports](PreferencesDialog *dialog) {
            auto *field = dialog->findChild<QLineEdit *>(u"exportDirectory"_s);
            field->clear();
            QTest::keyClicks(field, exports);
            QTest::mouseClick(dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok), Qt::LeftButton);
        });
        window.findChild<QAction *>(u"preferencesAction"_s)->trigger();
        QCOMPARE(window.preferences().exportDirectory, exports);

        window.useImage(tag);
        auto *ship = window.findChild<ShipPage *>();
        QSignalSpy exported(ship, &ShipPage::exportFinished);

        // The toolbar's Export: the save dialog proposes the export folder; Save writes there.
        QString dir, file;
        saveInFileDialog(&dir, &file);
        clickToolButton(window, "exportAction");
        QCOMPARE(QDir(dir).canonicalPath(), QDir(exports).canonicalPath());
        QTRY_VERIFY_WITH_TIMEOUT(!exported.isEmpty(), 120000);
        QVERIFY2(exported.takeFirst().at(0).toBool(), qPrintable(GantryTest::ShipPageParts::exportStatus(*ship)));
        QCOMPARE(window.currentPage(), MainWindow::Ship);
        const QString base = QString(tag).replace(u':', u'-');
        QCOMPARE(entriesOf(exports), QStringList({base + u".tar.zst"_s, base + u".tar.zst.sha256"_s})); // nothing half-written beside it
        QCOMPARE(QFileInfo(file).fileName(), base + u".tar.zst"_s);

        // It opens as the image: the same layer, holding the file.
        const QString archive = exports + u"/"_s + base + u".tar.zst"_s;
        const Result<ImageData> read = ImageArchive::read(archive);
        QVERIFY2(read, qPrintable(GantryTest::failureText(read)));
        const ImageData &image = *read;
        QCOMPARE(image.config.diffIds, diffIds);
        QCOMPARE(image.layers.size(), 1);
        bool found = false;
        for (const LayerEntry &e : image.layers.constFirst().entries)
            found = found || (image.paths->path(e.path) == u"/app/ledger/data"_s && e.size == QFileInfo(root + u"/data"_s).size());
        QVERIFY2(found, "the exported layer does not hold app/ledger/data");
        QFile sum(archive + u".sha256"_s);
        QVERIFY(sum.open(QIODevice::ReadOnly));
        QFile whole(archive);
        QVERIFY(whole.open(QIODevice::ReadOnly));
        QCryptographicHash hash(QCryptographicHash::Sha256);
        QVERIFY(hash.addData(&whole));
        QVERIFY2(sum.readAll().startsWith(hash.result().toHex()), "the .sha256 beside the archive is not its sha256");

        // The Ship page's own Export button, in gzip: the same folder.
        auto *format = ship->findChild<QComboBox *>(u"exportFormat"_s);
        format->setCurrentIndex(format->findData(u"gzip"_s));
        saveInFileDialog(&dir, &file);
        QTest::mouseClick(ship->findChild<QPushButton *>(u"exportButton"_s), Qt::LeftButton);
        QCOMPARE(QDir(dir).canonicalPath(), QDir(exports).canonicalPath());
        QTRY_VERIFY_WITH_TIMEOUT(!exported.isEmpty(), 120000);
        QVERIFY2(exported.takeFirst().at(0).toBool(), qPrintable(GantryTest::ShipPageParts::exportStatus(*ship)));
        QCOMPARE(entriesOf(exports), QStringList({base + u".tar.gz"_s, base + u".tar.gz.sha256"_s, base + u".tar.zst"_s,
                                                  base + u".tar.zst.sha256"_s}));
        const Result<ImageData> gz = ImageArchive::read(exports + u"/"_s + base + u".tar.gz"_s);
        QVERIFY2(gz, qPrintable(GantryTest::failureText(gz)));
        QCOMPARE(gz->config.diffIds, diffIds);
    }

    void reopensTheLastProjectAtStart()
    {
        // A project with a built image: started with it, quit, started again without a path.
        const QString name = u"journeys-reopen-"_s + QUuid::createUuid().toString(QUuid::Id128).left(8);
        const QString root = makeProject(m_tmp, name, "FROM scratch\nCOPY Dockerfile /app/Dockerfile\n");
        QVERIFY(!root.isEmpty());
        const QString tag = name + u":latest"_s;
        {
            MainWindow first;
            first.resize(1024, 700);
            first.show();
            QTRY_VERIFY_WITH_TIMEOUT(first.dockerChecked(), 60000);
            first.openAtStart(root);
            QCOMPARE(first.projectFolder(), QFileInfo(root).absoluteFilePath());
            auto *build = first.findChild<BuildPage *>();
            QSignalSpy finished(build, &BuildPage::buildFinished);
            clickToolButton(first, "buildAction");
            QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 300000);
            const BuildResult built = finished.constFirst().constFirst().value<BuildResult>();
            QVERIFY2(built.succeeded(), qPrintable(built.failure.sentence()));
            QCOMPARE(first.currentImage(), tag);
            QVERIFY(first.close()); // nothing running: it quits without a question
        }
        auto removeImage = qScopeGuard([&] { GantryTest::runDocker({u"rmi"_s, u"-f"_s, tag}); });

        // Started again with no path: the same project, its image found in the engine.
        {
            MainWindow again;
            again.resize(1024, 700);
            again.show();
            again.openAtStart({});
            QCOMPARE(again.projectFolder(), QFileInfo(root).absoluteFilePath());
            QVERIFY2(again.windowTitle().startsWith(name), qPrintable(again.windowTitle()));
            QTRY_COMPARE_WITH_TIMEOUT(again.currentImage(), tag, 30000);
            QVERIFY(again.findChild<ShipPage *>()->hasImage());
            QVERIFY(again.findChild<QAction *>(u"exportAction"_s)->isEnabled());
            saveShot(&again, u"journey-reopened.png"_s);
            again.close();
        }

        // The image removed meanwhile: the project reopens and the pages say the image is gone.
        QVERIFY(GantryTest::runDocker({u"rmi"_s, u"-f"_s, tag}).ok());
        {
            MainWindow third;
            third.show();
            third.openAtStart({});
            QCOMPARE(third.projectFolder(), QFileInfo(root).absoluteFilePath());
            auto *ship = third.findChild<ShipPage *>();
            QTRY_VERIFY_WITH_TIMEOUT(ship->emptyState()->text().contains(u"no longer in the Docker engine"_s), 30000);
            QVERIFY(third.currentImage().isEmpty());
            third.close();
        }

        // The preference off: nothing is reopened.
        Preferences off = Preferences::load();
        off.reopenLastProject = false;
        off.save();
        auto restore = qScopeGuard([] { Preferences p = Preferences::load(); p.reopenLastProject = true; p.save(); });
        MainWindow fourth;
        fourth.openAtStart({});
        QVERIFY(fourth.projectFolder().isEmpty());
    }

    void aFailedBuildNeverWidensTheWindow()
    {
        // A six-line RUN script that fails: the banner has one headline, not the script.
        const QString name = u"journeys-failing-"_s + QUuid::createUuid().toString(QUuid::Id128).left(8);
        const QString root = makeProject(m_tmp, name,
                                         "FROM debian:trixie-slim\n"
                                         "RUN echo preparing the first part of a long script that goes on && \\\n"
                                         "    echo and on with a second line that is also rather long && \\\n"
                                         "    echo a third line && \\\n"
                                         "    echo a fourth line && \\\n"
                                         "    echo a fifth line && \\\n"
                                         "    echo the sixth-line-marker $((6*7)) && exit 3\n");
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.dockerChecked(), 60000);
        openWithTheDialog(window, root);
        auto *build = window.findChild<BuildPage *>();
        QSignalSpy finished(build, &BuildPage::buildFinished);
        clickToolButton(window, "buildAction");
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 300000);
        QCOMPARE(finished.constFirst().constFirst().value<BuildResult>().outcome, BuildResult::Outcome::Failed);
        QTest::qWait(100); // let the layouts settle
        QCOMPARE(window.size(), QSize(1024, 700));
        MessageBar *banner = build->findChild<MessageBar *>(); // the page's one
        QVERIFY(banner && banner->isVisible());
        const QString text = banner->text();
        QVERIFY2(text.startsWith(u"<b>Step "_s), qPrintable(text));
        QVERIFY2(text.contains(u"failed (exit code 3)"_s), qPrintable(text));
        QVERIFY2(!text.contains(u"$((6*7))"_s), qPrintable(text)); // the script is not quoted whole
        // What the step said last is its likeliest reason: it is the cause.
        QVERIFY2(text.contains(u"the sixth-line-marker 42"_s), qPrintable(text));
        QVERIFY2(text.contains(u"<i>Fix:</i>"_s), qPrintable(text));      // cause and fix apart
        QVERIFY(banner->width() <= window.width());
        // The step list stays readable.
        const QTreeView *steps = build->findChild<QTreeView *>(u"BuildStepView"_s);
        QVERIFY(steps);
        QVERIFY2(steps->width() >= 250, qPrintable(QString::number(steps->width())));
        saveShot(&window, u"journey-build-failed-1024.png"_s);
    }

    void helpHasTheGuideShortcutsDockerAndVersions()
    {
        MainWindow window;
        window.resize(1024, 700);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.dockerChecked(), 60000);
        // The user guide, inside the app, and its troubleshooting section.
        QAction *guide = helpAction(window, u"Gantry User Guide"_s);
        QVERIFY(guide);
        QCOMPARE(guide->shortcut(), QKeySequence(QKeySequence::HelpContents));
        guide->trigger();
        QVERIFY(window.guideWindow() && window.guideWindow()->isVisible());
        QVERIFY(window.guideWindow()->browser()->toPlainText().contains(u"from a fresh Mac"_s));
        helpAction(window, u"Troubleshooting"_s)->trigger();
        QCOMPARE(window.guideWindow()->browser()->textCursor().block().text(), u"Troubleshooting"_s);
        saveShot(window.guideWindow(), u"help-guide.png"_s);

        // Check Docker Setup: a window with the result, not only the status bar.
        window.findChild<QAction *>(u"checkDockerAction"_s)->trigger();
        QVERIFY(window.dockerSetupWindow() && window.dockerSetupWindow()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(window.dockerSetupWindow()->headline().startsWith(u"Docker is ready"_s), 60000);
        const auto server = GantryTest::runDocker({u"version"_s, u"--format"_s, u"{{.Server.Version}}"_s});
        QVERIFY2(window.dockerSetupWindow()->reportText().contains(server.stdoutText()), qPrintable(window.dockerSetupWindow()->reportText()));
        saveShot(window.dockerSetupWindow(), u"help-docker-setup.png"_s);

        // The modal sheets: read and closed as a user would.
        QString shortcuts, about;
        QTimer poll;
        poll.setInterval(50);
        connect(&poll, &QTimer::timeout, &window, [&] {
            QWidget *modal = QApplication::activeModalWidget();
            if (auto *sheet = qobject_cast<ShortcutsSheet *>(modal)) {
                for (QTreeWidgetItem *i : sheet->findChild<QTreeWidget *>()->findItems(u"*"_s, Qt::MatchWildcard))
                    shortcuts += i->text(0) + u" = "_s + i->text(1) + u'\n';
                saveShot(sheet, u"help-shortcuts.png"_s);
                sheet->reject();
            } else if (auto *box = qobject_cast<AboutDialog *>(modal)) {
                about = box->text();
                saveShot(box, u"help-about.png"_s);
                box->reject();
            }
        });
        poll.start();
        helpAction(window, u"Keyboard Shortcuts"_s)->trigger();
        const QString build = QKeySequence(Qt::CTRL | Qt::Key_B).toString(QKeySequence::NativeText);
        QVERIFY2(shortcuts.contains(u"Image ▸ Build = "_s + build), qPrintable(shortcuts));
        QVERIFY2(shortcuts.contains(u"Help ▸ Gantry User Guide = "_s), qPrintable(shortcuts));
        helpAction(window, u"About Gantry"_s)->trigger();
        QVERIFY2(about.contains(QString::fromLatin1(qVersion())), qPrintable(about));
        for (const QString &part : {u"KArchive"_s, u"QtKeychain"_s, u"toml++"_s, u"LGPL-3.0-only"_s, u"MIT"_s, u"Docker engine"_s, u"OpenSSH"_s})
            QVERIFY2(about.contains(part), qPrintable(part + u" missing in:\n"_s + about));
        QVERIFY2(about.contains(server.stdoutText()), qPrintable(about));
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
