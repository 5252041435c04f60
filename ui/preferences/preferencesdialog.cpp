// SPDX-License-Identifier: MIT
#include "preferencesdialog.h"

#include "docker/dockerenvironment.h"
#include "settings/toolpaths.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProcessEnvironment>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

PreferencesDialog::PreferencesDialog(const Preferences &preferences, QWidget *parent)
    : QDialog(parent)
    , m_docker(new QLineEdit(this))
    , m_ssh(new QLineEdit(this))
    , m_platform(new QComboBox(this))
    , m_runtime(new QComboBox(this))
    , m_compression(new QComboBox(this))
    , m_exportDir(new QLineEdit(this))
    , m_reopen(new QCheckBox(tr("Reopen the last project when Gantry starts"), this))
    , m_editor(new QLineEdit(this))
    , m_error(new QLabel(this))
    , m_initial(preferences)
{
    setWindowTitle(tr("Preferences"));
    setObjectName(u"PreferencesDialog"_s);

    fillProgramPaths(preferences);
    fillDefaultChoices(preferences);
    QGroupBox *tools = createProgramsBox(preferences);
    QGroupBox *defaults = createDefaultsBox();

    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #c0392b;"_s);
    m_error->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PreferencesDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tools);
    layout->addWidget(defaults);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumWidth(560);
}

void PreferencesDialog::fillProgramPaths(const Preferences &preferences)
{
    // What would be used with the field left empty, shown as the placeholder.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    m_docker->setPlaceholderText(tr("Automatic: %1").arg(findDockerExecutable({}, env).isEmpty()
                                                            ? tr("not found") : findDockerExecutable({}, env)));
    m_ssh->setPlaceholderText(tr("Automatic: %1").arg(findSshExecutable({}).isEmpty() ? tr("not found")
                                                                                        : findSshExecutable({})));
    m_docker->setText(preferences.dockerPath);
    m_ssh->setText(preferences.sshPath);
    m_docker->setObjectName(u"dockerPath"_s);
    m_ssh->setObjectName(u"sshPath"_s);
}

void PreferencesDialog::fillDefaultChoices(const Preferences &preferences)
{
    const QStringList platformLabels{tr("linux/amd64 — most VPS and cloud servers"), tr("linux/arm64 — Graviton, Ampere, Raspberry Pi"),
                                     tr("Both (multi-platform)")};
    for (int i = 0; i < Preferences::platforms().size(); ++i)
        m_platform->addItem(platformLabels.value(i), Preferences::platforms().at(i));
    const QStringList runtimeLabels{tr("scratch — the binary only"), tr("distroless static — CA certificates, tzdata, nonroot"),
                                    tr("alpine — a shell and apk"), tr("debian-slim — glibc and apt")};
    for (int i = 0; i < Preferences::runtimes().size(); ++i)
        m_runtime->addItem(runtimeLabels.value(i), Preferences::runtimes().at(i));
    const QStringList compressionLabels{tr("None (.tar)"), tr("gzip (.tar.gz)"), tr("zstd (.tar.zst) — fast, small"), tr("xz (.tar.xz) — smallest, slow")};
    for (int i = 0; i < Preferences::compressions().size(); ++i)
        m_compression->addItem(compressionLabels.value(i), Preferences::compressions().at(i));
    m_platform->setCurrentIndex(qMax(0, m_platform->findData(preferences.defaultPlatform)));
    m_runtime->setCurrentIndex(qMax(0, m_runtime->findData(preferences.defaultRuntime)));
    m_compression->setCurrentIndex(qMax(0, m_compression->findData(preferences.defaultCompression)));
    m_exportDir->setObjectName(u"exportDirectory"_s);
    m_exportDir->setText(preferences.exportDirectory);
    m_exportDir->setPlaceholderText(Preferences().effectiveExportDirectory());
    m_reopen->setChecked(preferences.reopenLastProject);
}

QGroupBox *PreferencesDialog::createProgramsBox(const Preferences &preferences)
{
    auto *tools = new QGroupBox(tr("Programs"), this);
    auto *toolsForm = new QFormLayout(tools);
    toolsForm->addRow(tr("docker:"), pathRow(m_docker, tr("Choose the docker Program"), false));
    toolsForm->addRow(tr("ssh:"), pathRow(m_ssh, tr("Choose the ssh Program"), false));
    auto *hint = new QLabel(tr("Leave empty to find them automatically (Docker Desktop, OrbStack, Colima, Homebrew, PATH)."), tools);
    hint->setWordWrap(true);
    QPalette pal = hint->palette();
    pal.setColor(QPalette::WindowText, pal.color(QPalette::PlaceholderText));
    hint->setPalette(pal);
    toolsForm->addRow(hint);
    m_editor->setObjectName(u"editorCommand"_s);
    m_editor->setText(preferences.editorCommand);
    m_editor->setPlaceholderText(tr("The system's application for the file"));
    m_editor->setToolTip(tr("Opens a compiler's error location. {file}, {line} and {column} are replaced, "
                            "e.g. code -g {file}:{line}:{column}, subl {file}:{line}, idea --line {line} {file}."));
    toolsForm->addRow(tr("Editor:"), m_editor);
    return tools;
}

QGroupBox *PreferencesDialog::createDefaultsBox()
{
    auto *defaults = new QGroupBox(tr("New projects and exports"), this);
    auto *defaultsForm = new QFormLayout(defaults);
    defaultsForm->addRow(tr("Server platform:"), m_platform);
    defaultsForm->addRow(tr("Runtime base:"), m_runtime);
    defaultsForm->addRow(tr("Compression:"), m_compression);
    defaultsForm->addRow(tr("Export to:"), pathRow(m_exportDir, tr("Choose the Export Folder"), true));
    defaultsForm->addRow(m_reopen);
    return defaults;
}

QWidget *PreferencesDialog::pathRow(QLineEdit *edit, const QString &title, bool directory)
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *choose = new QPushButton(tr("Choose…"), row);
    layout->addWidget(edit, 1);
    layout->addWidget(choose);
    connect(choose, &QPushButton::clicked, this, [this, edit, title, directory] {
        const QString start = edit->text().isEmpty() ? QString() : QFileInfo(edit->text()).absolutePath();
        const QString chosen = directory ? QFileDialog::getExistingDirectory(this, title, edit->text())
                                         : QFileDialog::getOpenFileName(this, title, start);
        if (!chosen.isEmpty())
            edit->setText(chosen);
    });
    return row;
}

Preferences PreferencesDialog::preferences() const
{
    Preferences p = m_initial;
    p.dockerPath = m_docker->text().trimmed();
    p.sshPath = m_ssh->text().trimmed();
    p.defaultPlatform = m_platform->currentData().toString();
    p.defaultRuntime = m_runtime->currentData().toString();
    p.defaultCompression = m_compression->currentData().toString();
    p.exportDirectory = m_exportDir->text().trimmed();
    p.reopenLastProject = m_reopen->isChecked();
    p.editorCommand = m_editor->text().trimmed();
    return p;
}

void PreferencesDialog::accept()
{
    const QStringList problems = preferences().validate();
    if (!problems.isEmpty()) {
        m_error->setText(problems.join(u'\n'));
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace Gantry
