// SPDX-License-Identifier: MIT
#pragma once

#include "docker/dockerenvironment.h"

#include <QDialog>

class QAction;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;

namespace Gantry {

/// Help ▸ Gantry User Guide and Troubleshooting: docs/user-guide.md, bundled in the app,
/// in a window beside the main one (not modal).
class GuideWindow : public QDialog
{
    Q_OBJECT
public:
    explicit GuideWindow(QWidget *parent = nullptr);
    /// Scrolls to the heading that starts with title ("Troubleshooting"); false if none.
    bool showSection(const QString &title);
    QTextBrowser *browser() const { return m_browser; }

private:
    QTextBrowser *m_browser;
};

/// Help ▸ Keyboard Shortcuts: every menu command that has a shortcut, read from the
/// window's own actions (so the sheet is never out of date).
class ShortcutsSheet : public QDialog
{
    Q_OBJECT
public:
    explicit ShortcutsSheet(QWidget *menuOwner, QWidget *parent = nullptr);
};

/// Image ▸ Check Docker Setup: the check's result, visible (not only in the status bar),
/// with "Check Again". Not modal; follows each new check.
class DockerSetupWindow : public QDialog
{
    Q_OBJECT
public:
    explicit DockerSetupWindow(QWidget *parent = nullptr);
    void setChecking();
    void setEnvironment(const DockerEnvironment &environment);
    QString headline() const;
    QString reportText() const;

Q_SIGNALS:
    void checkAgainRequested();

private:
    QLabel *m_headline;
    QPlainTextEdit *m_report;
    QPushButton *m_again;
};

/// Help ▸ About Gantry: what it is, the versions of everything it is made of and drives
/// (Qt, KArchive, QtKeychain, toml++, docker, buildx, ssh), and their licences.
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    AboutDialog(const DockerEnvironment &docker, bool dockerChecked, const QString &sshVersion, QWidget *parent = nullptr);
    QString text() const;

private:
    QTextBrowser *m_text;
};

} // namespace Gantry
