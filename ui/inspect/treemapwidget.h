// SPDX-License-Identifier: MIT
#pragma once

#include "image/imagereport.h"

#include <QWidget>

namespace Gantry {

/// A Filelight-style treemap of the final filesystem: every folder a box with its files
/// and folders inside, areas by size, so the biggest folders jump out.
class TreemapWidget : public QWidget
{
    Q_OBJECT
public:
    explicit TreemapWidget(QWidget *parent = nullptr);
    void setReport(const ImageReport &report);
    void setHighlightedPath(const QString &path);
    QString pathAt(const QPoint &pos) const;
    QSize sizeHint() const override { return {500, 360}; }

Q_SIGNALS:
    void pathClicked(const QString &path);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    struct Tile
    {
        QRectF rect;
        int id = 0;
        int depth = 0;
        bool directory = false;
        QColor color;
    };
    void layout();
    void layoutChildren(int id, const QRectF &rect, int depth, const QColor &color);

    ImageReport m_report;
    LayerView m_view;
    QList<QList<int>> m_children;
    QList<Tile> m_tiles;
    QString m_highlight;
};

} // namespace Gantry
