// SPDX-License-Identifier: MIT
#include "serverlistmodel.h"

using namespace Qt::StringLiterals;

namespace Gantry {

ServerListModel::ServerListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ServerListModel::setProfiles(const QList<ServerProfile> &profiles)
{
    beginResetModel();
    m_profiles = profiles;
    m_state = QList<State>(profiles.size());
    endResetModel();
}

void ServerListModel::addProfile(const ServerProfile &profile)
{
    beginInsertRows({}, int(m_profiles.size()), int(m_profiles.size()));
    m_profiles << profile;
    m_state << State{};
    endInsertRows();
}

void ServerListModel::replaceProfile(int row, const ServerProfile &profile)
{
    if (row < 0 || row >= m_profiles.size())
        return;
    m_profiles[row] = profile;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void ServerListModel::removeProfile(int row)
{
    if (row < 0 || row >= m_profiles.size())
        return;
    beginRemoveRows({}, row, row);
    m_profiles.removeAt(row);
    m_state.removeAt(row);
    endRemoveRows();
}

int ServerListModel::indexOfName(const QString &name) const
{
    for (int i = 0; i < m_profiles.size(); ++i)
        if (m_profiles.at(i).name == name)
            return i;
    return -1;
}

void ServerListModel::setStatus(int row, const QString &status, int percent)
{
    if (row < 0 || row >= m_state.size())
        return;
    m_state[row].status = status;
    m_state[row].percent = percent;
    Q_EMIT dataChanged(index(row, StatusColumn), index(row, StatusColumn));
}

void ServerListModel::setProgress(int row, const ShipProgress &progress)
{
    if (row < 0 || row >= m_state.size())
        return;
    m_state[row].progress = progress;
    const int percent = progress.toSend > 0 ? int(progress.sent * 100 / progress.toSend) : -1;
    setStatus(row, progress.message, progress.phase == ShipProgress::Uploading ? percent : -1);
}

void ServerListModel::clearStatus()
{
    for (auto &s : m_state)
        s = State{};
    if (!m_state.isEmpty())
        Q_EMIT dataChanged(index(0, StatusColumn), index(int(m_state.size()) - 1, StatusColumn));
}

int ServerListModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_profiles.size()); }
int ServerListModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ServerListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ServerProfile &p = m_profiles.at(index.row());
    const State &s = m_state.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case NameColumn: return p.displayName();
        case AddressColumn:
            return p.jumpHost.trimmed().isEmpty() ? u"%1:%2"_s.arg(p.destination()).arg(p.port)
                                                  : tr("%1:%2 via %3").arg(p.destination()).arg(p.port).arg(p.jumpHost.trimmed());
        case StatusColumn:
            if (s.percent >= 0)
                return u"%1% — %2"_s.arg(s.percent).arg(s.status);
            return s.status;
        }
    } else if (role == Qt::ToolTipRole) {
        const QString tip = tr("Folder on the server: %1\nDocker: %2").arg(p.remoteDir, p.dockerCommand);
        return p.jumpHost.trimmed().isEmpty() ? tip : tip + u'\n' + tr("Through the jump host: %1").arg(p.jumpHost.trimmed());
    }
    return {};
}

QVariant ServerListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn: return tr("Server");
    case AddressColumn: return tr("Address");
    case StatusColumn: return tr("Status");
    }
    return {};
}

} // namespace Gantry
