// SPDX-License-Identifier: MIT
#include "rowtable.h"

#include <QHeaderView>
#include <QTableView>

namespace Gantry {

void styleRowTable(QTableView *view)
{
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setAlternatingRowColors(true);
    view->setShowGrid(false);
    view->setWordWrap(false);
}

QTableView *makeRowTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setModel(model);
    styleRowTable(view);
    return view;
}

} // namespace Gantry
