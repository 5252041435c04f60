// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/lastimage.h"
#include "docker/dockerenvironment.h"
#include "settings/preferences.h"

#include <QMainWindow>

#include <functional>

class QListWidget;
class QStackedWidget;
class QAction;
class QMenu;

namespace Gantry {

class JobTracker;

class ConfigurePage;
class BuildPage;
class InspectPage;
class ShipPage;
class MessageBar;
class DockerStatusWidget;
class GuideWindow;
class DockerSetupWindow;

/// The window: a pipeline sidebar (Configure, Build, Inspect, Ship), one page per
/// step, a toolbar, and the Docker status in the status bar.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Page { Configure, Build, Inspect, Ship };
    Q_ENUM(Page)

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void showPage(Page page);
    bool showPage(const QString &name); ///< "configure", "build", "inspect" or "ship"
    Page currentPage() const;
    void openProject(const QString &folder);
    /// A folder opens as a project (Configure); a file opens as an image archive (Inspect).
    void openPath(const QString &path);
    /// What Gantry opens when it starts: PATH when given (as openPath), else the last
    /// project when the preference says so and reopenLast allows it (screenshots do not).
    void openAtStart(const QString &path, bool reopenLast = true);
    /// An image in the engine to inspect and ship (as after a successful build): it becomes
    /// the current image; Inspect analyses it, Ship offers it, Export and Ship are enabled.
    void useImage(const QString &imageRef, const QString &repoRoot = {});
    /// The image Inspect and Ship work on (empty: none yet).
    QString currentImage() const { return m_currentImage; }
    QString projectFolder() const { return m_projectFolder; }

    const DockerEnvironment &dockerEnvironment() const { return m_docker; }
    bool dockerChecked() const { return m_dockerChecked; }
    /// Calls fn once the first Docker check has finished (at once if it has).
    void whenDockerChecked(std::function<void()> fn);
    bool saveScreenshot(const QString &file);

    DockerStatusWidget *dockerStatus() const { return m_dockerStatus; }
    MessageBar *messageBar() const { return m_messageBar; }
    QListWidget *sidebar() const { return m_sidebar; }

    const Preferences &preferences() const { return m_preferences; }
    void setPreferences(const Preferences &preferences);
    QMenu *recentMenu() const { return m_recentMenu; }

    GuideWindow *guideWindow() const { return m_guide; }
    DockerSetupWindow *dockerSetupWindow() const { return m_dockerSetup; }

public Q_SLOTS:
    void checkDocker();
    /// Check Docker Setup: checks again and shows the result in a window.
    void showDockerSetup();
    void showUserGuide(const QString &section = {});
    void showShortcuts();
    void showAbout();
    void chooseProjectFolder();
    void showPreferences();

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QWidget *createCentralWidget();
    QWidget *createSidebar();
    QWidget *createPageArea();
    void createActions();
    void createMenus();
    void createToolBar();
    void connectPages();
    void connectActions();
    void connectDocker();
    void restoreWindowState();
    void saveWindowState();
    void onDockerChecked(const DockerEnvironment &environment);
    void updateTitle();
    void updateRecentMenu();
    void findLastImage();
    void onLastImageFound(const QString &projectFolder, const Result<LastImage> &found);

    QListWidget *m_sidebar;
    QStackedWidget *m_pages;
    MessageBar *m_messageBar;
    DockerStatusWidget *m_dockerStatus;
    ConfigurePage *m_configurePage;
    BuildPage *m_buildPage;
    InspectPage *m_inspectPage;
    ShipPage *m_shipPage;
    DockerDoctor *m_doctor;
    JobTracker *m_lastImageJobs; ///< the open project's last image (SQLite, docker image inspect)
    JobTracker *m_sshVersionJobs; ///< `ssh -V`, for About

    QAction *m_openAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_buildAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_shipAction = nullptr;
    QAction *m_recheckAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_guideAction = nullptr;
    QAction *m_shortcutsAction = nullptr;
    QAction *m_troubleshootingAction = nullptr;
    QAction *m_preferencesAction = nullptr;
    QMenu *m_recentMenu = nullptr;
    Preferences m_preferences;
    QList<QAction *> m_pageActions;

    DockerEnvironment m_docker;
    bool m_dockerChecked = false;
    QList<std::function<void()>> m_afterDockerCheck;
    QString m_projectFolder;
    QString m_currentImage;
    QString m_sshVersion;
    GuideWindow *m_guide = nullptr;
    DockerSetupWindow *m_dockerSetup = nullptr;
    QString m_currentImageRoot;
};

} // namespace Gantry
