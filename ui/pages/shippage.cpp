// SPDX-License-Identifier: MIT
#include "shippage.h"

#include "ship/deployrecord.h"
#include "servers/deployspanel.h"
#include "servers/exportpanel.h"
#include "servers/layerstatemodel.h"
#include "ship/containersecrets.h"
#include "servers/serverdialog.h"
#include "servers/serverlistmodel.h"
#include "ship/shellquote.h"
#include "ship/shipjobs.h"
#include "widgets/emptystate.h"
#include "widgets/failuretext.h"
#include "widgets/messagebar.h"

#include <QCheckBox>
#include <QDir>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString etaText(qint64 s)
{
    if (s < 0)
        return QString();
    return ShipPage::tr("%1:%2 left").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
    return view;
}

} // namespace

ShipPage::ShipPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(QIcon(u":/icons/ship.svg"_s), tr("Nothing to ship yet"),
                                   tr("Build an image, then export it to a compressed archive or send it to your server over SSH — only the layers the server does not have yet."), this))
    , m_message(new MessageBar(this))
    , m_servers(new ServerListModel(this))
    , m_layers(new LayerStateModel(this))
    , m_shipJob(new ShipJob(this))
{
    m_servers->setObjectName(u"ServerListModel"_s);
    m_layers->setObjectName(u"LayerStateModel"_s);
    connect(m_empty->addAction(tr("Go to Build"), true), &QPushButton::clicked, this, &ShipPage::buildRequested);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(createContent());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message);
    layout->addWidget(m_stack);
    m_message->hide();

    loadServers();
    connectButtons();
    connectExportPanel();
    connectShipJob();
    updateActions();
}

ShipPage::~ShipPage() = default;

QWidget *ShipPage::createContent()
{
    auto *content = new QWidget(this);
    m_imageLabel = new QLabel(content);
    m_imageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_imageLabel->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_imageLabel->setFont(big);

    m_export = new ExportPanel(content);
    QGroupBox *serverBox = createServerBox(content);
    QWidget *detail = createServerDetail(content);

    auto *vertical = new QSplitter(Qt::Vertical, content);
    m_deploys = new DeploysPanel(vertical); // full width: its columns (image, id, sent, switch) need the room
    vertical->addWidget(serverBox);
    vertical->addWidget(detail);
    vertical->addWidget(m_deploys);
    vertical->setStretchFactor(0, 3);
    vertical->setStretchFactor(1, 2);
    vertical->setStretchFactor(2, 2);

    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(m_imageLabel);
    contentLayout->addWidget(m_export);
    contentLayout->addWidget(vertical, 1);
    return content;
}

QGroupBox *ShipPage::createServerBox(QWidget *content)
{
    // Servers
    auto *serverBox = new QGroupBox(tr("Ship to servers over SSH"), content);
    QHBoxLayout *serverRow = createServerRow(serverBox);
    QHBoxLayout *shipRow = createShipRow(serverBox);
    m_shipProgress = new QProgressBar(serverBox);
    m_shipProgress->setObjectName(u"ShipProgress"_s);
    m_shipLabel = new QLabel(tr("Select one or more servers and press Ship: each gets only the layers it does not have yet."), serverBox);
    m_shipLabel->setObjectName(u"ShipStatus"_s);
    m_summaryLabel = new QLabel(serverBox);
    m_summaryLabel->setObjectName(u"ShipSummary"_s);
    m_summaryLabel->setWordWrap(true);
    QFont bold = m_summaryLabel->font();
    bold.setBold(true);
    m_summaryLabel->setFont(bold);
    auto *serverLayout = new QVBoxLayout(serverBox);
    serverLayout->addLayout(serverRow, 1);
    serverLayout->addLayout(shipRow);
    serverLayout->addWidget(m_shipProgress);
    serverLayout->addWidget(m_shipLabel);
    serverLayout->addWidget(m_summaryLabel);
    return serverBox;
}

