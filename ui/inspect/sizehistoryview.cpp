// SPDX-License-Identifier: MIT
#include "sizehistoryview.h"

#include "chartstyle.h"
#include "util/jobtracker.h"
#include "widgets/failuretext.h"
#include "widgets/wording.h"

#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLineSeries>
#include <QScatterSeries>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace Gantry {

SizeHistoryView::SizeHistoryView(QWidget *parent)
    : QWidget(parent)
    , m_note(new QLabel(this))
    , m_chart(new QChartView(this))
    , m_jobs(new JobTracker(this))
{
    m_note->setObjectName(u"HistoryNote"_s);
    m_note->setWordWrap(true);
    m_chart->setObjectName(u"HistoryChart"_s);
    m_chart->setRenderHint(QPainter::Antialiasing);
    auto *l = new QVBoxLayout(this);
    l->addWidget(m_note);
    l->addWidget(m_chart, 1);
}

void SizeHistoryView::read(const QString &repoRoot)
{
    m_repoRoot = repoRoot;
    m_builds.clear();
    if (m_repoRoot.isEmpty()) {
        m_jobs->drop();
        draw(QString());
        return;
    }
    // SQLite, off the GUI thread: the chart is drawn empty now and again when the rows arrive.
    draw(QString());
    m_note->setText(tr("Reading the build history of %1…").arg(m_repoRoot));
    m_jobs->start([root = m_repoRoot] { return BuildHistory::succeededBuilds(root); },
                  [this](const Result<QList<BuildRecord>> &read) {
                      m_builds = read ? *read : QList<BuildRecord>();
                      draw(read ? QString() : failureText(read.failure()));
                      Q_EMIT shown();
                  });
}

void SizeHistoryView::draw(const QString &error)
{
    auto *chart = new QChart;
    applyPaletteToChart(chart, palette());
    chart->legend()->hide();
    m_series = new QLineSeries;
    m_series->setColor(QColor(0x3d, 0x7e, 0xc9));
    auto *points = new QScatterSeries;
    points->setMarkerSize(8);
    points->setColor(QColor(0x3d, 0x7e, 0xc9));
    points->setBorderColor(QColor(0x3d, 0x7e, 0xc9));
    qint64 maxSize = 1;
    for (const auto &p : std::as_const(m_builds))
        maxSize = std::max(maxSize, p.imageSize);
    for (const auto &p : std::as_const(m_builds)) {
        const double size = double(std::max<qint64>(p.imageSize, 0)); // -1: not recorded
        m_series->append(double(p.started.toMSecsSinceEpoch()), size / 1e6);
        points->append(double(p.started.toMSecsSinceEpoch()), std::round(size / 1e5) / 10.0);
    }
    chart->addSeries(m_series);
    chart->addSeries(points);
    auto *axisX = new QDateTimeAxis;
    axisX->setFormat(m_builds.isEmpty() ? u"MMM d hh:mm"_s
                                         : timeAxisFormat(m_builds.first().started.toLocalTime(), m_builds.last().started.toLocalTime()));
    axisX->setTickCount(std::clamp(int(m_builds.size()) + 1, 3, 6));
    chart->addAxis(axisX, Qt::AlignBottom);
    auto *axisY = new QValueAxis;
    axisY->setTitleText(u"MB"_s);
    axisY->setMin(0);
    axisY->setMax(double(maxSize) / 1e6 * 1.15);
    chart->addAxis(axisY, Qt::AlignLeft);
    for (auto *s : {static_cast<QAbstractSeries *>(m_series), static_cast<QAbstractSeries *>(points)}) {
        s->attachAxis(axisX);
        s->attachAxis(axisY);
    }
    if (m_builds.size() >= 1) {
        // Padding in proportion to the span: builds minutes apart stay minutes apart on the axis.
        const qint64 pad = timeAxisPaddingSecs(m_builds.first().started, m_builds.last().started);
        axisX->setMin(m_builds.first().started.toLocalTime().addSecs(-pad));
        axisX->setMax(m_builds.last().started.toLocalTime().addSecs(pad));
    }
    applyPaletteToChart(chart, palette());
    points->setPointLabelsVisible(m_builds.size() <= 12);
    points->setPointLabelsFormat(u"@yPoint MB"_s);
    points->setPointLabelsColor(palette().color(QPalette::Text));
    points->setPointLabelsClipping(false);
    QChart *old = m_chart->chart();
    m_chart->setChart(chart);
    delete old;
    if (!error.isEmpty())
        m_note->setText(error);
    else if (m_repoRoot.isEmpty())
        m_note->setText(tr("The size history appears for images built from a project."));
    else if (m_builds.isEmpty())
        m_note->setText(tr("No successful builds of %1 recorded yet.").arg(m_repoRoot));
    else
        m_note->setText(counted(m_builds.size(), tr("%1 successful build of %2."), tr("%1 successful builds of %2.")).arg(m_repoRoot));
}

} // namespace Gantry
