// SPDX-License-Identifier: MIT
#pragma once

#include <QChartView>

class QBarCategoryAxis;
class QBarSet;
class QHorizontalStackedBarSeries;
class QVBarModelMapper;
class QValueAxis;

namespace Gantry {

class LayerChartModel;

/// The layer chart: one horizontal bar per layer, labelled by what it holds
/// ("3  /app/ledger · 3.7 MB"), stacked as the image stacks them (the base at the bottom).
/// Its bars come from a LayerChartModel through a QVBarModelMapper (column Size, then
/// Stub), so a new report in the layer table redraws it by itself.
class LayerChartView : public QChartView
{
    Q_OBJECT
public:
    explicit LayerChartView(QWidget *parent = nullptr);

    void setModel(LayerChartModel *model);
    LayerChartModel *model() const { return m_model; }
    /// Marks the layer's bar and writes its instruction as the chart's title.
    void selectLayer(int layer, const QString &title);

Q_SIGNALS:
    /// A click on a layer's bar (or on the stub that keeps a tiny layer visible).
    void layerClicked(int layer);

protected:
    void changeEvent(QEvent *event) override;

private:
    /// After the model is reset: the mapper made new bar sets; style them and relabel.
    void modelReset();
    void applyFonts();

    LayerChartModel *m_model = nullptr;
    QHorizontalStackedBarSeries *m_series;
    QVBarModelMapper *m_mapper;
    QBarCategoryAxis *m_categories;
    QValueAxis *m_values;
};

} // namespace Gantry
