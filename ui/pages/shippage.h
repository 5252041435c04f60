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

    /// The image to export or ship (and the project it came from, if any).
    void setImage(const QString &imageRef, const QString &repoRoot = {});
    bool hasImage() const;
    bool isBusy() const;

public Q_SLOTS:
    void exportImage();
    void shipImage();

Q_SIGNALS:
    void buildRequested();
    void busyChanged(bool busy);

private:
    QStackedWidget *m_stack;
    EmptyStateWidget *m_empty;
};

} // namespace Gantry
