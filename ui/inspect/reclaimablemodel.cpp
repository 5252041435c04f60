// SPDX-License-Identifier: MIT
#include "reclaimablemodel.h"

#include "image/reportformat.h"

using namespace Qt::StringLiterals;

namespace Gantry {

void ReclaimableModel::setReport(const ImageReport &report)
{
    beginResetModel();
    m_items = report.reclaimable;
    endResetModel();
}

int ReclaimableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

int ReclaimableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ReclaimableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ReclaimableItem &i = m_items.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Size: return formatBytes(i.size);
        case Path: return i.path;
        case Layer: return i.layer;
        case Reason:
            switch (i.reason) {
            case ReclaimableItem::Reason::Overwritten: return tr("overwritten in layer %1").arg(i.byLayer);
            case ReclaimableItem::Reason::Deleted: return tr("deleted in layer %1").arg(i.byLayer);
            case ReclaimableItem::Reason::HiddenByOpaqueDirectory: return tr("hidden by an opaque folder in layer %1").arg(i.byLayer);
            }
        }
    } else if (role == Qt::TextAlignmentRole && (index.column() == Size || index.column() == Layer)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == LayerRole) {
        return i.layer;
    } else if (role == PathRole) {
        return i.path;
    }
    return {};
}

QVariant ReclaimableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Size: return tr("Size");
    case Path: return tr("Path");
    case Layer: return tr("In layer");
    case Reason: return tr("Why it is dead weight");
    }
    return {};
}

} // namespace Gantry
