// SPDX-License-Identifier: MIT
#pragma once
// The Inspect page's parts as a test reaches them: by the object names the page gives its
// widgets (the page has no accessors for tests). A missing part ends the test at once.
#include "inspect/comparewidget.h"
#include "inspect/filetreemodel.h"
#include "inspect/layerchartview.h"
#include "inspect/layertablemodel.h"
#include "inspect/reclaimablemodel.h"
#include "inspect/sizehistoryview.h"
#include "inspect/treemapwidget.h"
#include "pages/inspectpage.h"

#include <QAbstractBarSeries>
#include <QBarSet>
#include <QCheckBox>
#include <QChart>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTreeView>

namespace GantryTest {

template <class T>
T *inspectPart(const Gantry::InspectPage &page, const QString &name = {})
{
    T *part = page.findChild<T *>(name);
    if (!part)
        qFatal("the Inspect page has no %s named '%s'", T::staticMetaObject.className(), qPrintable(name));
    return part;
}

inline QTableView *layerTable(const Gantry::InspectPage &page) { return inspectPart<QTableView>(page, QStringLiteral("LayerTable")); }
inline Gantry::LayerTableModel *layerModel(const Gantry::InspectPage &page)
{
    return qobject_cast<Gantry::LayerTableModel *>(layerTable(page)->model());
}
inline QTreeView *fileTree(const Gantry::InspectPage &page) { return inspectPart<QTreeView>(page, QStringLiteral("FileTree")); }
inline Gantry::FileTreeModel *fileTreeModel(const Gantry::InspectPage &page)
{
    return qobject_cast<Gantry::FileTreeModel *>(fileTree(page)->model());
}
inline Gantry::TreemapWidget *treemap(const Gantry::InspectPage &page) { return inspectPart<Gantry::TreemapWidget>(page); }
inline QLineSeries *historySeries(const Gantry::InspectPage &page) { return inspectPart<Gantry::SizeHistoryView>(page)->series(); }
inline QCheckBox *changesOnlyBox(const Gantry::InspectPage &page) { return inspectPart<QCheckBox>(page, QStringLiteral("ChangesOnly")); }
inline QPushButton *compareButton(const Gantry::InspectPage &page)
{
    return inspectPart<QPushButton>(page, QStringLiteral("CompareWithPrevious"));
}
inline Gantry::CompareWidget *compareView(const Gantry::InspectPage &page) { return inspectPart<Gantry::CompareWidget>(page); }
inline QPlainTextEdit *compareText(const Gantry::InspectPage &page) { return compareView(page)->textView(); }
inline QTableView *reclaimableTable(const Gantry::InspectPage &page)
{
    return inspectPart<QTableView>(page, QStringLiteral("ReclaimableTable"));
}
inline Gantry::ReclaimableModel *reclaimableModel(const Gantry::InspectPage &page)
{
    return qobject_cast<Gantry::ReclaimableModel *>(reclaimableTable(page)->model());
}
/// The layer chart's bars (its first bar set: the layers' sizes in the chart's unit).
inline QBarSet *layerBars(const Gantry::InspectPage &page)
{
    auto *series = qobject_cast<QAbstractBarSeries *>(inspectPart<Gantry::LayerChartView>(page)->chart()->series().value(0));
    if (!series || series->barSets().isEmpty())
        qFatal("the layer chart has no bars");
    return series->barSets().first();
}

} // namespace GantryTest
