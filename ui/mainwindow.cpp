// SPDX-License-Identifier: MIT
#include "mainwindow.h"
#include "widgets/emptystate.h"
#include "help/helpwindows.h"

#include "pages/buildpage.h"
#include "pages/configurepage.h"
#include "pages/inspectpage.h"
#include "pages/shippage.h"
#include "preferences/preferencesdialog.h"
#include "settings/toolpaths.h"
#include "util/jobtracker.h"
#include "util/processrunner.h"
#include "widgets/dockerstatuswidget.h"
#include "widgets/messagebar.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QLocale>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QSettings>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {
const char *const pageNames[] = {"configure", "build", "inspect", "ship"};
}

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
    , m_sidebar(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
    , m_messageBar(new MessageBar(this))
    , m_dockerStatus(new DockerStatusWidget(this))
    , m_configurePage(new ConfigurePage(this))
    , m_buildPage(new BuildPage(this))
    , m_inspectPage(new InspectPage(this))
    , m_shipPage(new ShipPage(this))
    , m_doctor(new DockerDoctor(this))
    , m_lastImageJobs(new JobTracker(this))
    , m_sshVersionJobs(new JobTracker(this))
    , m_preferences(Preferences::load())
{
    setObjectName(u"MainWindow"_s);
    setWindowIcon(QIcon(u":/icons/gantry.svg"_s));
    setUnifiedTitleAndToolBarOnMac(true);

    setCentralWidget(createCentralWidget());

    statusBar()->addWidget(m_dockerStatus, 1);
    statusBar()->setSizeGripEnabled(true);

    createActions();
    createMenus();
    createToolBar();

    connectPages();
    connectActions();
    setAcceptDrops(true);
    connectDocker();

    m_sidebar->setCurrentRow(Configure);
    restoreWindowState();
    updateTitle();
    updateRecentMenu();
    checkDocker();
}

QWidget *MainWindow::createCentralWidget()
{
    QWidget *sidebar = createSidebar();
    QWidget *right = createPageArea();

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(sidebar);
    layout->addWidget(right, 1);
    return central;
}

QWidget *MainWindow::createSidebar()
{
    // Sidebar: the pipeline, in order.
    m_sidebar->setObjectName(u"PipelineSidebar"_s);
    m_sidebar->setIconSize(QSize(24, 24));
    m_sidebar->setFrameShape(QFrame::NoFrame);
    m_sidebar->setFixedWidth(190);
    m_sidebar->setSpacing(2);
    m_sidebar->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    const struct { const char *icon; QString label; QString tip; } steps[] = {
        {"configure", tr("Configure"), tr("Pick the folders and the server's architecture; write the Dockerfile")},
        {"build", tr("Build"), tr("Run docker buildx and watch every step")},
        {"inspect", tr("Inspect"), tr("See what each layer costs and what is wasted")},
        {"ship", tr("Ship"), tr("Export the image or send it to a server over SSH")},
    };
    for (const auto &step : steps) {
        auto *item = new QListWidgetItem(QIcon(u":/icons/"_s + QLatin1StringView(step.icon) + u".svg"_s), step.label);
        item->setToolTip(step.tip);
        item->setSizeHint(QSize(0, 38));
        m_sidebar->addItem(item);
    }
    m_sidebar->setStyleSheet(
        u"QListWidget#PipelineSidebar { background: palette(alternate-base); padding: 10px 8px; outline: 0; "
        "  border-right: 1px solid palette(mid); }"
        "QListWidget#PipelineSidebar::item { border-radius: 6px; padding-left: 6px; color: palette(text); }"
        "QListWidget#PipelineSidebar::item:hover { background: rgba(127,127,127,0.12); }"
        "QListWidget#PipelineSidebar::item:selected { background: rgba(47,124,246,0.20); color: palette(text); }"_s);
    QFont sideFont = m_sidebar->font();
    sideFont.setPointSizeF(sideFont.pointSizeF() * 1.08);
    m_sidebar->setFont(sideFont);
    return m_sidebar;
}

QWidget *MainWindow::createPageArea()
{
    // Each page scrolls inside the window instead of forcing it larger: a page whose
    // content grows (a failure panel, the deploy history) never resizes the window.
    for (QWidget *page : {static_cast<QWidget *>(m_configurePage), static_cast<QWidget *>(m_buildPage),
                          static_cast<QWidget *>(m_inspectPage), static_cast<QWidget *>(m_shipPage)}) {
        auto *area = new QScrollArea(m_pages);
        area->setObjectName(page->objectName() + u"Scroll"_s);
        area->setWidgetResizable(true);
        area->setFrameShape(QFrame::NoFrame);
        area->setWidget(page);
        m_pages->addWidget(area);
    }
    connect(m_sidebar, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(12, 10, 12, 6);
    rightLayout->addWidget(m_messageBar);
    rightLayout->addWidget(m_pages, 1);
    return right;
}

void MainWindow::connectPages()
{
    connect(m_configurePage, &ConfigurePage::openProjectRequested, this, &MainWindow::chooseProjectFolder);
    connect(m_configurePage->emptyState(), &EmptyStateWidget::linkActivated, this, &MainWindow::openProject);
    connect(m_buildPage, &BuildPage::configureRequested, this, [this] { showPage(Configure); });
    connect(m_shipPage, &ShipPage::buildRequested, this, [this] { showPage(Build); });
    connect(m_inspectPage, &InspectPage::openArchiveRequested, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("Open Image Archive"), QString(),
                                                          tr("Image archives (*.tar *.tar.gz *.tgz *.tar.zst *.tar.xz)"));
        if (!file.isEmpty())
            m_inspectPage->openArchive(file);
    });
    // The pipeline: a written recipe can be built; a built image can be inspected and shipped.
    connect(m_configurePage, &ConfigurePage::recipeWritten, this, [this](const QString &root) {
        m_buildPage->setProject(root);
        showPage(Build);
    });
    connect(m_buildPage, &BuildPage::canBuildChanged, m_buildAction, &QAction::setEnabled);
    connect(m_buildPage, &BuildPage::buildingChanged, this, [this](bool building) {
        m_stopAction->setEnabled(building);
        m_buildAction->setEnabled(!building && m_buildPage->canBuild());
    });
    // A finished build makes its image the current one at once; "Inspect" in its card goes there.
    connect(m_buildPage, &BuildPage::buildFinished, this, [this](const BuildResult &result) {
        if (result.succeeded() && !result.imageRef.isEmpty())
            useImage(result.imageRef, m_buildPage->projectRoot());
    });
    connect(m_buildPage, &BuildPage::buildSucceeded, this, [this](const QString &image, const QString &root) {
        useImage(image, root);
        showPage(Inspect);
    });
    connect(m_shipPage, &ShipPage::compressedSizesMeasured, m_inspectPage, &InspectPage::setMeasuredCompressedSizes);
    connect(m_shipPage, &ShipPage::busyChanged, this, [this](bool busy) {
        m_exportAction->setEnabled(!busy && m_shipPage->hasImage());
        m_shipAction->setEnabled(!busy && m_shipPage->hasImage());
    });
}

