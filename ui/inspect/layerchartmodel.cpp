// SPDX-License-Identifier: MIT
#include "layerchartmodel.h"

#include "layertablemodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry {

LayerChartModel::LayerChartModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void LayerChartModel::setSourceModel(LayerTableModel *source)
{
    if (m_source)
        disconnect(m_source, nullptr, this, nullptr);
    m_source = source;
    if (m_source) {
        // The layers change only by a reset (a new report); the compressed sizes that change
        // in place are not drawn.
        connect(m_source, &QAbstractItemModel::modelAboutToBeReset, this, &LayerChartModel::beginResetModel);
        connect(m_source, &QAbstractItemModel::modelReset, this, &LayerChartModel::sourceReset);
        connect(m_source, &QObject::destroyed, this, [this] {
            beginResetModel();
            sourceReset();
        });
    }
    beginResetModel();
    sourceReset();
}

LayerTableModel *LayerChartModel::sourceModel() const
{
    return m_source;
}

void LayerChartModel::sourceReset()
{
    qint64 largest = 1;
    for (int row = 0; row < rowCount(); ++row)
        largest = std::max(largest, bytes(row));
    m_unit = largest >= 10'000'000 ? 1e6 : largest >= 10'000 ? 1e3 : 1.0;
    m_minVisible = double(largest) / m_unit * 0.012;
    endResetModel();
}

QString LayerChartModel::unitName() const
{
    return m_unit == 1e6 ? u"MB"_s : m_unit == 1e3 ? u"kB"_s : u"bytes"_s;
}

qint64 LayerChartModel::bytes(int row) const
{
    return m_source->index(row, LayerTableModel::Size).data(LayerTableModel::BytesRole).toLongLong();
}

int LayerChartModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_source ? 0 : m_source->rowCount();
}

int LayerChartModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant LayerChartModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const double value = double(bytes(index.row())) / m_unit;
    if (role == Qt::DisplayRole || role == Qt::EditRole)
        return index.column() == Size ? value : std::max(0.0, m_minVisible - value);
    if (role == Qt::ToolTipRole) {
        const QModelIndex layer = m_source->index(index.row(), LayerTableModel::Index);
        return tr("Layer %1: %2\n%3")
            .arg(index.row())
            .arg(layer.data(LayerTableModel::LabelRole).toString(), layer.data(LayerTableModel::CreatedByRole).toString());
    }
    return {};
}

QVariant LayerChartModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Horizontal) {
        switch (section) {
        case Size: return tr("Size");
        case Stub: return tr("Small layer");
        }
        return {};
    }
    if (section < 0 || section >= rowCount())
        return {};
    return u"%1  %2"_s.arg(section).arg(m_source->index(section, LayerTableModel::Index).data(LayerTableModel::LabelRole).toString());
}

} // namespace Gantry