QHBoxLayout *ShipPage::createServerRow(QGroupBox *serverBox)
{
    // The server list, with Add, Edit, Remove and Test beside it.
    m_serverView = makeTable(m_servers, serverBox);
    m_serverView->setObjectName(u"ServerTable"_s);
    m_serverView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_serverView->horizontalHeader()->resizeSection(ServerListModel::NameColumn, 140);
    m_serverView->horizontalHeader()->resizeSection(ServerListModel::AddressColumn, 200);
    m_add = new QPushButton(tr("Add…"), serverBox);
    m_edit = new QPushButton(tr("Edit…"), serverBox);
    m_remove = new QPushButton(tr("Remove"), serverBox);
    m_test = new QPushButton(tr("Test Connection"), serverBox);
    auto *serverButtons = new QVBoxLayout;
    for (QPushButton *b : {m_add, m_edit, m_remove, m_test})
        serverButtons->addWidget(b);
    serverButtons->addStretch();
    auto *serverRow = new QHBoxLayout;
    serverRow->addWidget(m_serverView, 1);
    serverRow->addLayout(serverButtons);
    return serverRow;
}

QHBoxLayout *ShipPage::createShipRow(QGroupBox *serverBox)
{
    m_full = new QCheckBox(tr("Send the whole archive (full mode)"), serverBox);
    m_full->setToolTip(tr("By default only the layers a server does not have yet are sent."));
    // Restarting is the server's own setting (its profile's "After loading"), shown and changed here.
    m_restart = new QCheckBox(tr("After loading, (re)start the container"), serverBox);
    m_restart->setObjectName(u"RestartAfterLoad"_s);
    m_restart->setToolTip(tr("The selected server's setting \"After loading\" (also under Edit…), saved with the server."));
    connect(m_restart, &QCheckBox::clicked, this, [this](bool checked) { setRestartOfSelected(checked); });
    m_ship = new QPushButton(QIcon(u":/icons/ship.svg"_s), tr("Ship"), serverBox);
    m_ship->setDefault(true);
    m_cancelShip = new QPushButton(tr("Cancel"), serverBox);
    auto *shipRow = new QHBoxLayout;
    shipRow->addWidget(m_full);
    shipRow->addWidget(m_restart);
    shipRow->addStretch();
    shipRow->addWidget(m_ship);
    shipRow->addWidget(m_cancelShip);
    return shipRow;
}

QWidget *ShipPage::createServerDetail(QWidget *content)
{
    // Per server: layers and the remote output
    m_layerView = makeTable(m_layers, content);
    m_layerView->setObjectName(u"LayerTable"_s);
    m_layerView->setSelectionMode(QAbstractItemView::NoSelection);
    m_layerView->horizontalHeader()->resizeSection(LayerStateModel::LayerColumn, 160);
    m_output = new QPlainTextEdit(content);
    m_output->setObjectName(u"RemoteOutput"_s);
    m_output->setReadOnly(true);
    m_output->setMaximumBlockCount(2000);
    m_output->setPlaceholderText(tr("Output of docker load and docker run on the server appears here."));
    QFont mono(u"monospace"_s);
    mono.setStyleHint(QFont::Monospace);
    m_output->setFont(mono);
    auto *detail = new QSplitter(Qt::Horizontal, content);
    auto *layersBox = new QGroupBox(tr("Layers on the selected server"), detail);
    (new QVBoxLayout(layersBox))->addWidget(m_layerView);
    auto *outputBox = new QGroupBox(tr("Remote output"), detail);
    (new QVBoxLayout(outputBox))->addWidget(m_output);
    detail->addWidget(layersBox);
    detail->addWidget(outputBox);
    return detail;
}

void ShipPage::loadServers()
{
    m_servers->setProfiles(ServerProfiles::load());
    // The address column fits what it shows ("user@host:port via jump"), within reason.
    const auto fitAddresses = [this] {
        m_serverView->resizeColumnToContents(ServerListModel::AddressColumn);
        auto *header = m_serverView->horizontalHeader();
        header->resizeSection(ServerListModel::AddressColumn, qBound(200, header->sectionSize(ServerListModel::AddressColumn) + 12, 420));
    };
    fitAddresses();
    connect(m_servers, &QAbstractItemModel::modelReset, this, fitAddresses);
    connect(m_servers, &QAbstractItemModel::rowsInserted, this, fitAddresses);
}

