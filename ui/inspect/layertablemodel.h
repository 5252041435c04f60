// SPDX-License-Identifier: MIT
#pragma once

#include "image/imagereport.h"

#include <QAbstractTableModel>
#include <QHash>

namespace Gantry {

/// The layer stack: one row per layer.
class LayerTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Index, Instruction, Size, Compressed, Entries, Added, Modified, Removed, Reclaimable, ColumnCount };
    enum Role {
        BytesRole = Qt::UserRole,   ///< Size, Compressed, Reclaimable: the number of bytes
        LabelRole,                  ///< any column: what the layer holds, "/app/ledger · 3.7 MB"
        CreatedByRole,              ///< any column: the history line that made the layer
    };
    using QAbstractTableModel::QAbstractTableModel;

    void setReport(const ImageReport &report);
    /// Compressed sizes measured elsewhere (gzip, as shipping sends them), by diff id: shown
    /// for layers whose archive did not hold them compressed. Kept across setReport().
    void setMeasuredCompressedSizes(const QHash<QString, qint64> &byDiffId);
    /// The compressed size shown for a row: the archive's, else the measured one, else -1.
    qint64 compressedSize(int row) const;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "RUN cargo build …" from a history line.
    static QString shortInstruction(const QString &createdBy);

private:
    QList<LayerReport> m_layers;
    QStringList m_labels;   ///< layerLabel() of each layer: it needs the whole report
    QHash<QString, qint64> m_measured;
};

} // namespace Gantry
