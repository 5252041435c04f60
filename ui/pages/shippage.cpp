// SPDX-License-Identifier: MIT
#include "shippage.h"

#include "ship/deployrecord.h"
#include "servers/deployspanel.h"
#include "servers/exportpanel.h"
#include "servers/layerstatemodel.h"
#include "ship/containersecrets.h"
#include "servers/serverdetailpanel.h"
#include "servers/serverdialog.h"
#include "servers/serverlistmodel.h"
#include "servers/serverpanel.h"
#include "ship/shipjobs.h"
#include "widgets/emptystate.h"
#include "widgets/failuretext.h"
#include "widgets/messagebar.h"

#include <QDir>
#include <QInputDialog>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

ShipPage::ShipPage(QWidget *parent)
    : QWidget(parent)
    , m_stack(new QStackedWidget(this))
    , m_empty(new EmptyStateWidget(QIcon(u":/icons/ship.svg"_s), tr("Nothing to ship yet"),
                                   tr("Build an image, then export it to a compressed archive or send it to your server over SSH — only the layers the server does not have yet."), this))
    , m_message(new MessageBar(this))
    , m_shipJob(new ShipJob(this))
{
    connect(m_empty->addAction(tr("Go to Build"), true), &QPushButton::clicked, this, &ShipPage::buildRequested);
    m_stack->addWidget(m_empty);
    m_stack->addWidget(createContent());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_message);
    layout->addWidget(m_stack);
    m_message->hide();

    m_servers->setProfiles(ServerProfiles::load());
    connectServerPanel();
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
    m_serverPanel = new ServerPanel(content);
    m_servers = m_serverPanel->servers();
    m_detail = new ServerDetailPanel(content);

    auto *vertical = new QSplitter(Qt::Vertical, content);
    m_deploys = new DeploysPanel(vertical); // full width: its columns (image, id, sent, switch) need the room
    vertical->addWidget(m_serverPanel);
    vertical->addWidget(m_detail);
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

void ShipPage::connectServerPanel()
{
    connect(m_serverPanel, &ServerPanel::addRequested, this, &ShipPage::addServer);
    connect(m_serverPanel, &ServerPanel::editRequested, this, &ShipPage::editServer);
    connect(m_serverPanel, &ServerPanel::removeRequested, this, &ShipPage::removeServer);
    connect(m_serverPanel, &ServerPanel::testRequested, this, &ShipPage::testConnection);
    connect(m_serverPanel, &ServerPanel::shipRequested, this, &ShipPage::shipTo);
    connect(m_serverPanel, &ServerPanel::cancelRequested, m_shipJob, &ShipJob::cancel);
    connect(m_serverPanel, &ServerPanel::selectionChanged, this, [this] {
        const QList<int> rows = m_serverPanel->selectedRows();
        showLayersOf(rows.isEmpty() ? -1 : rows.constFirst());
        m_deploys->setServer(rows.isEmpty() ? ServerProfile() : m_servers->profile(rows.constFirst()));
    });
    connect(m_serverPanel, &ServerPanel::profilesEdited, this, &ShipPage::saveProfiles);
    connect(m_serverPanel, &ServerPanel::restartRefused, this, [this](const QStringList &unnamed) {
        m_message->showMessage(MessageBar::Type::Warning,
                               tr("%1 has no container name, so Gantry cannot (re)start it: press Edit… and enter one.")
                                   .arg(unnamed.join(u", "_s)));
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
        if (outcome)
            m_message->hide();
        else if (!outcome.failure().cancelled())
            m_message->showMessage(MessageBar::Type::Error, failureText(outcome.failure()));
        setBusy(m_shipJob->isRunning());
        updateActions();
        Q_EMIT exportFinished(bool(outcome));
    });
}

