// SPDX-License-Identifier: MIT
#pragma once

#include "ship/exporter.h"

#include <QGroupBox>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;

namespace Gantry {

class ExportJob;

/// "Export to a file": the format, Export…, Show in Folder, the progress and what the last
/// export wrote. Runs the export (ExportJob) off the GUI thread; the page decides what a
/// failure means beyond this box (its message bar).
class ExportPanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit ExportPanel(QWidget *parent = nullptr);

    /// The image Export… writes (empty: nothing to export).
    void setImage(const QString &imageRef);
    bool isRunning() const;
    /// Asks for the file (in the preferred folder, under the image's name), then exports.
    void chooseFileAndExport();
    /// Exports to path without asking.
    void exportTo(const QString &path, Compression compression);
    void cancel();
    /// The file the last export wrote (what Show in Folder opens); empty before one.
    QString lastExportPath() const { return m_lastExport; }

Q_SIGNALS:
    void started();
    /// After the box shows the outcome (a cancelled export is a Cancelled failure).
    void finished(const Gantry::ExportOutcome &outcome);

private:
    void showProgress(const ExportProgress &progress);
    void showOutcome(const ExportOutcome &outcome);
    void updateActions();

    QComboBox *m_format;
    QPushButton *m_exportButton, *m_showInFolder, *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_label;
    ExportJob *m_job;
    QString m_image, m_lastExport;
};

} // namespace Gantry
