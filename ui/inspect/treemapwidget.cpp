// SPDX-License-Identifier: MIT
#include "treemapwidget.h"

#include "image/reportformat.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {
constexpr int MaxDepth = 6;
constexpr double MinSide = 4.0;
constexpr double Header = 14.0;
} // namespace

TreemapWidget::TreemapWidget(QWidget *parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setMinimumSize(200, 150);
}

void TreemapWidget::setReport(const ImageReport &report)
{
    m_report = report;
    m_view = report.layers.isEmpty() ? LayerView{} : layerView(report, int(report.layers.size()) - 1);
    m_children.clear();
    if (report.image.paths) {
        const PathTable &paths = *report.image.paths;
        m_children = QList<QList<int>>(paths.size());
        for (int p = 1; p < paths.size(); ++p) {
            const auto &n = m_view.nodes.at(p);
            if (n.change != LayerView::Change::Absent && n.change != LayerView::Change::Removed && n.size > 0)
                m_children[paths.parent(p)].append(p);
        }
        for (auto &list : m_children)
            std::sort(list.begin(), list.end(), [this](int a, int b) { return m_view.nodes.at(a).size > m_view.nodes.at(b).size; });
    }
    layout();
    update();
}

void TreemapWidget::setHighlightedPath(const QString &path)
{
    m_highlight = path;
    update();
}

void TreemapWidget::resizeEvent(QResizeEvent *)
{
    layout();
}

void TreemapWidget::layout()
{
    m_tiles.clear();
    if (m_children.isEmpty())
        return;
    layoutChildren(PathTable::Root, QRectF(rect()).adjusted(1, 1, -1, -1), 0, QColor());
}

void TreemapWidget::layoutChildren(int id, const QRectF &area, int depth, const QColor &color)
{
    const QList<int> &kids = m_children.at(id);
    qint64 total = 0;
    for (int k : kids)
        total += m_view.nodes.at(k).size;
    if (total <= 0 || area.width() < MinSide || area.height() < MinSide)
        return;
    // Squarified layout: fill rows along the shorter side while the worst aspect improves.
    QRectF free = area;
    const double scale = area.width() * area.height() / double(total);
    int i = 0;
    while (i < kids.size()) {
        const bool horizontal = free.width() >= free.height(); // lay a column on the left
        const double side = horizontal ? free.height() : free.width();
        double rowArea = 0;
        double worst = 1e300;
        int j = i;
        while (j < kids.size()) {
            const double a = m_view.nodes.at(kids.at(j)).size * scale;
            const double newArea = rowArea + a;
            const double thickness = newArea / side;
            const double largest = m_view.nodes.at(kids.at(i)).size * scale / thickness;
            const double smallest = a / thickness;
            const double w = std::max(thickness / smallest, largest / thickness);
            if (j > i && w > worst)
                break;
            worst = w;
            rowArea = newArea;
            ++j;
        }
        const double thickness = rowArea / side;
        double offset = 0;
        for (int k = i; k < j; ++k) {
            const int child = kids.at(k);
            const double len = m_view.nodes.at(child).size * scale / thickness;
            const QRectF r = horizontal ? QRectF(free.left(), free.top() + offset, thickness, len)
                                        : QRectF(free.left() + offset, free.top(), len, thickness);
            offset += len;
            if (r.width() < 1 || r.height() < 1)
                continue;
            const auto &node = m_view.nodes.at(child);
            QColor c = color;
            if (depth == 0)
                c = QColor::fromHsv(int(37 * m_tiles.size()) % 360, 90, 235);
            Tile tile{r, child, depth, node.directory, c.lighter(100 + depth * 6)};
            m_tiles.append(tile);
            if (node.directory && depth + 1 < MaxDepth && r.width() > 3 * MinSide && r.height() > Header + MinSide)
                layoutChildren(child, r.adjusted(2, Header, -2, -2), depth + 1, c);
        }
        if (horizontal)
            free.setLeft(free.left() + thickness);
        else
            free.setTop(free.top() + thickness);
        i = j;
    }
}

void TreemapWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().base());
    if (m_tiles.isEmpty()) {
        p.setPen(palette().placeholderText().color());
        p.drawText(rect(), Qt::AlignCenter, tr("No files"));
        return;
    }
    const PathTable &paths = *m_report.image.paths;
    QFont small = font();
    small.setPointSizeF(std::max(6.0, small.pointSizeF() - 1));
    p.setFont(small);
    for (const Tile &t : std::as_const(m_tiles)) {
        const bool highlighted = !m_highlight.isEmpty() && paths.path(t.id) == m_highlight;
        p.setPen(QPen(highlighted ? QColor(0xd0, 0x3a, 0x3a) : QColor(0, 0, 0, 70), highlighted ? 2 : 1));
        p.setBrush(t.color);
        p.drawRect(t.rect);
        const QString label = paths.name(t.id) + (t.directory ? u"/"_s : QString()) + u"  "_s + formatBytes(m_view.nodes.at(t.id).size);
        const QRectF textRect = t.directory ? QRectF(t.rect.left() + 3, t.rect.top(), t.rect.width() - 6, Header)
                                            : t.rect.adjusted(3, 2, -3, -2);
        if (textRect.width() > 30 && textRect.height() >= 11) {
            p.setPen(QColor(0x20, 0x20, 0x20));
            p.drawText(textRect, Qt::AlignLeft | Qt::AlignTop | Qt::TextSingleLine,
                       p.fontMetrics().elidedText(label, Qt::ElideRight, int(textRect.width())));
        }
    }
}

QString TreemapWidget::pathAt(const QPoint &pos) const
{
    // The deepest tile under the point (tiles are stored parents first).
    for (auto it = m_tiles.crbegin(); it != m_tiles.crend(); ++it)
        if (it->rect.contains(pos))
            return m_report.image.paths->path(it->id);
    return {};
}

void TreemapWidget::mousePressEvent(QMouseEvent *event)
{
    const QString path = pathAt(event->position().toPoint());
    if (!path.isEmpty()) {
        setHighlightedPath(path);
        Q_EMIT pathClicked(path);
    }
}

bool TreemapWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QString path = pathAt(help->pos());
        if (path.isEmpty()) {
            QToolTip::hideText();
        } else {
            const int id = m_report.image.paths->find(path);
            QToolTip::showText(help->globalPos(), u"%1\n%2"_s.arg(path, formatBytes(m_view.nodes.at(id).size)), this);
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace Gantry
