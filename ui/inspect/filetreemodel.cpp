// SPDX-License-Identifier: MIT
#include "filetreemodel.h"

#include "image/reportformat.h"

#include <QBrush>
#include <QColor>
#include <QPalette>
#include <QGuiApplication>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry {

void FileTreeModel::setReport(const ImageReport &report, int layer)
{
    beginResetModel();
    m_report = report;
    m_layer = layer;
    rebuild();
    endResetModel();
}

void FileTreeModel::setLayer(int layer)
{
    if (layer == m_layer && !m_view.nodes.isEmpty())
        return;
    beginResetModel();
    m_layer = layer;
    rebuild();
    endResetModel();
}

void FileTreeModel::setChangesOnly(bool on)
{
    if (on == m_changesOnly)
        return;
    beginResetModel();
    m_changesOnly = on;
    rebuild();
    endResetModel();
}

bool FileTreeModel::shown(int id) const
{
    const auto change = m_view.nodes.at(id).change;
    if (change == LayerView::Change::Absent)
        return false;
    return !m_changesOnly || m_hasChange.at(id);
}

void FileTreeModel::rebuild()
{
    m_children.clear();
    m_row.clear();
    m_hasChange.clear();
    if (!m_report.image.paths || m_report.layers.isEmpty()) {
        m_view = {};
        return;
    }
    const PathTable &paths = *m_report.image.paths;
    m_view = layerView(m_report, m_layer);
    const int n = paths.size();
    m_hasChange = QList<bool>(n, false);
    for (int p = n - 1; p > PathTable::Root; --p) {
        const auto change = m_view.nodes.at(p).change;
        if (change == LayerView::Change::Added || change == LayerView::Change::Modified || change == LayerView::Change::Removed)
            m_hasChange[p] = true;
        if (m_hasChange.at(p))
            m_hasChange[paths.parent(p)] = true;
    }
    m_children = QList<QList<int>>(n);
    m_row = QList<int>(n, -1);
    for (int p = 1; p < n; ++p)
        if (shown(p))
            m_children[paths.parent(p)].append(p);
    sortChildren();
}

void FileTreeModel::sortChildren()
{
    const PathTable &paths = *m_report.image.paths;
    const int column = m_sortColumn;
    const Qt::SortOrder order = m_sortOrder;
    auto less = [&](int a, int b) {
        const auto &na = m_view.nodes.at(a);
        const auto &nb = m_view.nodes.at(b);
        bool result;
        if (column == Size && na.size != nb.size)
            result = na.size < nb.size;
        else if (column == Change && na.change != nb.change)
            result = na.change < nb.change;
        else
            return paths.name(a).compare(paths.name(b), Qt::CaseInsensitive) < 0; // names ascending as the tie-break
        return order == Qt::AscendingOrder ? result : !result;
    };
    for (QList<int> &list : m_children) {
        std::stable_sort(list.begin(), list.end(), less);
        for (int r = 0; r < list.size(); ++r)
            m_row[list.at(r)] = r;
    }
}

void FileTreeModel::sort(int column, Qt::SortOrder order)
{
    m_sortColumn = column;
    m_sortOrder = order;
    if (m_children.isEmpty())
        return;
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    QList<int> ids;
    for (const QModelIndex &i : before)
        ids.append(idOf(i));
    sortChildren();
    QModelIndexList after;
    for (int i = 0; i < before.size(); ++i) {
        const int id = ids.at(i);
        after.append(id == PathTable::Root || m_row.at(id) < 0 ? QModelIndex() : createIndex(m_row.at(id), before.at(i).column(), quintptr(id)));
    }
    changePersistentIndexList(before, after);
    Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
}

QModelIndex FileTreeModel::indexForPath(const QString &path) const
{
    if (!m_report.image.paths)
        return {};
    const int id = m_report.image.paths->find(path);
    if (id <= PathTable::Root || id >= m_row.size() || m_row.at(id) < 0 || !shown(id))
        return {};
    return createIndex(m_row.at(id), 0, quintptr(id));
}

QModelIndex FileTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, quintptr(m_children.at(idOf(parent)).at(row)));
}

QModelIndex FileTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    const int parentId = m_report.image.paths->parent(int(child.internalId()));
    if (parentId <= PathTable::Root)
        return {};
    return createIndex(m_row.at(parentId), 0, quintptr(parentId));
}

int FileTreeModel::rowCount(const QModelIndex &parent) const
{
    if (m_children.isEmpty() || (parent.isValid() && parent.column() != 0))
        return 0;
    return int(m_children.at(idOf(parent)).size());
}

int FileTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant FileTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const int id = int(index.internalId());
    const auto &node = m_view.nodes.at(id);
    const PathTable &paths = *m_report.image.paths;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return QString(paths.name(id) + (node.directory ? u"/"_s : QString()));
        case Size:
            return node.link ? QString() : formatBytes(node.size);
        case Change:
            switch (node.change) {
            case LayerView::Change::Added: return tr("added");
            case LayerView::Change::Modified: return tr("modified");
            case LayerView::Change::Removed: return tr("removed");
            default: return QString();
            }
        case Mode:
            return node.directory ? QString() : u"%1"_s.arg(node.mode, 4, 8, QLatin1Char('0'));
        }
        break;
    case Qt::ForegroundRole:
        switch (node.change) {
        case LayerView::Change::Added: return QBrush(QColor(0x2e, 0x9d, 0x4f));
        case LayerView::Change::Modified: return QBrush(QColor(0xc7, 0x8a, 0x00));
        case LayerView::Change::Removed: return QBrush(QColor(0xd0, 0x3a, 0x3a));
        default: return {};
        }
    case Qt::TextAlignmentRole:
        if (index.column() == Size || index.column() == Mode)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case Qt::ToolTipRole:
        return tr("%1\nfrom layer %2").arg(paths.path(id)).arg(node.layer);
    case ChangeRole:
        return int(node.change);
    case SizeRole:
        return node.size;
    case PathRole:
        return paths.path(id);
    }
    return {};
}

QVariant FileTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case Name: return tr("Name");
    case Size: return tr("Size");
    case Change: return tr("Change");
    case Mode: return tr("Mode");
    }
    return {};
}

} // namespace Gantry
