// SPDX-License-Identifier: MIT
// The main window's actions, menus (with Recent Projects) and toolbar; mainwindow.cpp builds
// the window around them.
#include "mainwindow.h"

#include "pages/buildpage.h"
#include "pages/configurepage.h"
#include "pages/inspectpage.h"
#include "pages/shippage.h"
#include "widgets/emptystate.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QToolBar>

using namespace Qt::StringLiterals;

namespace Gantry {

void MainWindow::createActions()
{
    m_openAction = new QAction(QIcon(u":/icons/open.svg"_s), tr("&Open Project…"), this);
    m_openAction->setShortcut(QKeySequence::Open);
    m_openAction->setToolTip(tr("Open a project folder (a monorepo, or the backend folder)"));
    connect(m_openAction, &QAction::triggered, this, &MainWindow::chooseProjectFolder);

    m_quitAction = new QAction(tr("&Quit Gantry"), this);
    m_quitAction->setShortcut(QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_buildAction = new QAction(QIcon(u":/icons/build.svg"_s), tr("&Build"), this);
    m_buildAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    m_buildAction->setToolTip(tr("Build the image (%1)").arg(m_buildAction->shortcut().toString(QKeySequence::NativeText)));
    m_buildAction->setEnabled(false);

    m_stopAction = new QAction(QIcon(u":/icons/stop.svg"_s), tr("&Stop"), this);
    m_stopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    m_stopAction->setEnabled(false);

    m_exportAction = new QAction(QIcon(u":/icons/export.svg"_s), tr("&Export Image…"), this);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setEnabled(false);

    m_shipAction = new QAction(QIcon(u":/icons/ship.svg"_s), tr("S&hip"), this);
    m_shipAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_shipAction->setEnabled(false);

    m_recheckAction = new QAction(QIcon(u":/icons/refresh.svg"_s), tr("Check &Docker Setup"), this);
    m_recheckAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_recheckAction->setToolTip(tr("Check docker, the engine and buildx again and show what was found"));
    connect(m_recheckAction, &QAction::triggered, this, &MainWindow::showDockerSetup);

    m_guideAction = new QAction(tr("Gantry &User Guide"), this);
    m_guideAction->setShortcut(QKeySequence::HelpContents);
    connect(m_guideAction, &QAction::triggered, this, [this] { showUserGuide(); });
    m_shortcutsAction = new QAction(tr("&Keyboard Shortcuts"), this);
    m_shortcutsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Slash));
    connect(m_shortcutsAction, &QAction::triggered, this, &MainWindow::showShortcuts);
    m_troubleshootingAction = new QAction(tr("&Troubleshooting"), this);
    connect(m_troubleshootingAction, &QAction::triggered, this, [this] { showUserGuide(u"Troubleshooting"_s); });

    m_preferencesAction = new QAction(tr("&Preferences…"), this);
    m_preferencesAction->setShortcut(QKeySequence::Preferences);
    if (m_preferencesAction->shortcut().isEmpty())
        m_preferencesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    connect(m_preferencesAction, &QAction::triggered, this, &MainWindow::showPreferences);

    m_aboutAction = new QAction(tr("&About Gantry"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);

    // Names for tests and scripts that click them (tests drive the window as a user does).
    const std::pair<QAction *, const char *> named[] = {
        {m_openAction, "openAction"},       {m_buildAction, "buildAction"},   {m_stopAction, "stopAction"},
        {m_exportAction, "exportAction"},   {m_shipAction, "shipAction"},     {m_recheckAction, "checkDockerAction"},
        {m_guideAction, "userGuideAction"}, {m_shortcutsAction, "shortcutsAction"}, {m_troubleshootingAction, "troubleshootingAction"},
        {m_aboutAction, "aboutAction"},     {m_preferencesAction, "preferencesAction"}};
    for (const auto &[action, name] : named)
        action->setObjectName(QLatin1StringView(name));

    const QString names[] = {tr("&Configure"), tr("&Build"), tr("&Inspect"), tr("&Ship")};
    for (int i = 0; i < 4; ++i) {
        auto *action = new QAction(names[i], this);
        action->setShortcut(QKeySequence(Qt::CTRL | Qt::Key(Qt::Key_1 + i)));
        connect(action, &QAction::triggered, this, [this, i] { showPage(Page(i)); });
        m_pageActions << action;
    }
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(m_exportAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_preferencesAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addActions(m_pageActions);

    QMenu *image = menuBar()->addMenu(tr("&Image"));
    image->addAction(m_buildAction);
    image->addAction(m_stopAction);
    image->addSeparator();
    image->addAction(m_shipAction);
    image->addSeparator();
    image->addAction(m_recheckAction);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_guideAction);
    help->addAction(m_shortcutsAction);
    help->addAction(m_troubleshootingAction);
    help->addSeparator();
    help->addAction(m_recheckAction);
    help->addSeparator();
    help->addAction(m_aboutAction);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(u"MainToolBar"_s);
    bar->setMovable(false);
    bar->setIconSize(QSize(22, 22));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_openAction);
    bar->addSeparator();
    bar->addAction(m_buildAction);
    bar->addAction(m_stopAction);
    bar->addSeparator();
    bar->addAction(m_exportAction);
    bar->addAction(m_shipAction);
}

void MainWindow::updateRecentMenu()
{
    // The start page (Configure's empty state) lists the same recent projects.
    QList<QPair<QString, QString>> links;
    for (const QString &folder : std::as_const(m_preferences.recentProjects).first(qMin(qsizetype(5), m_preferences.recentProjects.size())))
        links.append({QFileInfo(folder).fileName() + u"  —  "_s + QDir::toNativeSeparators(folder), folder});
    m_configurePage->emptyState()->setLinks(tr("Recent Projects"), links);
    m_recentMenu->clear();
    for (const QString &folder : std::as_const(m_preferences.recentProjects)) {
        QAction *action = m_recentMenu->addAction(QFileInfo(folder).fileName() + u"  —  "_s + folder);
        connect(action, &QAction::triggered, this, [this, folder] { openProject(folder); });
    }
    if (m_preferences.recentProjects.isEmpty())
        m_recentMenu->addAction(tr("No Recent Projects"))->setEnabled(false);
    else {
        m_recentMenu->addSeparator();
        connect(m_recentMenu->addAction(tr("Clear Menu")), &QAction::triggered, this, [this] {
            m_preferences.recentProjects.clear();
            m_preferences.save();
            updateRecentMenu();
        });
    }
}

} // namespace Gantry
