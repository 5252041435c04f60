// SPDX-License-Identifier: MIT
#include "layerstatemodel.h"

#include "ship/shellquote.h"

#include <QBrush>
#include <QColor>

using namespace Qt::StringLiterals;

namespace Gantry {

LayerStateModel::LayerStateModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void LayerStateModel::setLayers(const QList<LayerShipState> &layers)
{
    if (layers.size() == m_layers.size()) {
        m_layers = layers;
        if (!m_layers.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(int(m_layers.size()) - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_layers = layers;
    endResetModel();
}

void LayerStateModel::setOutcome(Outcome outcome)
{
    if (m_outcome == outcome)
        return;
    m_outcome = outcome;
    if (!m_layers.isEmpty())
        Q_EMIT dataChanged(index(0, StateColumn), index(int(m_layers.size()) - 1, StateColumn));
}

QString LayerStateModel::stateText(int row) const
{
    const LayerShipState &l = m_layers.at(row);
    const bool unsent = l.state == LayerShipState::Pending || l.state == LayerShipState::Sending;
    if (unsent && m_outcome == Outcome::Failed)
        return tr("not sent (the ship failed)");
    if (unsent && m_outcome == Outcome::Cancelled)
        return tr("not sent (cancelled)");
    return l.describe();
}

int LayerStateModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_layers.size()); }
int LayerStateModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LayerStateModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const LayerShipState &l = m_layers.at(index.row());
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case LayerColumn: return u"%1  %2"_s.arg(index.row() + 1).arg(l.diffId.mid(7, 12));
        case SizeColumn: return formatBytes(l.compressedSize);
        case StateColumn: return stateText(index.row());
        }
    } else if (role == Qt::ToolTipRole) {
        return l.note.isEmpty() ? l.diffId : l.diffId + u'\n' + l.note;
    } else if (role == Qt::TextAlignmentRole && index.column() == SizeColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    } else if (role == Qt::ForegroundRole && index.column() == StateColumn) {
        switch (l.state) {
        case LayerShipState::Verified: return QBrush(QColor(0x2e, 0x7d, 0x32));
        case LayerShipState::Sending:
            if (m_outcome != Outcome::Running)
                return QBrush(QColor(0xb3, 0x26, 0x1e));
            return QBrush(QColor(0x15, 0x65, 0xc0));
        case LayerShipState::AlreadyThere:
        case LayerShipState::InEngine: return QBrush(QColor(0x61, 0x61, 0x61));
        case LayerShipState::Pending:
            if (m_outcome != Outcome::Running)
                return QBrush(QColor(0xb3, 0x26, 0x1e));
            break;
        }
    }
    return {};
}

QVariant LayerStateModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LayerColumn: return tr("Layer");
    case SizeColumn: return tr("Compressed");
    case StateColumn: return tr("State");
    }
    return {};
}

} // namespace Gantry
