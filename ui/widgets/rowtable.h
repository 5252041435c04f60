// SPDX-License-Identifier: MIT
#pragma once

class QAbstractItemModel;
class QTableView;
class QWidget;

namespace Gantry {

/// A table of whole rows (a list with columns): rows selected whole, no row numbers, no grid,
/// alternating colours, no word wrap, the last column stretched.
void styleRowTable(QTableView *view);
/// A new QTableView over model, styled by styleRowTable().
QTableView *makeRowTable(QAbstractItemModel *model, QWidget *parent);

} // namespace Gantry