void ShipPage::connectButtons()
{
    connect(m_add, &QPushButton::clicked, this, &ShipPage::addServer);
    connect(m_edit, &QPushButton::clicked, this, &ShipPage::editServer);
    connect(m_serverView, &QTableView::doubleClicked, this, &ShipPage::editServer);
    connect(m_remove, &QPushButton::clicked, this, &ShipPage::removeServer);
    connect(m_test, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRows();
        if (!rows.isEmpty())
            testConnection(rows.constFirst());
    });
    connect(m_ship, &QPushButton::clicked, this, &ShipPage::shipImage);
    connect(m_cancelShip, &QPushButton::clicked, m_shipJob, &ShipJob::cancel);
    connect(m_serverView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        const QList<int> rows = selectedRows();
        showLayersOf(rows.isEmpty() ? -1 : rows.constFirst());
        m_deploys->setServer(rows.isEmpty() ? ServerProfile() : m_servers->profile(rows.constFirst()));
        updateActions();
    });
}

void ShipPage::connectExportPanel()
{
    connect(m_export, &ExportPanel::started, this, [this] {
        m_message->hide();
        setBusy(true);
        updateActions();
    });
    connect(m_export, &ExportPanel::finished, this, [this](const ExportOutcome &outcome) {
        if (outcome) {
            m_message->hide();
        } else if (!outcome.failure().cancelled()) {
            m_message->showMessage(MessageBar::Type::Error, failureText(outcome.failure()));
            m_message->show();
        }
        setBusy(m_shipJob->isRunning());
        updateActions();
        Q_EMIT exportFinished(bool(outcome));
    });
}

void ShipPage::connectShipJob()
{
    m_shipJob->setResponder([this](const AskpassRequest &r) { return askUser(r); });
    m_deploys->setResponder([this](const AskpassRequest &r) { return askUser(r); });
    connect(m_shipJob, &ShipJob::preparing, this, [this](const QString &message) { m_shipLabel->setText(message); });
    connect(m_shipJob, &ShipJob::progress, this, &ShipPage::onShipProgress);
    connect(m_shipJob, &ShipJob::serverFinished, this, &ShipPage::onServerFinished);
    connect(m_shipJob, &ShipJob::failed, this, [this](const Failure &failure) {
        m_message->showMessage(MessageBar::Type::Error, failureText(failure));
        m_message->show();
        m_shipLabel->setText(failure.sentence());
    });
    connect(m_shipJob, &ShipJob::connectionTested, this, [this](bool ok, const QString &message) {
        m_message->showMessage(ok ? MessageBar::Type::Positive : MessageBar::Type::Error, message);
        m_message->show();
        if (m_testRow >= 0 && m_testRow < m_servers->rowCount())
            m_servers->setStatus(m_testRow, ok ? tr("connection OK") : tr("connection failed: %1").arg(message));
        m_testRow = -1;
        Q_EMIT connectionTested(ok, message);
    });
    connect(m_shipJob, &ShipJob::finished, this, [this] {
        setBusy(m_export->isRunning());
        updateActions();
        Q_EMIT shipFinished();
    });
}

void ShipPage::setImage(const QString &imageRef, const QString &repoRoot)
{
    m_image = imageRef;
    m_repoRoot = repoRoot;
    m_imageLabel->setText(repoRoot.isEmpty() ? imageRef : tr("%1  —  %2").arg(imageRef, QDir::toNativeSeparators(repoRoot)));
    m_stack->setCurrentIndex(imageRef.isEmpty() ? 0 : 1);
    m_export->setImage(imageRef);
    updateActions();
}

bool ShipPage::hasImage() const { return !m_image.isEmpty(); }
bool ShipPage::isBusy() const { return m_busy; }

void ShipPage::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

