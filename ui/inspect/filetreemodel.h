// SPDX-License-Identifier: MIT
#pragma once

#include "image/imagereport.h"

#include <QAbstractItemModel>

namespace Gantry {

/// dive's file tree: the filesystem as stacked up to one layer, with what that layer
/// added, modified or removed marked. Directories carry the size of their files.
class FileTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { Name, Size, Change, Mode, ColumnCount };
    enum Role { ChangeRole = Qt::UserRole + 1, SizeRole, PathRole };
    using QAbstractItemModel::QAbstractItemModel;

    void setReport(const ImageReport &report, int layer);
    void setLayer(int layer);
    int layer() const { return m_layer; }
    void setChangesOnly(bool on);
    bool changesOnly() const { return m_changesOnly; }
    /// The index of a path ("/app/server"), or invalid when it is not shown.
    QModelIndex indexForPath(const QString &path) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

private:
    void rebuild();
    void sortChildren();
    bool shown(int id) const;
    int idOf(const QModelIndex &index) const { return index.isValid() ? int(index.internalId()) : PathTable::Root; }

    ImageReport m_report;
    LayerView m_view;
    int m_layer = 0;
    bool m_changesOnly = false;
    int m_sortColumn = Size;
    Qt::SortOrder m_sortOrder = Qt::DescendingOrder;
    QList<QList<int>> m_children; ///< shown children per path id, sorted
    QList<int> m_row;             ///< row of each id under its parent
    QList<bool> m_hasChange;      ///< the node or something below it changed in this layer
};

} // namespace Gantry