void MainWindow::connectActions()
{
    connect(m_buildAction, &QAction::triggered, this, [this] {
        showPage(Build);
        m_buildPage->startBuild();
    });
    connect(m_stopAction, &QAction::triggered, m_buildPage, &BuildPage::stopBuild);
    connect(m_exportAction, &QAction::triggered, this, [this] {
        showPage(Ship);
        m_shipPage->exportImage();
    });
    connect(m_shipAction, &QAction::triggered, this, [this] {
        showPage(Ship);
        m_shipPage->shipImage();
    });
}

void MainWindow::connectDocker()
{
    connect(m_dockerStatus, &DockerStatusWidget::recheckRequested, this, &MainWindow::checkDocker);
    connect(m_dockerStatus, &DockerStatusWidget::detailsRequested, this, [this] {
        if (!m_dockerSetup || !m_dockerSetup->isVisible())
            showDockerSetup();
    });
    connect(m_doctor, &DockerDoctor::finished, this, &MainWindow::onDockerChecked);
}

MainWindow::~MainWindow()
{
    // A background look-up (a project's last image: SQLite and docker image inspect, bounded)
    // must end before the window and the application do: a pool thread still opening the
    // history database after QApplication is gone crashes. This waits for every job below the
    // window: a JobTracker's (the window's and its pages') and any other watcher's.
    for (QFutureWatcherBase *watcher : findChildren<QFutureWatcherBase *>())
        watcher->waitForFinished();
}

void MainWindow::showPage(Page page)
{
    m_sidebar->setCurrentRow(int(page));
}

bool MainWindow::showPage(const QString &name)
{
    for (int i = 0; i < 4; ++i) {
        if (name.compare(QLatin1StringView(pageNames[i]), Qt::CaseInsensitive) == 0) {
            showPage(Page(i));
            return true;
        }
    }
    return false;
}

MainWindow::Page MainWindow::currentPage() const
{
    return Page(qMax(0, m_sidebar->currentRow()));
}

void MainWindow::openProject(const QString &folder)
{
    const QFileInfo info(folder);
    if (!info.isDir()) {
        m_messageBar->clear();
        m_messageBar->showMessage(MessageBar::Type::Error,
                                  tr("%1 is not a folder. Choose the folder that holds your project.").arg(folder));
        return;
    }
    m_projectFolder = info.absoluteFilePath();
    m_preferences.addRecentProject(m_projectFolder);
    m_preferences.save();
    updateRecentMenu();
    updateTitle();
    m_configurePage->openProject(m_projectFolder);
    m_buildPage->setProject(m_projectFolder);
    findLastImage();
}

