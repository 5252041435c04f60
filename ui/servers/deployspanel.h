// SPDX-License-Identifier: MIT
#pragma once

#include "ship/askpass.h"
#include "ship/serverprofile.h"

#include <QGroupBox>

class QLabel;
class QPushButton;
class QTableWidget;

namespace Gantry {

class JobTracker;
class RollbackJob;
struct DeployOutcome;
struct DeployRecord;

/// The Ship page's "Deploys" box: the selected server's deploy history (image, id, time, bytes
/// sent, result, switch time) from the build-history database, and Roll Back (with Cancel).
class DeploysPanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit DeploysPanel(QWidget *parent = nullptr);
    ~DeploysPanel() override;
    void setResponder(AskpassResponder responder);
    /// The server whose history is shown and whom Roll Back goes to; an empty host: none.
    void setServer(const ServerProfile &server);
    /// Reads the history again (after a ship), off the GUI thread: historyShown() follows.
    void refresh();
    void rollBack();
    bool isBusy() const;
    QTableWidget *table() const { return m_table; }
    QPushButton *rollBackButton() const { return m_rollBack; }
    QString status() const;

Q_SIGNALS:
    void busyChanged(bool busy);
    void rolledBack(bool ok, const QString &message);
    /// The selected server's deploy history is in the table.
    void historyShown();

private:
    void onFinished(const DeployOutcome &outcome);
    void showRecords(const QList<DeployRecord> &records);
    void updateActions();

    ServerProfile m_server;
    QTableWidget *m_table;
    QPushButton *m_rollBack, *m_cancel;
    QLabel *m_status;
    RollbackJob *m_job;
    JobTracker *m_historyJobs; ///< the deploy history read (SQLite)
};

} // namespace Gantry
