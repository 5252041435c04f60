// SPDX-License-Identifier: MIT
#include "serverpanel.h"

#include "servers/serverlistmodel.h"
#include "ship/serverprofile.h"
#include "ship/shipper.h"
#include "util/format.h"
#include "widgets/rowtable.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString etaText(qint64 s)
{
    if (s < 0)
        return QString();
    return ServerPanel::tr("%1:%2 left").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

ServerPanel::ServerPanel(QWidget *parent)
    : QGroupBox(tr("Ship to servers over SSH"), parent)
    , m_servers(new ServerListModel(this))
{
    setObjectName(u"ServerPanel"_s);
    m_servers->setObjectName(u"ServerListModel"_s);
    QHBoxLayout *serverRow = createServerRow();
    QHBoxLayout *shipRow = createShipRow();
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(u"ShipProgress"_s);
    m_label = new QLabel(tr("Select one or more servers and press Ship: each gets only the layers it does not have yet."), this);
    m_label->setObjectName(u"ShipStatus"_s);
    m_summary = new QLabel(this);
    m_summary->setObjectName(u"ShipSummary"_s);
    m_summary->setWordWrap(true);
    QFont bold = m_summary->font();
    bold.setBold(true);
    m_summary->setFont(bold);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(serverRow, 1);
    layout->addLayout(shipRow);
    layout->addWidget(m_progress);
    layout->addWidget(m_label);
    layout->addWidget(m_summary);

    // The address column fits what it shows ("user@host:port via jump"), within reason.
    fitAddresses();
    connect(m_servers, &QAbstractItemModel::modelReset, this, &ServerPanel::fitAddresses);
    connect(m_servers, &QAbstractItemModel::rowsInserted, this, &ServerPanel::fitAddresses);
    connectButtons();
    updateActions();
}

QHBoxLayout *ServerPanel::createServerRow()
{
    // The server list, with Add, Edit, Remove and Test beside it.
    m_view = makeRowTable(m_servers, this);
    m_view->setObjectName(u"ServerTable"_s);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->horizontalHeader()->resizeSection(ServerListModel::NameColumn, 140);
    m_view->horizontalHeader()->resizeSection(ServerListModel::AddressColumn, 200);
    m_add = new QPushButton(tr("Add…"), this);
    m_edit = new QPushButton(tr("Edit…"), this);
    m_remove = new QPushButton(tr("Remove"), this);
    m_test = new QPushButton(tr("Test Connection"), this);
    auto *buttons = new QVBoxLayout;
    for (QPushButton *b : {m_add, m_edit, m_remove, m_test})
        buttons->addWidget(b);
    buttons->addStretch();
    auto *row = new QHBoxLayout;
    row->addWidget(m_view, 1);
    row->addLayout(buttons);
    return row;
}

QHBoxLayout *ServerPanel::createShipRow()
{
    m_full = new QCheckBox(tr("Send the whole archive (full mode)"), this);
    m_full->setToolTip(tr("By default only the layers a server does not have yet are sent."));
    // Restarting is the server's own setting (its profile's "After loading"), shown and changed here.
    m_restart = new QCheckBox(tr("After loading, (re)start the container"), this);
    m_restart->setObjectName(u"RestartAfterLoad"_s);
    m_restart->setToolTip(tr("The selected server's setting \"After loading\" (also under Edit…), saved with the server."));
    m_ship = new QPushButton(QIcon(u":/icons/ship.svg"_s), tr("Ship"), this);
    m_ship->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    auto *row = new QHBoxLayout;
    row->addWidget(m_full);
    row->addWidget(m_restart);
    row->addStretch();
    row->addWidget(m_ship);
    row->addWidget(m_cancel);
    return row;
}

void ServerPanel::fitAddresses()
{
    m_view->resizeColumnToContents(ServerListModel::AddressColumn);
    auto *header = m_view->horizontalHeader();
    header->resizeSection(ServerListModel::AddressColumn, qBound(200, header->sectionSize(ServerListModel::AddressColumn) + 12, 420));
}

void ServerPanel::connectButtons()
{
    connect(m_add, &QPushButton::clicked, this, &ServerPanel::addRequested);
    connect(m_edit, &QPushButton::clicked, this, &ServerPanel::editRequested);
    connect(m_view, &QTableView::doubleClicked, this, &ServerPanel::editRequested);
    connect(m_remove, &QPushButton::clicked, this, &ServerPanel::removeRequested);
    connect(m_test, &QPushButton::clicked, this, [this] {
        const QList<int> rows = selectedRows();
        if (!rows.isEmpty())
            Q_EMIT testRequested(rows.constFirst());
    });
    connect(m_ship, &QPushButton::clicked, this, [this] { Q_EMIT shipRequested(selectedRows()); });
    connect(m_cancel, &QPushButton::clicked, this, &ServerPanel::cancelRequested);
    connect(m_restart, &QCheckBox::clicked, this, [this](bool checked) { setRestartOfSelected(checked); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        Q_EMIT selectionChanged();
        updateActions();
    });
}

QList<int> ServerPanel::selectedRows() const
{
    QList<int> rows;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        rows << i.row();
    std::sort(rows.begin(), rows.end());
    if (rows.isEmpty() && m_servers->rowCount() == 1)
        rows << 0;
    return rows;
}

void ServerPanel::selectRow(int row) { m_view->selectRow(row); }
bool ServerPanel::fullMode() const { return m_full->isChecked(); }
bool ServerPanel::restartChecked() const { return m_restart->isChecked(); }

void ServerPanel::setState(bool hasImage, bool shipping)
{
    m_hasImage = hasImage;
    m_shipping = shipping;
    updateActions();
}

void ServerPanel::updateActions()
{
    const bool hasRows = !selectedRows().isEmpty();
    m_ship->setEnabled(m_hasImage && hasRows && !m_shipping);
    m_restart->setEnabled(hasRows && !m_shipping);
    updateRestartBox();
    m_cancel->setVisible(m_shipping);
    m_test->setEnabled(hasRows && !m_shipping);
    m_edit->setEnabled(hasRows && !m_shipping);
    m_remove->setEnabled(hasRows && !m_shipping);
    m_add->setEnabled(!m_shipping);
    m_progress->setVisible(m_shipping || !m_summary->text().isEmpty());
}

void ServerPanel::updateRestartBox()
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

void ServerPanel::setRestartOfSelected(bool restart)
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
    Q_EMIT profilesEdited();
    if (!unnamed.isEmpty())
        Q_EMIT restartRefused(unnamed);
    updateRestartBox();
}