void MainWindow::chooseProjectFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Open Project Folder"), m_projectFolder);
    if (!folder.isEmpty())
        openProject(folder);
}

void MainWindow::updateTitle()
{
    setWindowFilePath(m_projectFolder);
    setWindowTitle(m_projectFolder.isEmpty() ? u"Gantry"_s
                                             : QFileInfo(m_projectFolder).fileName() + u" — Gantry"_s);
}

void MainWindow::setPreferences(const Preferences &preferences)
{
    const bool toolsChanged = preferences.dockerPath != m_preferences.dockerPath || preferences.sshPath != m_preferences.sshPath;
    m_preferences = preferences;
    m_preferences.save();
    if (toolsChanged) {
        applyToolPreferences(m_preferences);
        checkDocker();
    }
}

void MainWindow::showPreferences()
{
    PreferencesDialog dialog(m_preferences, this);
    if (dialog.exec() == QDialog::Accepted)
        setPreferences(dialog.preferences());
}

void MainWindow::checkDocker()
{
    if (m_doctor->isRunning())
        return;
    DockerProbeOptions options;
    options.dockerPath = m_preferences.dockerPath;
    m_doctor->setOptions(options);
    m_dockerStatus->setChecking();
    if (m_dockerSetup)
        m_dockerSetup->setChecking();
    m_doctor->start();
    if (m_sshVersion.isEmpty()) {
        // For About: ssh -V, off the GUI thread.
        m_sshVersionJobs->start(
            []() -> QString {
                const ProcessResult r = runProcess(u"ssh"_s, {u"-V"_s}, QProcessEnvironment::systemEnvironment(), 5000);
                const QString text = r.stderrText() + r.stdoutText();
                return text.section(u'\n', 0, 0).trimmed();
            },
            [this](const QString &version) { m_sshVersion = version; });
    }
}

void MainWindow::onDockerChecked(const DockerEnvironment &environment)
{
    m_docker = environment;
    m_dockerChecked = true;
    m_dockerStatus->setEnvironment(environment);
    if (m_dockerSetup)
        m_dockerSetup->setEnvironment(environment);

    m_messageBar->clear();
    QStringList errors, warnings;
    for (const DockerProblem &p : environment.problems)
        (p.isError() ? errors : warnings) << p.sentence();
    if (!errors.isEmpty() || !warnings.isEmpty()) {
        m_messageBar->showMessage(errors.isEmpty() ? MessageBar::Type::Warning : MessageBar::Type::Error,
                                  (errors + warnings).join(u'\n'));
        auto *again = new QAction(tr("Check Again"), m_messageBar);
        connect(again, &QAction::triggered, this, &MainWindow::checkDocker);
        m_messageBar->addButton(again);
    }

    const auto callbacks = std::exchange(m_afterDockerCheck, {});
    for (const auto &fn : callbacks)
        fn();
}

void MainWindow::whenDockerChecked(std::function<void()> fn)
{
    if (m_dockerChecked && !m_doctor->isRunning())
        fn();
    else
        m_afterDockerCheck << std::move(fn);
}

void MainWindow::showDockerSetup()
{
    if (!m_dockerSetup) {
        m_dockerSetup = new DockerSetupWindow(this);
        connect(m_dockerSetup, &DockerSetupWindow::checkAgainRequested, this, &MainWindow::checkDocker);
    }
    checkDocker();
    if (m_doctor->isRunning())
        m_dockerSetup->setChecking();
    else if (m_dockerChecked)
        m_dockerSetup->setEnvironment(m_docker);
    m_dockerSetup->show();
    m_dockerSetup->raise();
    m_dockerSetup->activateWindow();
}

void MainWindow::showUserGuide(const QString &section)
{
    if (!m_guide)
        m_guide = new GuideWindow(this);
    m_guide->show();
    m_guide->raise();
    m_guide->activateWindow();
    if (!section.isEmpty())
        m_guide->showSection(section);
}

void MainWindow::showShortcuts()
{
    ShortcutsSheet sheet(this, this);
    sheet.exec();
}

void MainWindow::showAbout()
{
    AboutDialog about(m_docker, m_dockerChecked, m_sshVersion, this);
    about.exec();
}

bool MainWindow::saveScreenshot(const QString &file)
{
    return grab().save(file, "PNG");
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    const QByteArray geometry = settings.value(u"window/geometry"_s).toByteArray();
    if (geometry.isEmpty() || !restoreGeometry(geometry))
        resize(1100, 720);
    restoreState(settings.value(u"window/state"_s).toByteArray());
    const int page = settings.value(u"window/page"_s, 0).toInt();
    if (page >= 0 && page < 4)
        showPage(Page(page));
}

