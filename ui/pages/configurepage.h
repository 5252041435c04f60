// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QStackedWidget;

namespace Gantry {

class EmptyStateWidget;

/// The Configure step of the pipeline. Shows values and starts jobs; computes nothing.
class ConfigurePage : public QWidget
{
    Q_OBJECT
public:
    explicit ConfigurePage(QWidget *parent = nullptr);
    EmptyStateWidget *emptyState() const { return m_empty; }

Q_SIGNALS:
    void openProjectRequested();

private:
    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
};

} // namespace Gantry
