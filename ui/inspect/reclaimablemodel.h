// SPDX-License-Identifier: MIT
#pragma once

#include "image/imagereport.h"

#include <QAbstractTableModel>

namespace Gantry {

/// The dead copies a better Dockerfile would not ship: size, path, the layer holding the
/// copy and the layer that overwrote, deleted or hid it.
class ReclaimableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Size, Path, Layer, Reason, ColumnCount };
    enum Role { LayerRole = Qt::UserRole + 1, PathRole };
    using QAbstractTableModel::QAbstractTableModel;

    void setReport(const ImageReport &report);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<ReclaimableItem> m_items;
};

} // namespace Gantry