void MainWindow::saveWindowState()
{
    QSettings settings;
    settings.setValue(u"window/geometry"_s, saveGeometry());
    settings.setValue(u"window/state"_s, saveState());
    settings.setValue(u"window/page"_s, int(currentPage()));
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls() && event->mimeData()->urls().constFirst().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    openPath(event->mimeData()->urls().constFirst().toLocalFile());
    event->acceptProposedAction();
}

void MainWindow::openPath(const QString &path)
{
    if (QFileInfo(path).isDir()) {
        openProject(path);
        showPage(Configure);
    } else {
        m_inspectPage->openArchive(path);
        showPage(Inspect);
    }
}

void MainWindow::openAtStart(const QString &path, bool reopenLast)
{
    if (!path.isEmpty()) {
        openPath(QDir(path).absolutePath());
        return;
    }
    if (!reopenLast || !m_preferences.reopenLastProject || m_preferences.recentProjects.isEmpty())
        return;
    const QString last = m_preferences.recentProjects.constFirst();
    if (!QFileInfo(last).isDir()) {
        m_messageBar->showMessage(MessageBar::Type::Warning,
                                  tr("The last project, %1, is no longer there: open its folder with File ▸ Open Project.")
                                      .arg(QDir::toNativeSeparators(last)));
        return;
    }
    openProject(last);
}

void MainWindow::useImage(const QString &imageRef, const QString &repoRoot)
{
    const QString root = repoRoot.isEmpty() ? m_projectFolder : repoRoot;
    if (imageRef.isEmpty())
        return;
    const bool same = imageRef == m_currentImage && root == m_currentImageRoot;
    m_currentImage = imageRef;
    m_currentImageRoot = root;
    m_shipPage->setImage(imageRef, root);
    // A rebuild under the same tag is a new image: analyse it again (unless it is being analysed).
    if (!same || !m_inspectPage->isBusy())
        m_inspectPage->analyzeImage(imageRef, root);
    m_exportAction->setEnabled(!m_shipPage->isBusy());
    m_shipAction->setEnabled(!m_shipPage->isBusy());
}

void MainWindow::findLastImage()
{
    // Off the GUI thread: the history is SQLite and the engine is asked with docker image inspect.
    // Opening another project makes a running look-up stale: the tracker drops its result.
    const QString folder = m_projectFolder;
    using Found = std::optional<Result<LastImage>>; // QFuture wants a default-constructible value
    m_lastImageJobs->start([folder] { return Found(Gantry::findLastImage(folder)); },
                           [this, folder](const Found &found) {
                               if (found)
                                   onLastImageFound(folder, *found);
                           });
}

void MainWindow::onLastImageFound(const QString &projectFolder, const Result<LastImage> &found)
{
    // Only for the project still open, and never over an image the user has since built or chosen.
    if (projectFolder != m_projectFolder || (!m_currentImage.isEmpty() && m_currentImageRoot == projectFolder))
        return;
    if (!found) {
        m_shipPage->emptyState()->setText(found.failure().sentence());
        m_inspectPage->emptyState()->setText(found.failure().sentence());
        return;
    }
    const LastImage &last = *found;
    const QString when = QLocale().toString(last.record.started.toLocalTime(), QLocale::ShortFormat);
    switch (last.state) {
    case LastImage::State::InEngine:
        useImage(last.imageRef, projectFolder);
        statusBar()->showMessage(tr("%1, built %2, is the current image.").arg(last.imageRef, when), 8000);
        break;
    case LastImage::State::Gone: {
        const QString text = tr("The last build of this project (%1, %2) is no longer in the Docker engine. "
                                "Build again to inspect and ship it.").arg(last.imageRef, when);
        m_shipPage->emptyState()->setText(text);
        m_inspectPage->emptyState()->setText(text);
        statusBar()->showMessage(text, 8000);
        break;
    }
    case LastImage::State::NeverBuilt:
        break;
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_buildPage->isBuilding() || m_shipPage->isBusy()) {
        const auto answer = QMessageBox::question(
            this, tr("Quit Gantry?"),
            m_buildPage->isBuilding() ? tr("A build is running. Quitting stops it.")
                                      : tr("A transfer is running. Quitting stops it; the next ship resumes it."),
            QMessageBox::Cancel | QMessageBox::Close, QMessageBox::Cancel);
        if (answer != QMessageBox::Close) {
            event->ignore();
            return;
        }
        m_buildPage->stopBuild();
    }
    saveWindowState();
    QMainWindow::closeEvent(event);
}

} // namespace Gantry