void ServerPanel::startShip(const QString &label)
{
    m_summary->clear();
    m_progress->setMaximum(0);
    m_label->setText(label);
}

void ServerPanel::setShipLabel(const QString &text) { m_label->setText(text); }

void ServerPanel::showProgress(const QString &server, const ShipProgress &p)
{
    if (p.phase == ShipProgress::Uploading && p.toSend > 0) {
        m_progress->setMaximum(1000);
        m_progress->setValue(int(qMin<qint64>(1000, p.sent * 1000 / p.toSend)));
        m_label->setText(tr("%1: %2 of %3 — %4/s %5")
                             .arg(server, formatBytes(p.sent), formatBytes(p.toSend), formatBytes(qint64(p.bytesPerSecond)),
                                  etaText(p.etaSeconds)));
        m_summary->setText(p.message);
    } else {
        m_progress->setMaximum(p.phase == ShipProgress::Done ? 1000 : 0);
        m_progress->setValue(p.phase == ShipProgress::Done ? 1000 : 0);
        m_label->setText(u"%1: %2"_s.arg(server, p.message));
    }
}

void ServerPanel::showLoaded(const QString &summary, const QString &label)
{
    m_summary->setText(summary);
    m_progress->setMaximum(1000);
    m_progress->setValue(1000);
    m_label->setText(label);
}

} // namespace Gantry
