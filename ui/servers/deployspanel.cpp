// SPDX-License-Identifier: MIT
#include "deployspanel.h"

#include "buildrun/deployhistory.h"
#include "ship/rollbackjob.h"
#include "util/format.h"
#include "util/jobtracker.h"
#include "widgets/rowtable.h"

#include <QColor>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

DeploysPanel::DeploysPanel(QWidget *parent)
    : QGroupBox(tr("Deploys to the selected server"), parent)
    , m_table(new QTableWidget(0, 7, this))
    , m_rollBack(new QPushButton(tr("Roll Back…"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_status(new QLabel(this))
    , m_job(new RollbackJob(this))
    , m_historyJobs(new JobTracker(this))
{
    m_table->setHorizontalHeaderLabels({tr("When"), tr("What"), tr("Result"), tr("Image"), tr("Image ID"), tr("Sent"), tr("Switch")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    styleRowTable(m_table);
    m_rollBack->setToolTip(tr("Go back to the version deployed before the current one (its image is kept on the server). "
                              "The current container keeps its place until the previous version is healthy."));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_rollBack);
    buttons->addWidget(m_cancel);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    connect(m_rollBack, &QPushButton::clicked, this, [this] {
        const auto answer = QMessageBox::question(this, tr("Roll Back"),
                                                  tr("Switch %1 on %2 back to the version deployed before the current one?")
                                                      .arg(m_server.containerName, m_server.displayName()));
        if (answer == QMessageBox::Yes)
            rollBack();
    });
    connect(m_cancel, &QPushButton::clicked, m_job, &RollbackJob::cancel);
    connect(m_job, &RollbackJob::progress, m_status, &QLabel::setText);
    connect(m_job, &RollbackJob::finished, this, &DeploysPanel::onFinished);
    updateActions();
}

DeploysPanel::~DeploysPanel() = default;

void DeploysPanel::setResponder(AskpassResponder responder) { m_job->setResponder(std::move(responder)); }

bool DeploysPanel::isBusy() const { return m_job->isRunning(); }

QString DeploysPanel::status() const { return m_status->text(); }

void DeploysPanel::setServer(const ServerProfile &server)
{
    if (m_job->isRunning())
        return;
    m_server = server;
    m_status->clear();
    m_table->setRowCount(0); // another server's rows never stand for this one's
    refresh();
}

void DeploysPanel::refresh()
{
    if (m_server.host.isEmpty()) {
        m_historyJobs->drop();
        showRecords({});
        return;
    }
    // SQLite, off the GUI thread; the table fills when the rows arrive.
    updateActions();
    m_historyJobs->start([server = m_server.displayName()] { return DeployHistory().recent(server, 50); },
                         [this](const QList<DeployRecord> &records) { showRecords(records); });
}

void DeploysPanel::showRecords(const QList<DeployRecord> &records)
{
    m_table->setRowCount(0);
    m_table->setRowCount(int(records.size()));
    for (int row = 0; row < records.size(); ++row) {
        const DeployRecord &r = records.at(row);
        const QStringList cells{QLocale().toString(r.time.toLocalTime(), QLocale::ShortFormat), r.action, r.result, r.image,
                                r.imageId.section(u':', -1).left(12), formatBytes(r.bytesSent),
                                r.switchMs >= 0 ? tr("%1 s").arg(double(r.switchMs) / 1000.0, 0, 'f', 1) : QString()};
        for (int column = 0; column < cells.size(); ++column) {
            auto *item = new QTableWidgetItem(cells.at(column));
            item->setToolTip(r.detail);
            if (column == 2 && r.result != u"healthy")
                item->setForeground(QColor(0xc0, 0x30, 0x30));
            m_table->setItem(row, column, item);
        }
    }
    m_table->resizeColumnsToContents();
    updateActions();
    Q_EMIT historyShown();
}

void DeploysPanel::rollBack()
{
    if (m_job->isRunning() || m_server.containerName.isEmpty())
        return;
    m_status->setText(tr("Rolling back %1 on %2…").arg(m_server.containerName, m_server.displayName()));
    m_job->start(m_server);
    updateActions();
    Q_EMIT busyChanged(true);
}

void DeploysPanel::onFinished(const DeployOutcome &outcome)
{
    const QString message = outcome.ok() ? tr("Rolled back: %1 runs %2 (%3).").arg(m_server.containerName, outcome.image, outcome.healthDetail)
                                         : outcome.failure.sentence();
    m_status->setText(message);
    refresh();
    Q_EMIT busyChanged(false);
    Q_EMIT rolledBack(outcome.ok(), message);
}

void DeploysPanel::updateActions()
{
    const bool running = m_job->isRunning();
    m_rollBack->setEnabled(!running && !m_server.host.isEmpty() && !m_server.containerName.isEmpty());
    m_cancel->setVisible(running);
}

} // namespace Gantry
