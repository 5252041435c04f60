// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QStackedWidget;

namespace Gantry {

class EmptyStateWidget;

/// The Ship step of the pipeline. Shows values and starts jobs; computes nothing.
class ShipPage : public QWidget
{
    Q_OBJECT
public:
    explicit ShipPage(QWidget *parent = nullptr);
    EmptyStateWidget *emptyState() const { return m_empty; }

Q_SIGNALS:
    void buildRequested();

private:
    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
};

} // namespace Gantry
