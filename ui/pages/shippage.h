// SPDX-License-Identifier: MIT
#pragma once

#include "ship/askpass.h"
#include "ship/exporter.h"
#include "ship/serverprofile.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QStackedWidget;

namespace Gantry {

class DeploysPanel;
class EmptyStateWidget;
class ExportPanel;
class MessageBar;
class ServerDetailPanel;
class ServerListModel;
class ServerPanel;
class ShipJob;
struct ShipProgress;
struct ShipResult;

/// The Ship step of the pipeline: the image, its panels (ExportPanel, ServerPanel,
/// ServerDetailPanel, DeploysPanel) and the jobs they ask for (the ship, the connection test,
/// the server dialogs, the keychain). Shows values and starts jobs; computes nothing.
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
    void connectServerPanel();
    void connectExportPanel();
    void connectShipJob();
    void updateActions();
    void showLayersOf(int row);
    void onShipProgress(int row, const ShipProgress &progress);
    void onServerFinished(int row, const ShipResult &result);
    void saveProfiles();
    void showSecretError(const Gantry::Failure &failure);
    AskpassReply askUser(const AskpassRequest &request);
    void setBusy(bool busy);

    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
    MessageBar *m_message;
    QLabel *m_imageLabel;
    ExportPanel *m_export;
    ServerPanel *m_serverPanel;
    ServerListModel *m_servers; ///< m_serverPanel's
    ServerDetailPanel *m_detail;
    DeploysPanel *m_deploys;
    ShipJob *m_shipJob;
    QString m_image, m_repoRoot;
    QList<int> m_shipRows;
    int m_shownRow = -1;
    int m_testRow = -1;   ///< the row whose connection is being tested
    bool m_busy = false;
};

} // namespace Gantry
