// SPDX-License-Identifier: MIT
#pragma once

#include "settings/preferences.h"

#include <QDialog>

class QComboBox;
class QGroupBox;
class QLineEdit;
class QCheckBox;
class QLabel;

namespace Gantry {

/// Preferences (Cmd+,): the docker and ssh programs, default platform, runtime and
/// compression, where exports go. Shows what was found automatically as placeholder.
class PreferencesDialog : public QDialog
{
    Q_OBJECT
public:
    explicit PreferencesDialog(const Preferences &preferences, QWidget *parent = nullptr);
    Preferences preferences() const;

    void accept() override;

private:
    void fillProgramPaths(const Preferences &preferences);
    void fillDefaultChoices(const Preferences &preferences);
    QGroupBox *createProgramsBox(const Preferences &preferences);
    QGroupBox *createDefaultsBox();
    QWidget *pathRow(QLineEdit *edit, const QString &title, bool directory);
    QLineEdit *m_docker;
    QLineEdit *m_ssh;
    QComboBox *m_platform;
    QComboBox *m_runtime;
    QComboBox *m_compression;
    QLineEdit *m_exportDir;
    QCheckBox *m_reopen;
    QLineEdit *m_editor;
    QLabel *m_error;
    Preferences m_initial;
};

} // namespace Gantry
