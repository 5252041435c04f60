// SPDX-License-Identifier: MIT
#pragma once

#include <QGroupBox>

class QCheckBox;
class QHBoxLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace Gantry {

class ServerListModel;
struct ShipProgress;

/// "Ship to servers over SSH": the server list (a ServerListModel it owns), Add…, Edit…,
/// Remove and Test Connection beside it, the ship row (full mode, the selected servers'
/// "after loading" setting, Ship, Cancel), the progress bar and its two lines. It starts
/// nothing itself: it asks (the *Requested signals) and the page runs the dialogs and the jobs,
/// then tells it what to show (setState, startShip, showProgress, showLoaded, setShipLabel).
class ServerPanel : public QGroupBox
{
    Q_OBJECT
public:
    explicit ServerPanel(QWidget *parent = nullptr);

    /// The profiles and, per server, the state of the current (or last) ship.
    ServerListModel *servers() const { return m_servers; }
    /// The selected rows, sorted; the only server when there is one and nothing is selected.
    QList<int> selectedRows() const;
    void selectRow(int row);
    /// Whether the whole archive is to be sent (full mode) instead of the missing layers.
    bool fullMode() const;
    /// Whether "After loading, (re)start the container" is checked.
    bool restartChecked() const;

    /// Which buttons can be pressed: Ship needs an image; nothing but Cancel while shipping.
    void setState(bool hasImage, bool shipping);
    /// A ship begins: the bar runs, the summary is cleared, label says what is prepared.
    void startShip(const QString &label);
    /// The line under the progress bar.
    void setShipLabel(const QString &text);
    /// One server's progress, as the shown server's (bytes, speed and time left while uploading).
    void showProgress(const QString &server, const ShipProgress &progress);
    /// A server is done: the bar is full, the summary and the line say what it got.
    void showLoaded(const QString &summary, const QString &label);

Q_SIGNALS:
    void addRequested();
    void editRequested();
    void removeRequested();
    void testRequested(int row);
    void shipRequested(const QList<int> &rows);
    void cancelRequested();
    void selectionChanged();
    /// The "after loading" box changed the selected servers' profiles (in servers()).
    void profilesEdited();
    /// The box could not turn restarting on for these servers (no container name).
    void restartRefused(const QStringList &servers);

private:
    QHBoxLayout *createServerRow();
    QHBoxLayout *createShipRow();
    void fitAddresses();
    void connectButtons();
    void updateActions();
    void updateRestartBox();
    void setRestartOfSelected(bool restart);

    ServerListModel *m_servers;
    QTableView *m_view;
    QPushButton *m_add, *m_edit, *m_remove, *m_test, *m_ship, *m_cancel;
    QCheckBox *m_full, *m_restart;
    QProgressBar *m_progress;
    QLabel *m_label, *m_summary;
    bool m_hasImage = false;
    bool m_shipping = false;
};

} // namespace Gantry