QList<int> ShipPage::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &i : m_serverView->selectionModel()->selectedRows())
        rows << i.row();
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty() && m_servers->rowCount() == 1)
        rows << 0;
    return rows;
}

void ShipPage::updateActions()
{
    const bool shipping = m_shipJob->isRunning();
    const bool hasRows = !selectedRows().isEmpty();
    m_ship->setEnabled(hasImage() && hasRows && !shipping);
    m_restart->setEnabled(hasRows && !shipping);
    updateRestartBox();
    m_cancelShip->setVisible(shipping);
    m_test->setEnabled(hasRows && !shipping);
    m_edit->setEnabled(hasRows && !shipping);
    m_remove->setEnabled(hasRows && !shipping);
    m_add->setEnabled(!shipping);
    m_shipProgress->setVisible(shipping || !m_summaryLabel->text().isEmpty());
}

void ShipPage::exportImage() { m_export->chooseFileAndExport(); }

void ShipPage::exportImageTo(const QString &path, Compression compression) { m_export->exportTo(path, compression); }

void ShipPage::shipImage()
{
    shipTo(selectedRows());
}

void ShipPage::shipTo(const QList<int> &rows)
{
    if (!hasImage() || rows.isEmpty() || m_shipJob->isRunning())
        return;
    m_message->hide();
    m_servers->clearStatus();
    m_shipRows = rows;
    QList<ServerProfile> servers;
    for (int row : rows) {
        servers << m_servers->profile(row);
        m_servers->setStatus(row, tr("waiting"));
    }
    ShipOptions options;
    options.mode = m_full->isChecked() ? ShipMode::Full : ShipMode::Delta;
    options.restart = false; // each server's profile decides (the box above shows and changes it)
    m_summaryLabel->clear();
    m_output->clear();
    m_layers->setOutcome(LayerStateModel::Outcome::Running);
    m_shipProgress->setMaximum(0);
    m_shipLabel->setText(tr("Preparing %1…").arg(m_image));
    showLayersOf(rows.constFirst());
    m_shipJob->start(m_image, servers, options);
    setBusy(true);
    updateActions();
}

void ShipPage::testConnection(int row)
{
    if (row < 0 || row >= m_servers->rowCount() || m_shipJob->isRunning())
        return;
    m_message->showMessage(MessageBar::Type::Information, tr("Connecting to %1…").arg(m_servers->profile(row).displayName()));
    m_message->show();
    m_testRow = row;
    m_servers->setStatus(row, tr("testing the connection…"));
    m_shipJob->testConnection(m_servers->profile(row), SshOptions{});
    setBusy(true);
    updateActions();
}

void ShipPage::cancel()
{
    m_export->cancel();
    m_shipJob->cancel();
}

void ShipPage::showLayersOf(int row)
{
    m_shownRow = row;
    m_layers->setLayers(row >= 0 ? m_servers->progress(row).layers : QList<LayerShipState>());
    const QString status = row >= 0 ? m_servers->status(row) : QString();
    m_layers->setOutcome(status.startsWith(tr("failed")) ? LayerStateModel::Outcome::Failed
                         : status == tr("cancelled")     ? LayerStateModel::Outcome::Cancelled
                                                         : LayerStateModel::Outcome::Running);
}

void ShipPage::updateRestartBox()
{
    // One place decides restarting: the selected servers' profiles. Mixed: partly checked.
    const QList<int> rows = selectedRows();
    int restarting = 0;
    for (int row : rows)
        restarting += m_servers->profile(row).afterLoad == ServerProfile::AfterLoad::Restart ? 1 : 0;
    const QSignalBlocker block(m_restart);
    m_restart->setTristate(restarting > 0 && restarting < rows.size());
    m_restart->setCheckState(restarting == 0 ? Qt::Unchecked : restarting == rows.size() ? Qt::Checked : Qt::PartiallyChecked);
    const ServerProfile first = rows.isEmpty() ? ServerProfile{} : m_servers->profile(rows.constFirst());
    m_restart->setText(rows.size() == 1 && restarting == 1
                           ? tr("After loading, (re)start container %1").arg(first.containerName)
                           : tr("After loading, (re)start the container"));
}

