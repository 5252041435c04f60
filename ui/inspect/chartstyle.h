// SPDX-License-Identifier: MIT
#pragma once

#include <QDateTime>
#include <QPalette>
#include <QString>

class QChart;

namespace Gantry {

/// Charts follow the window's colours: a dark palette gets Qt Charts' dark theme with the
/// window's own background, so a chart is never a white box in dark mode. Call it on the
/// new, empty chart (the theme) and again once its axes are there (their colours).
void applyPaletteToChart(QChart *chart, const QPalette &palette);

/// A date-time axis format that tells points apart over a span: seconds for builds minutes
/// apart, the day for builds days apart.
QString timeAxisFormat(const QDateTime &first, const QDateTime &last);

/// Padding around a time span so the first and last points are not on the chart's edge:
/// 5 % of the span, at least 30 seconds.
qint64 timeAxisPaddingSecs(const QDateTime &first, const QDateTime &last);

} // namespace Gantry
