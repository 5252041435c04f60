// SPDX-License-Identifier: MIT
#include "chartstyle.h"

#include <QAbstractAxis>
#include <QChart>

using namespace Qt::StringLiterals;

namespace Gantry {

void applyPaletteToChart(QChart *chart, const QPalette &palette)
{
    const bool dark = palette.color(QPalette::Window).lightness() < 128;
    // A theme recolours every series: set it while the chart is still empty (series added
    // later keep the colours they were given).
    if (chart->series().isEmpty())
        chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundBrush(palette.color(QPalette::Base));
    chart->setBackgroundRoundness(0);
    chart->setTitleBrush(palette.color(QPalette::Text));
    const auto axes = chart->axes();
    for (QAbstractAxis *axis : axes) {
        axis->setLabelsColor(palette.color(QPalette::Text));
        axis->setTitleBrush(palette.color(QPalette::Text));
        QColor grid = palette.color(QPalette::Mid);
        grid.setAlpha(dark ? 160 : 110);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(palette.color(QPalette::Mid));
    }
}

QString timeAxisFormat(const QDateTime &first, const QDateTime &last)
{
    const qint64 span = first.secsTo(last);
    if (span < 2 * 3600)
        return u"hh:mm:ss"_s;
    if (span < 2 * 86400)
        return u"ddd hh:mm"_s;
    return u"MMM d"_s;
}

qint64 timeAxisPaddingSecs(const QDateTime &first, const QDateTime &last)
{
    return std::max<qint64>(30, first.secsTo(last) / 20);
}

} // namespace Gantry