void ShipPage::setRestartOfSelected(bool restart)
{
    QStringList unnamed;
    for (int row : selectedRows()) {
        ServerProfile p = m_servers->profile(row);
        if (restart && p.containerName.trimmed().isEmpty()) {
            unnamed << p.displayName();
            continue;
        }
        p.afterLoad = restart ? ServerProfile::AfterLoad::Restart : ServerProfile::AfterLoad::Nothing;
        m_servers->replaceProfile(row, p);
    }
    saveProfiles();
    if (!unnamed.isEmpty()) {
        m_message->showMessage(MessageBar::Type::Warning,
                               tr("%1 has no container name, so Gantry cannot (re)start it: press Edit… and enter one.")
                                   .arg(unnamed.join(u", "_s)));
        m_message->show();
    }
    updateRestartBox();
}

void ShipPage::onShipProgress(int index, const ShipProgress &p)
{
    const int row = m_shipRows.value(index, -1);
    m_servers->setProgress(row, p);
    QHash<QString, qint64> measured;
    for (const LayerShipState &l : p.layers)
        if (l.compressedSize > 0)
            measured.insert(l.diffId, l.compressedSize);
    if (!measured.isEmpty())
        Q_EMIT compressedSizesMeasured(measured);
    if (row == m_shownRow || m_shownRow < 0) {
        m_layers->setLayers(p.layers);
        if (p.phase == ShipProgress::Uploading && p.toSend > 0) {
            m_shipProgress->setMaximum(1000);
            m_shipProgress->setValue(int(qMin<qint64>(1000, p.sent * 1000 / p.toSend)));
            m_shipLabel->setText(tr("%1: %2 of %3 — %4/s %5")
                                     .arg(m_servers->profile(row).displayName(), formatBytes(p.sent), formatBytes(p.toSend),
                                          formatBytes(qint64(p.bytesPerSecond)), etaText(p.etaSeconds)));
            m_summaryLabel->setText(p.message);
        } else {
            m_shipProgress->setMaximum(p.phase == ShipProgress::Done ? 1000 : 0);
            m_shipProgress->setValue(p.phase == ShipProgress::Done ? 1000 : 0);
            m_shipLabel->setText(u"%1: %2"_s.arg(m_servers->profile(row).displayName(), p.message));
        }
    }
}

void ShipPage::onServerFinished(int index, const ShipResult &r)
{
    const int row = m_shipRows.value(index, -1);
    const QString name = m_servers->profile(row).displayName();
    if (r.ok()) {
        m_servers->setStatus(row, tr("done: %1").arg(r.summary()));
        m_summaryLabel->setText(m_shipRows.size() == 1 ? r.summary() : tr("%1: %2").arg(name, r.summary()));
        m_shipProgress->setMaximum(1000);
        m_shipProgress->setValue(1000);
        m_shipLabel->setText(tr("%1: loaded %2").arg(name, r.loadedImage.isEmpty() ? m_image : r.loadedImage));
    } else {
        m_servers->setStatus(row, r.cancelled() ? tr("cancelled") : tr("failed: %1").arg(r.error()));
        // What was not sent says so, instead of "waiting" for ever.
        if (row == m_shownRow || m_shipRows.size() == 1)
            m_layers->setOutcome(r.cancelled() ? LayerStateModel::Outcome::Cancelled : LayerStateModel::Outcome::Failed);
        m_message->showMessage(r.cancelled() ? MessageBar::Type::Warning : MessageBar::Type::Error,
                               u"%1: %2"_s.arg(name, failureText(*r.failure)));
        m_message->show();
        m_shipLabel->setText(r.error());
    }
    for (const QString &line : r.remoteOutput.trimmed().split(u'\n', Qt::SkipEmptyParts))
        m_output->appendPlainText(u"[%1] %2"_s.arg(name, line));
    const ServerProfile profile = m_servers->profile(row);
    const bool switchover = m_restart->isChecked() || profile.afterLoad == ServerProfile::AfterLoad::Restart;
    if (const std::optional<DeployOutcome> outcome = shipDeployOutcome(r, switchover, m_image)) {
        if (const Status recorded = recordDeploy(profile, u"deploy"_s, *outcome, r.bytesSent); !recorded)
            m_output->appendPlainText(u"[%1] %2"_s.arg(name, recorded.failure().sentence()));
        m_deploys->refresh();
    }
}

