// SPDX-License-Identifier: MIT
#pragma once

#include "ship/shipper.h"

#include <QAbstractTableModel>

namespace Gantry {

/// The layers of the image being shipped to one server: "already there", "delta: sent 178 KB of
/// 1.4 MB", "whole: 1.4 MB", "sending delta"...
class LayerStateModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { LayerColumn, SizeColumn, StateColumn, ColumnCount };
    explicit LayerStateModel(QObject *parent = nullptr);
    void setLayers(const QList<LayerShipState> &layers);
    QList<LayerShipState> layers() const { return m_layers; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<LayerShipState> m_layers;
};

} // namespace Gantry