void ShipPage::connectShipJob()
{
    m_shipJob->setResponder([this](const AskpassRequest &r) { return askUser(r); });
    m_deploys->setResponder([this](const AskpassRequest &r) { return askUser(r); });
    connect(m_shipJob, &ShipJob::preparing, m_serverPanel, &ServerPanel::setShipLabel);
    connect(m_shipJob, &ShipJob::progress, this, &ShipPage::onShipProgress);
    connect(m_shipJob, &ShipJob::serverFinished, this, &ShipPage::onServerFinished);
    connect(m_shipJob, &ShipJob::failed, this, [this](const Failure &failure) {
        m_message->showMessage(MessageBar::Type::Error, failureText(failure));
        m_serverPanel->setShipLabel(failure.sentence());
    });
    connect(m_shipJob, &ShipJob::connectionTested, this, [this](bool ok, const QString &message) {
        m_message->showMessage(ok ? MessageBar::Type::Positive : MessageBar::Type::Error, message);
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

void ShipPage::updateActions() { m_serverPanel->setState(hasImage(), m_shipJob->isRunning()); }

void ShipPage::exportImage() { m_export->chooseFileAndExport(); }

void ShipPage::exportImageTo(const QString &path, Compression compression) { m_export->exportTo(path, compression); }

void ShipPage::shipImage()
{
    shipTo(m_serverPanel->selectedRows());
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
    options.mode = m_serverPanel->fullMode() ? ShipMode::Full : ShipMode::Delta;
    options.restart = false; // each server's profile decides (the panel's box shows and changes it)
    m_detail->clearOutput();
    m_detail->setOutcome(LayerStateModel::Outcome::Running);
    m_serverPanel->startShip(tr("Preparing %1…").arg(m_image));
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
    m_detail->setLayers(row >= 0 ? m_servers->progress(row).layers : QList<LayerShipState>());
    const QString status = row >= 0 ? m_servers->status(row) : QString();
    m_detail->setOutcome(status.startsWith(tr("failed")) ? LayerStateModel::Outcome::Failed
                         : status == tr("cancelled")     ? LayerStateModel::Outcome::Cancelled
                                                         : LayerStateModel::Outcome::Running);
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
        m_detail->setLayers(p.layers);
        m_serverPanel->showProgress(m_servers->profile(row).displayName(), p);
    }
}

void ShipPage::onServerFinished(int index, const ShipResult &r)
{
    const int row = m_shipRows.value(index, -1);
    const QString name = m_servers->profile(row).displayName();
    if (r.ok()) {
        m_servers->setStatus(row, tr("done: %1").arg(r.summary()));
        m_serverPanel->showLoaded(m_shipRows.size() == 1 ? r.summary() : tr("%1: %2").arg(name, r.summary()),
                                  tr("%1: loaded %2").arg(name, r.loadedImage.isEmpty() ? m_image : r.loadedImage));
    } else {
        m_servers->setStatus(row, r.cancelled() ? tr("cancelled") : tr("failed: %1").arg(r.error()));
        // What was not sent says so, instead of "waiting" for ever.
        if (row == m_shownRow || m_shipRows.size() == 1)
            m_detail->setOutcome(r.cancelled() ? LayerStateModel::Outcome::Cancelled : LayerStateModel::Outcome::Failed);
        m_message->showMessage(r.cancelled() ? MessageBar::Type::Warning : MessageBar::Type::Error,
                               u"%1: %2"_s.arg(name, failureText(*r.failure)));
        m_serverPanel->setShipLabel(r.error());
    }
    for (const QString &line : r.remoteOutput.trimmed().split(u'\n', Qt::SkipEmptyParts))
        m_detail->appendOutput(name, line);
    const ServerProfile profile = m_servers->profile(row);
    const bool switchover = m_serverPanel->restartChecked() || profile.afterLoad == ServerProfile::AfterLoad::Restart;
    if (const std::optional<DeployOutcome> outcome = shipDeployOutcome(r, switchover, m_image)) {
        if (const Status recorded = recordDeploy(profile, u"deploy"_s, *outcome, r.bytesSent); !recorded)
            m_detail->appendOutput(name, recorded.failure().sentence());
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
    m_serverPanel->selectRow(m_servers->rowCount() - 1);
}

void ShipPage::editServer()
{
    const QList<int> rows = m_serverPanel->selectedRows();
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
    const QList<int> rows = m_serverPanel->selectedRows();
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
