// SPDX-License-Identifier: MIT
#include "exportpanel.h"

#include "settings/preferences.h"
#include "ship/shipjobs.h"
#include "util/format.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

ExportPanel::ExportPanel(QWidget *parent)
    : QGroupBox(tr("Export to a file"), parent)
    , m_job(new ExportJob(this))
{
    m_format = new QComboBox(this);
    m_format->addItem(tr("zstd (.tar.zst)"), u"zstd"_s);
    m_format->addItem(tr("gzip (.tar.gz)"), u"gzip"_s);
    m_format->addItem(tr("xz (.tar.xz)"), u"xz"_s);
    m_format->addItem(tr("plain (.tar)"), u"none"_s);
    const int preferred = m_format->findData(Preferences::load().defaultCompression);
    m_format->setCurrentIndex(preferred >= 0 ? preferred : 0);
    m_exportButton = new QPushButton(QIcon(u":/icons/export.svg"_s), tr("Export…"), this);
    m_format->setObjectName(u"exportFormat"_s);
    m_exportButton->setObjectName(u"exportButton"_s);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_showInFolder = new QPushButton(tr("Show in Folder"), this);
    m_progress = new QProgressBar(this);
    m_label = new QLabel(tr("A docker-archive any Docker can load, with a .sha256 file beside it."), this);
    m_label->setWordWrap(true);
    m_label->setObjectName(u"ExportStatus"_s);
    m_progress->setObjectName(u"ExportProgress"_s);
    m_progress->setTextVisible(false);
    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Format:"), this));
    row->addWidget(m_format);
    row->addWidget(m_exportButton);
    row->addWidget(m_showInFolder);
    row->addWidget(m_progress, 1);
    row->addWidget(m_cancel);
    row->addStretch(); // takes the room while the progress bar is hidden
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_label);

    connect(m_exportButton, &QPushButton::clicked, this, &ExportPanel::chooseFileAndExport);
    connect(m_cancel, &QPushButton::clicked, m_job, &ExportJob::cancel);
    connect(m_showInFolder, &QPushButton::clicked, this, [this] {
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_lastExport).absolutePath()));
    });
    connect(m_job, &ExportJob::progress, this, &ExportPanel::showProgress);
    connect(m_job, &ExportJob::finished, this, &ExportPanel::showOutcome);
    updateActions();
}

void ExportPanel::setImage(const QString &imageRef)
{
    m_image = imageRef;
    updateActions();
}

bool ExportPanel::isRunning() const { return m_job->isRunning(); }
void ExportPanel::cancel() { m_job->cancel(); }

void ExportPanel::chooseFileAndExport()
{
    if (m_image.isEmpty() || m_job->isRunning())
        return;
    const auto compression = compressionFromName(m_format->currentData().toString()).value_or(Compression::Zstd);
    const QString suggested = defaultExportPath(m_image, compression, Preferences::load().effectiveExportDirectory());
    const QString file = QFileDialog::getSaveFileName(this, tr("Export Image"), suggested);
    if (!file.isEmpty())
        exportTo(file, compression);
}

void ExportPanel::exportTo(const QString &path, Compression compression)
{
    if (m_image.isEmpty() || m_job->isRunning())
        return;
    m_progress->setMaximum(0);
    m_progress->setValue(0);
    m_progress->show();
    m_label->setText(tr("Exporting %1 to %2…").arg(m_image, QDir::toNativeSeparators(path)));
    m_job->start({m_image, path, compression});
    Q_EMIT started();
    updateActions();
}

void ExportPanel::showProgress(const ExportProgress &p)
{
    m_progress->setMaximum(p.total > 0 ? 1000 : 0);
    m_progress->setValue(p.total > 0 ? int(qMin<qint64>(1000, p.done * 1000 / p.total)) : 0);
    m_progress->setFormat(p.phase == ExportProgress::Saving ? tr("exporting %1").arg(formatBytes(p.done))
                                                            : tr("verifying %1").arg(formatBytes(p.done)));
}

void ExportPanel::showOutcome(const ExportOutcome &outcome)
{
    const bool cancelled = !outcome && outcome.failure().cancelled();
    m_progress->setMaximum(1000);
    m_progress->setValue(outcome ? 1000 : 0);
    m_progress->setFormat(outcome ? tr("done") : (cancelled ? tr("cancelled") : tr("failed")));
    if (outcome) {
        const ExportedArchive &r = *outcome;
        m_lastExport = r.path;
        m_label->setText(tr("Wrote %1 (%2 from %3 of image data), sha256 %4…")
                             .arg(QDir::toNativeSeparators(r.path), formatBytes(r.archiveBytes), formatBytes(r.imageBytes), r.sha256.left(16)));
    } else {
        m_label->setText(outcome.failure().sentence());
    }
    updateActions();
    Q_EMIT finished(outcome);
}

void ExportPanel::updateActions()
{
    const bool exporting = m_job->isRunning();
    m_exportButton->setEnabled(!m_image.isEmpty() && !exporting);
    m_format->setEnabled(!exporting);
    m_cancel->setVisible(exporting);
    m_showInFolder->setEnabled(!m_lastExport.isEmpty() && !exporting);
    m_progress->setVisible(exporting || m_progress->value() > 0);
    m_progress->setTextVisible(true);
}

} // namespace Gantry
