// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QStackedWidget;

namespace Gantry {

class EmptyStateWidget;

/// The Build step of the pipeline. Shows values and starts jobs; computes nothing.
class BuildPage : public QWidget
{
    Q_OBJECT
public:
    explicit BuildPage(QWidget *parent = nullptr);
    EmptyStateWidget *emptyState() const { return m_empty; }

Q_SIGNALS:
    void configureRequested();

private:
    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
};

} // namespace Gantry
