// SPDX-License-Identifier: MIT
#include "layerchartview.h"

#include "chartstyle.h"
#include "layerchartmodel.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QEvent>
#include <QHorizontalStackedBarSeries>
#include <QVBarModelMapper>
#include <QValueAxis>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

const QColor barColor(0x3d, 0x7e, 0xc9);
const QColor selectedColor(0xe0, 0x8a, 0x1e);

} // namespace

LayerChartView::LayerChartView(QWidget *parent)
    : QChartView(parent)
    , m_series(new QHorizontalStackedBarSeries)
    , m_mapper(new QVBarModelMapper(this))
    , m_categories(new QBarCategoryAxis)
    , m_values(new QValueAxis)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumHeight(180);
    QChart *chart = this->chart();
    applyPaletteToChart(chart, palette()); // the theme, while the chart is empty
    chart->legend()->hide();
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_series->setBarWidth(0.75);
    chart->addSeries(m_series);
    chart->addAxis(m_categories, Qt::AlignLeft);
    m_series->attachAxis(m_categories);
    m_values->setLabelFormat(u"%.0f"_s);
    m_values->setMin(0);
    chart->addAxis(m_values, Qt::AlignBottom);
    m_series->attachAxis(m_values);
    applyFonts();
    applyPaletteToChart(chart, palette());

    m_mapper->setFirstBarSetColumn(LayerChartModel::Size);
    m_mapper->setLastBarSetColumn(LayerChartModel::Stub);
    m_mapper->setSeries(m_series);
    connect(m_series, &QAbstractBarSeries::clicked, this, [this](int index, QBarSet *) { Q_EMIT layerClicked(index); });
    connect(m_series, &QAbstractBarSeries::hovered, this, [this](bool status, int index, QBarSet *) {
        if (status && m_model && index >= 0 && index < m_model->rowCount())
            setToolTip(m_model->index(index, LayerChartModel::Size).data(Qt::ToolTipRole).toString());
    });
}

void LayerChartView::setModel(LayerChartModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_mapper->setModel(model);
    // After the mapper's own handler (connected by setModel): the bar sets are new by then.
    connect(model, &QAbstractItemModel::modelReset, this, &LayerChartView::modelReset);
    modelReset();
}

void LayerChartView::modelReset()
{
    const auto sets = m_series->barSets();
    for (int i = 0; i < sets.size(); ++i) {
        QBarSet *set = sets.at(i);
        QColor color = barColor;
        if (i == LayerChartModel::Stub) {
            color.setAlpha(0x80);
            set->setBorderColor(Qt::transparent);
        }
        set->setColor(color);
        set->setSelectedColor(selectedColor);
    }
    QStringList categories;
    const QFontMetrics labelMetrics(font());
    const int rows = m_model ? m_model->rowCount() : 0;
    double longest = 0;
    for (int row = 0; row < rows; ++row) {
        categories << labelMetrics.elidedText(m_model->headerData(row, Qt::Vertical).toString(), Qt::ElideMiddle, 230);
        longest = std::max(longest, m_model->index(row, LayerChartModel::Size).data().toDouble()
                                        + m_model->index(row, LayerChartModel::Stub).data().toDouble());
    }
    m_categories->setCategories(categories);
    // An axis attached before its series had data keeps its first range: set it from the bars.
    m_values->setRange(0, longest > 0 ? longest : 1);
    m_values->applyNiceNumbers(); // 0, 300, 600, … rather than 0, 289, 577, …
    m_values->setTitleText(m_model ? m_model->unitName() : QString());
    chart()->setTitle({});
    // Qt Charts cuts a category label that is taller than its band to "…": give each layer room.
    setMinimumHeight(std::clamp(rows * 24 + 80, 180, 520));
}

void LayerChartView::selectLayer(int layer, const QString &title)
{
    const auto sets = m_series->barSets();
    for (QBarSet *set : sets) {
        set->deselectAllBars();
        set->selectBar(layer);
    }
    chart()->setTitle(title);
}

void LayerChartView::applyFonts()
{
    QFont labelFont = font();
    labelFont.setPointSizeF(std::max(6.5, labelFont.pointSizeF() - 1.5));
    m_categories->setLabelsFont(labelFont);
    m_values->setLabelsFont(labelFont);
    QFont titleFont = font();
    titleFont.setPointSizeF(std::max(7.0, titleFont.pointSizeF() - 0.5));
    chart()->setTitleFont(titleFont);
}

void LayerChartView::changeEvent(QEvent *event)
{
    QChartView::changeEvent(event);
    // A palette change is followed by the page, for all its charts (InspectPage::changeEvent).
    if (event->type() == QEvent::FontChange)
        applyFonts();
}

} // namespace Gantry
