// SPDX-License-Identifier: MIT
#include "layertablemodel.h"

#include "image/layerlabel.h"
#include "image/reportformat.h"

using namespace Qt::StringLiterals;

namespace Gantry {

void LayerTableModel::setReport(const ImageReport &report)
{
    beginResetModel();
    m_layers = report.layers;
    m_labels.clear();
    for (int i = 0; i < m_layers.size(); ++i)
        m_labels << layerLabel(report, i);
    endResetModel();
}

void LayerTableModel::setMeasuredCompressedSizes(const QHash<QString, qint64> &byDiffId)
{
    for (auto it = byDiffId.cbegin(); it != byDiffId.cend(); ++it)
        if (it.value() > 0)
            m_measured.insert(it.key(), it.value());
    if (!m_layers.isEmpty())
        Q_EMIT dataChanged(index(0, Compressed), index(int(m_layers.size()) - 1, Compressed));
}

qint64 LayerTableModel::compressedSize(int row) const
{
    if (row < 0 || row >= m_layers.size())
        return -1;
    const LayerReport &l = m_layers.at(row);
    return l.compressedSize >= 0 ? l.compressedSize : m_measured.value(l.diffId, -1);
}

int LayerTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_layers.size());
}

int LayerTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString LayerTableModel::shortInstruction(const QString &createdBy)
{
    QString s = createdBy.simplified();
    if (s.startsWith(u"/bin/sh -c #(nop) "_s))
        s = s.mid(18).trimmed();
    else if (s.startsWith(u"/bin/sh -c "_s))
        s = u"RUN "_s + s.mid(11);
    else if (s.startsWith(u"RUN /bin/sh -c "_s))
        s = u"RUN "_s + s.mid(15);
    s.remove(u" # buildkit"_s);
    return s.isEmpty() ? tr("(no instruction recorded)") : s;
}

QVariant LayerTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LayerReport &l = m_layers.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Index: return l.index;
        case Size: return formatBytes(l.size);
        case Compressed: return compressedSize(index.row()) >= 0 ? formatBytes(compressedSize(index.row())) : u"—"_s;
        case Entries: return l.entries;
        case Added: return l.added;
        case Modified: return l.modified;
        case Removed: return l.removed;
        case Reclaimable: return l.reclaimableBytes > 0 ? formatBytes(l.reclaimableBytes) : QString();
        case Instruction: return shortInstruction(l.createdBy);
        }
    } else if (role == LabelRole) {
        return m_labels.value(index.row());
    } else if (role == CreatedByRole) {
        return l.createdBy;
    } else if (role == BytesRole) {
        switch (index.column()) {
        case Size: return l.size;
        case Compressed: return compressedSize(index.row());
        case Reclaimable: return l.reclaimableBytes;
        default: return data(index, Qt::DisplayRole);
        }
    } else if (role == Qt::ToolTipRole && index.column() == Compressed) {
        if (l.compressedSize >= 0)
            return tr("As stored in the archive (%1)").arg(l.compression);
        if (m_measured.contains(l.diffId))
            return tr("gzip size, measured when the image was shipped: what a transfer sends");
        return tr("This archive holds the layer uncompressed. Shipping or exporting measures what it costs compressed.");
    } else if (role == Qt::ToolTipRole && index.column() == Instruction) {
        return l.createdBy;
    } else if (role == Qt::ToolTipRole && index.column() == Index) {
        return tr("Digest: %1\nDiff ID: %2\nCompression: %3").arg(l.digest, l.diffId, l.compression);
    } else if (role == Qt::TextAlignmentRole && index.column() != Instruction) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
}

QVariant LayerTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Index: return tr("#");
    case Size: return tr("Size");
    case Compressed: return tr("Compressed");
    case Entries: return tr("Entries");
    case Added: return tr("Added");
    case Modified: return tr("Modified");
    case Removed: return tr("Removed");
    case Reclaimable: return tr("Reclaimable");
    case Instruction: return tr("Instruction");
    }
    return {};
}

} // namespace Gantry
