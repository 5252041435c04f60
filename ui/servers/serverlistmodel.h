// SPDX-License-Identifier: MIT
#pragma once

#include "ship/serverprofile.h"
#include "ship/shipper.h"

#include <QAbstractTableModel>

namespace Gantry {

/// The server profiles and, per server, the state of the current (or last) ship.
class ServerListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, AddressColumn, StatusColumn, ColumnCount };
    explicit ServerListModel(QObject *parent = nullptr);

    void setProfiles(const QList<ServerProfile> &profiles);
    QList<ServerProfile> profiles() const { return m_profiles; }
    ServerProfile profile(int row) const { return m_profiles.value(row); }
    void addProfile(const ServerProfile &profile);
    void replaceProfile(int row, const ServerProfile &profile);
    void removeProfile(int row);
    int indexOfName(const QString &name) const;

    void setStatus(int row, const QString &status, int percent = -1);
    void setProgress(int row, const ShipProgress &progress);
    ShipProgress progress(int row) const { return m_state.value(row).progress; }
    QString status(int row) const { return m_state.value(row).status; }
    void clearStatus();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct State
    {
        QString status;
        int percent = -1;
        ShipProgress progress;
    };
    QList<ServerProfile> m_profiles;
    QList<State> m_state;
};

} // namespace Gantry
