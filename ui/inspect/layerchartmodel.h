// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <QPointer>

namespace Gantry {

class LayerTableModel;

/// The layer table as the layer chart draws it: one row per layer, one column per bar set,
/// numbers in one unit (bytes, kB or MB, whichever suits the largest layer). A QVBarModelMapper
/// reads it; it follows its source model (a new report, or a cleared one) by itself.
///
/// Column Size holds the layer's size; column Stub pads a layer of a few bytes up to 1.2 %
/// of the largest, so that every layer has a bar to see and to click. The vertical header
/// is the layer's label: "3  /app/ledger · 3.7 MB" (its number first: the chart's
/// categories must be unique).
class LayerChartModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Size, Stub, ColumnCount };
    explicit LayerChartModel(QObject *parent = nullptr);

    void setSourceModel(LayerTableModel *source);
    LayerTableModel *sourceModel() const;
    /// 1, 1e3 or 1e6: what one unit of the Size column is in bytes.
    double unit() const { return m_unit; }
    /// "bytes", "kB" or "MB".
    QString unitName() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void sourceReset();
    qint64 bytes(int row) const;

    QPointer<LayerTableModel> m_source;
    double m_unit = 1.0;
    double m_minVisible = 0.0;
};

} // namespace Gantry
