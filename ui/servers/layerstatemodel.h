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
    /// How the ship ended: after a failure or a cancel, layers still waiting or being sent
    /// show "not sent" instead of "waiting".
    enum class Outcome { Running, Failed, Cancelled };
    void setOutcome(Outcome outcome);
    /// The State column's text for a row (what the table shows).
    QString stateText(int row) const;
    QList<LayerShipState> layers() const { return m_layers; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<LayerShipState> m_layers;
    Outcome m_outcome = Outcome::Running;
};

} // namespace Gantry
