// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/buildhistory.h"

#include <QWidget>

class QChartView;
class QLabel;
class QLineSeries;

namespace Gantry {

class JobTracker;

/// "Size history": the image size of a project's successful builds over time, with a line
/// that says what it shows. The build history (SQLite) is read off the GUI thread.
class SizeHistoryView : public QWidget
{
    Q_OBJECT
public:
    explicit SizeHistoryView(QWidget *parent = nullptr);

    /// Draws the chart empty at once, then again with repoRoot's builds when they are read
    /// (then shown() follows). An empty repoRoot: no project, no history.
    void read(const QString &repoRoot);
    /// The builds shown, oldest first.
    const QList<BuildRecord> &builds() const { return m_builds; }
    QLineSeries *series() const { return m_series; }

Q_SIGNALS:
    /// The builds read by read() are drawn.
    void shown();

private:
    void draw(const QString &error);

    QLabel *m_note;
    QChartView *m_chart;
    QLineSeries *m_series = nullptr;
    JobTracker *m_jobs;
    QString m_repoRoot;
    QList<BuildRecord> m_builds;
};

} // namespace Gantry
