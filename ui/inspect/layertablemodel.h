// SPDX-License-Identifier: MIT
#pragma once

#include "image/imagereport.h"

#include <QAbstractTableModel>

namespace Gantry {

/// The layer stack: one row per layer.
class LayerTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Index, Instruction, Size, Compressed, Entries, Added, Modified, Removed, Reclaimable, ColumnCount };
    using QAbstractTableModel::QAbstractTableModel;

    void setReport(const ImageReport &report);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "RUN cargo build …" from a history line.
    static QString shortInstruction(const QString &createdBy);

private:
    QList<LayerReport> m_layers;
};

} // namespace Gantry
