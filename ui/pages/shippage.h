// SPDX-License-Identifier: MIT
#pragma once

#include "ship/askpass.h"
#include "ship/exporter.h"
#include "ship/serverprofile.h"

#include <QHash>
#include <QWidget>

class QCheckBox;
class QGroupBox;
class QHBoxLayout;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTableView;

namespace Gantry {

class DeploysPanel;
class EmptyStateWidget;
class ExportPanel;
class LayerStateModel;
class MessageBar;
class ServerListModel;
class ShipJob;
struct ShipProgress;
struct ShipResult;

/// The Ship step of the pipeline. Shows values and starts jobs; computes nothing.
class ShipPage : public QWidget
{
    Q_OBJECT
public:
    explicit ShipPage(QWidget *parent = nullptr);
    ~ShipPage() override;
    EmptyStateWidget *emptyState() const { return m_empty; }

    /// The image to export or ship (and the project it came from, if any).
    void setImage(const QString &imageRef, const QString &repoRoot = {});
    bool hasImage() const;
    bool isBusy() const;

    /// Export to a chosen file without asking (exportImage() asks for the file first).
    void exportImageTo(const QString &path, Compression compression);
    /// Ship to these rows of the server list (shipImage() uses the selection).
    void shipTo(const QList<int> &rows);
    void testConnection(int row);

public Q_SLOTS:
    void exportImage();
    void shipImage();
    void cancel();
    void addServer();
    void editServer();
    void removeServer();

Q_SIGNALS:
    void buildRequested();
    void busyChanged(bool busy);
    void exportFinished(bool ok);
    void shipFinished();
    void connectionTested(bool ok, const QString &message);
    /// What each layer costs gzip-compressed, by diff id, as the ship measured it.
    void compressedSizesMeasured(const QHash<QString, qint64> &byDiffId);

private:
    QWidget *createContent();
    QGroupBox *createServerBox(QWidget *content);
    QHBoxLayout *createServerRow(QGroupBox *serverBox);
    QHBoxLayout *createShipRow(QGroupBox *serverBox);
    QWidget *createServerDetail(QWidget *content);
    void loadServers();
    void connectButtons();
    void connectExportPanel();
    void connectShipJob();
    void updateActions();
    void showLayersOf(int row);
    void onShipProgress(int row, const ShipProgress &progress);
    void onServerFinished(int row, const ShipResult &result);
    void saveProfiles();
    void showSecretError(const Gantry::Failure &failure);
    AskpassReply askUser(const AskpassRequest &request);
    QList<int> selectedRows() const;
    void setBusy(bool busy);
    void updateRestartBox();
    void setRestartOfSelected(bool restart);

    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
    MessageBar *m_message;
    QLabel *m_imageLabel;
    ExportPanel *m_export;
    QTableView *m_serverView;
    ServerListModel *m_servers;
    QPushButton *m_add, *m_edit, *m_remove, *m_test, *m_ship, *m_cancelShip;
    QCheckBox *m_full, *m_restart;
    QProgressBar *m_shipProgress;
    QLabel *m_shipLabel, *m_summaryLabel;
    QTableView *m_layerView;
    LayerStateModel *m_layers;
    QPlainTextEdit *m_output;
    DeploysPanel *m_deploys;
    ShipJob *m_shipJob;
    QString m_image, m_repoRoot;
    QList<int> m_shipRows;
    int m_shownRow = -1;
    int m_testRow = -1;   ///< the row whose connection is being tested
    bool m_busy = false;
};

} // namespace Gantry