AskpassReply ShipPage::askUser(const AskpassRequest &request)
{
    // What ssh shows comes partly from the server (a keyboard-interactive text, the host
    // name): every label is plain text, never rich text a server could style or link.
    const auto plainLabels = [](QWidget *dialog) {
        for (QLabel *label : dialog->findChildren<QLabel *>())
            label->setTextFormat(Qt::PlainText);
    };
    if (request.kind == AskpassRequest::HostKey) {
        const QString host = request.host.isEmpty() ? tr("The server") : request.host;
        QMessageBox box(QMessageBox::Warning, tr("Unknown Host Key"),
                        tr("The identity of %1 cannot be checked yet: its host key is not in known_hosts.").arg(host),
                        QMessageBox::NoButton, this);
        box.setTextFormat(Qt::PlainText);
        box.setInformativeText(tr("%1 key fingerprint of %2:\n%3\n\nCompare it with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub). "
                                  "Trust this key and connect?")
                                   .arg(request.keyType, host, request.fingerprint));
        box.setDetailedText(request.prompt);
        box.addButton(tr("Trust and Connect"), QMessageBox::AcceptRole);
        QPushButton *no = box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(no);
        plainLabels(&box);
        box.exec();
        return {true, box.clickedButton() != no ? u"yes"_s : u"no"_s};
    }
    QInputDialog dialog(this);
    dialog.setWindowTitle(tr("SSH Login"));
    dialog.setLabelText(request.prompt.trimmed());
    dialog.setTextEchoMode(QLineEdit::Password);
    plainLabels(&dialog);
    if (dialog.exec() != QDialog::Accepted)
        return {};
    return {true, dialog.textValue()};
}

void ShipPage::saveProfiles() { ServerProfiles::save(m_servers->profiles()); }

void ShipPage::showSecretError(const Failure &failure)
{
    m_message->showMessage(MessageBar::Type::Error, failureText(failure));
    m_message->show();
}

void ShipPage::addServer()
{
    QStringList names;
    for (const auto &p : m_servers->profiles())
        names << p.name;
    ServerDialog dialog(ServerProfile{}, names, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_servers->addProfile(dialog.profile());
    saveProfiles();
    storeServerSecrets(ServerProfile{}, dialog.profile(), dialog.secrets(), this, [this](const Failure &f) { showSecretError(f); });
    m_serverView->selectRow(m_servers->rowCount() - 1);
}

void ShipPage::editServer()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    QStringList names;
    for (const auto &p : m_servers->profiles())
        names << p.name;
    const ServerProfile before = m_servers->profile(rows.constFirst());
    ServerDialog dialog(before, names, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    m_servers->replaceProfile(rows.constFirst(), dialog.profile());
    saveProfiles();
    storeServerSecrets(before, dialog.profile(), dialog.secrets(), this, [this](const Failure &f) { showSecretError(f); });
    updateActions();
}

void ShipPage::removeServer()
{
    const QList<int> rows = selectedRows();
    if (rows.isEmpty())
        return;
    const ServerProfile p = m_servers->profile(rows.constFirst());
    if (QMessageBox::question(this, tr("Remove Server"), tr("Remove %1 from the list? Its stored password is removed from the keychain too.").arg(p.displayName()))
        != QMessageBox::Yes)
        return;
    m_servers->removeProfile(rows.constFirst());
    saveProfiles();
    forgetServerSecrets(p, this, [this](const Failure &f) { showSecretError(f); });
}

} // namespace Gantry
