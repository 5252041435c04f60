// SPDX-License-Identifier: MIT
// The Inspect page, offscreen: populated from an archive, every view kept in step, every
// item model checked by QAbstractItemModelTester.
#include "buildrun/buildhistory.h"
#include "util/format.h"
#include "testsupport.h"
#include "inspect/comparewidget.h"
#include "inspect/filetreemodel.h"
#include "inspect/layertablemodel.h"
#include "inspect/reclaimablemodel.h"
#include "inspect/treemapwidget.h"
#include "pages/inspectpage.h"
#include "inspectparts.h"
#include "widgets/emptystate.h"

#include <QAbstractItemModelTester>
#include <QAbstractAxis>
#include <QScopeGuard>
#include <QApplication>
#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QLabel>
#include <QStackedWidget>
#include <QTabBar>
#include <QTreeWidget>
#include <QCheckBox>
#include <QLineSeries>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Gantry;
using namespace GantryTest;

namespace {

QString dive(const QString &name)
{
    return QStringLiteral(GANTRY_CONFORMANCE_DIR) + u"/dive/"_s + name;
}

bool load(InspectPage &page, const QString &path)
{
    QSignalSpy done(&page, &InspectPage::analysisFinished);
    QSignalSpy failed(&page, &InspectPage::analysisFailed);
    page.openArchive(path);
    return done.wait(60000) || (failed.size() == 0 && done.size() == 1);
}

/// A mouse click on the layer table's row.
void clickRow(InspectPage &page, int row)
{
    QTableView *table = layerTable(page);
    const QModelIndex index = table->model()->index(row, 0);
    table->scrollTo(index);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
}

/// A mouse click in the middle of the layer's bar in the chart.
void clickBar(InspectPage &page, int layer)
{
    auto *view = page.findChild<QChartView *>(u"LayerChart"_s);
    QChart *chart = view->chart();
    QAbstractSeries *series = chart->series().value(0);
    const QPointF scene = chart->mapToScene(chart->mapToPosition(QPointF(layerBars(page)->at(layer) / 2, layer), series));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->mapFromScene(scene));
}

/// The rows of the file tree's top level and below, as "path change" lines.
QStringList changedPaths(QAbstractItemModel *model, const QModelIndex &parent = {})
{
    QStringList out;
    for (int r = 0; r < model->rowCount(parent); ++r) {
        const QModelIndex i = model->index(r, 0, parent);
        const auto change = LayerView::Change(i.data(FileTreeModel::ChangeRole).toInt());
        if (change != LayerView::Change::Unchanged && model->rowCount(i) == 0)
            out << i.data(FileTreeModel::PathRole).toString() + u' ' + model->index(r, FileTreeModel::Change, parent).data().toString();
        out << changedPaths(model, i);
    }
    return out;
}

/// One build of /proj in the history file, written as the Build area writes it.
bool recordBuild(const QString &dbPath, const QString &started, const QString &result, const QString &imageId, qint64 size)
{
    Gantry::BuildHistory history(dbPath);
    Gantry::BuildRecord r;
    r.started = QDateTime::fromString(started, Qt::ISODate);
    r.projectRoot = u"/proj"_s;
    r.tag = u"t"_s;
    r.result = result;
    r.imageId = imageId;
    r.imageSize = size;
    const Gantry::Result<qint64> added = history.add(r);
    if (!added)
        qWarning() << added.failure().sentence();
    return bool(added);
}

} // namespace

class TestInspectPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void populatedFromAnArchive()
    {
        InspectPage page;
        page.resize(1200, 800);
        page.show();
        QAbstractItemModelTester layerTester(layerModel(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester treeTester(fileTreeModel(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, dive(u"test-docker-image.tar"_s)));
        QCOMPARE(layerTable(page)->model()->rowCount(), 14);
        QCOMPARE(layerBars(page)->count(), 14);
        QCOMPARE(layerBars(page)->at(0), 1154.361); // kB
        {
            // Bars labelled by what the layer holds, the base at the bottom; tiny layers still visible.
            QChart *chart = page.findChild<QChartView *>(u"LayerChart"_s)->chart();
            auto *axis = qobject_cast<QBarCategoryAxis *>(chart->axes(Qt::Vertical).value(0));
            QVERIFY(axis);
            const QStringList labels = axis->categories();
            QCOMPARE(labels.size(), 14);
            QVERIFY2(labels.at(0).startsWith(u"0  /bin/[ · 1.2 MB"_s), qPrintable(labels.join(u'|')));
            QVERIFY2(labels.at(3).startsWith(u"3  /root/example/somefile1.txt · "_s), qPrintable(labels.join(u'|')));
            auto *series = qobject_cast<QAbstractBarSeries *>(chart->series().value(0));
            QVERIFY(series && series->barSets().size() == 2);
            QBarSet *stubs = series->barSets().at(1);
            for (int i = 0; i < 14; ++i)
                QVERIFY2(layerBars(page)->at(i) + stubs->at(i) >= layerBars(page)->at(0) * 0.0119, qPrintable(QString::number(i)));
        }
        QCOMPARE(layerModel(page)->index(3, LayerTableModel::Instruction).data().toString(),
                 u"RUN cp /somefile.txt /root/example/somefile1.txt"_s);
        // It opens on the last layer.
        QCOMPARE(page.selectedLayer(), 13);
        QVERIFY(layerBars(page)->isBarSelected(13));

        // Clicking a bar selects the layer in the table and the tree (a mouse click on the bar).
        clickBar(page, 5);
        QCOMPARE(layerTable(page)->currentIndex().row(), 5);
        QCOMPARE(fileTreeModel(page)->layer(), 5);
        QVERIFY(layerBars(page)->isBarSelected(5));
        QVERIFY(!layerBars(page)->isBarSelected(13));
        QVERIFY(!changesOnlyBox(page)->isChecked());
        QTest::mouseClick(changesOnlyBox(page), Qt::LeftButton, {}, QPoint(8, changesOnlyBox(page)->height() / 2));
        QVERIFY(changesOnlyBox(page)->isChecked());
        QCOMPARE(changedPaths(fileTreeModel(page)), QStringList{u"/root/example/somefile2.txt added"_s});

        // Clicking a row selects the bar and the tree's layer.
        clickRow(page, 9);
        QCOMPARE(fileTreeModel(page)->layer(), 9);
        QVERIFY(layerBars(page)->isBarSelected(9));
        QStringList removed = changedPaths(fileTreeModel(page));
        removed.sort();
        QCOMPARE(removed, (QStringList{u"/root/example/really/nested removed"_s, u"/root/example/somefile1.txt removed"_s,
                                       u"/root/example/somefile2.txt removed"_s}));
        if (const QString shots = qEnvironmentVariable("GANTRY_INSPECT_SHOTS"); !shots.isEmpty()) {
            QTest::qWait(200);
            page.grab().save(shots + u"/inspect-changes-only.png"_s);
        }

        // Layer 4 is the chmod: the file is modified.
        clickRow(page, 4);
        QCOMPARE(changedPaths(fileTreeModel(page)), QStringList{u"/root/example/somefile1.txt modified"_s});

        // Sort by size, both ways, with the tester watching.
        changesOnlyBox(page)->setChecked(false);
        fileTree(page)->sortByColumn(FileTreeModel::Size, Qt::DescendingOrder);
        QCOMPARE(fileTreeModel(page)->index(0, 0).data(FileTreeModel::PathRole).toString(), u"/bin"_s);
        fileTree(page)->sortByColumn(FileTreeModel::Name, Qt::AscendingOrder);
        QCOMPARE(fileTreeModel(page)->index(0, 0).data(FileTreeModel::PathRole).toString(), u"/bin"_s);
        fileTree(page)->sortByColumn(FileTreeModel::Size, Qt::AscendingOrder);
        QVERIFY(fileTreeModel(page)->index(0, 0).data(FileTreeModel::SizeRole).toLongLong() == 0);

        // The treemap: clicking the biggest box reveals it in the tree (final layer).
        TreemapWidget *map = treemap(page);
        map->resize(600, 400);
        const QString big = map->pathAt(QPoint(20, 20));
        QVERIFY2(big.startsWith(u"/bin"_s), qPrintable(big));
        QTest::mouseClick(map, Qt::LeftButton, {}, QPoint(20, 20));
        QCOMPARE(page.selectedLayer(), 13);
        QCOMPARE(fileTree(page)->currentIndex().data(FileTreeModel::PathRole).toString(), big);

        // The reclaimable list: activating a dead copy shows its layer and selects the file.
        QAbstractItemModelTester reclaimTester(reclaimableModel(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(reclaimableModel(page)->rowCount(), 5);
        int row = -1;
        for (int r = 0; r < 5; ++r)
            if (reclaimableModel(page)->index(r, 0).data(ReclaimableModel::LayerRole).toInt() == 7)
                row = r;
        QVERIFY(row >= 0);
        const QModelIndex dead = reclaimableModel(page)->index(row, ReclaimableModel::Path);
        QCOMPARE(dead.data().toString(), u"/root/saved.txt"_s);
        QCOMPARE(reclaimableModel(page)->index(row, ReclaimableModel::Reason).data().toString(), u"overwritten in layer 13"_s);
        Q_EMIT reclaimableTable(page)->activated(dead);
        QCOMPARE(page.selectedLayer(), 7);
        QCOMPARE(layerTable(page)->currentIndex().row(), 7);
        QCOMPARE(fileTree(page)->currentIndex().data(FileTreeModel::PathRole).toString(), u"/root/saved.txt"_s);
        // For a person to look at: GANTRY_INSPECT_SHOTS=DIR saves the treemap.
        if (const QString shots = qEnvironmentVariable("GANTRY_INSPECT_SHOTS"); !shots.isEmpty())
            map->grab().save(shots + u"/inspect-treemap.png"_s);
    }

    void compressedSizesAndDarkCharts()
    {
        InspectPage page;
        page.resize(1100, 700);
        page.show();
        QVERIFY(load(page, dive(u"test-oci-gzip-image.tar"_s)));
        // A compressed archive: every layer's Compressed cell shows its gzip blob's size.
        const int rows = layerModel(page)->rowCount();
        QVERIFY(rows > 0);
        for (int r = 0; r < rows; ++r) {
            const qint64 blob = page.report().layers.at(r).compressedSize;
            QVERIFY2(blob > 0, qPrintable(QString::number(r)));
            QCOMPARE(layerModel(page)->index(r, LayerTableModel::Compressed).data().toString(), formatBytes(blob));
        }
        // Dark mode switched on while the page shows: the charts turn dark with it, not white.
        QChart *chart = page.findChild<QChartView *>(u"LayerChart"_s)->chart();
        QVERIFY(chart->backgroundBrush().color().lightness() >= 128);
        const QPalette light = QApplication::palette();
        auto restore = qScopeGuard([light] { QApplication::setPalette(light); });
        QPalette dark = light;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2e));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x20));
        dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xea));
        dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xea));
        QApplication::setPalette(dark);
        QTRY_VERIFY(chart->backgroundBrush().color().lightness() < 128);
        const auto axes = chart->axes();
        for (QAbstractAxis *axis : axes)
            QVERIFY(axis->labelsColor().lightness() >= 128);
        if (const QString shots = qEnvironmentVariable("GANTRY_INSPECT_SHOTS"); !shots.isEmpty())
            page.grab().save(shots + u"/inspect-switched-dark.png"_s);
        QApplication::setPalette(light);
        QTRY_VERIFY(chart->backgroundBrush().color().lightness() >= 128);
    }

    void otherFormatsAndAFailure()
    {
        InspectPage page;
        QAbstractItemModelTester treeTester(fileTreeModel(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(page, dive(u"test-oci-zstd-image.tar"_s)));
        QCOMPARE(layerModel(page)->rowCount(), 1);
        QVERIFY(fileTreeModel(page)->indexForPath(u"/README.md"_s).isValid());
        // A damaged file: one sentence where the user looks, the last report stays.
        QTemporaryDir dir;
        QFile bad(dir.filePath(u"bad.tar"_s));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(QByteArray(3000, 'z'));
        bad.close();
        QSignalSpy failed(&page, &InspectPage::analysisFailed);
        page.openArchive(bad.fileName());
        QVERIFY(failed.wait(30000));
        QVERIFY(failed.at(0).at(0).value<Failure>().sentence().contains(u"not a tar archive"_s));
        QCOMPARE(layerModel(page)->rowCount(), 1);
        // Nothing reclaimable: the tab explains itself instead of showing an empty table.
        auto *empty = page.findChild<QLabel *>(u"ReclaimableEmpty"_s);
        QVERIFY(empty);
        QVERIFY(!empty->isHidden() || qobject_cast<QStackedWidget *>(empty->parentWidget())->currentWidget() == empty);
        QVERIFY(empty->text().contains(u"Nothing to reclaim"_s));
    }

    void sizeHistoryAndCompare()
    {
        // The build history as the Build area writes it.
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(u"history.sqlite"_s);
        QVERIFY(recordBuild(dbPath, u"2026-11-01T10:00:00Z"_s, u"succeeded"_s, u"sha256:old"_s, 3000000));
        QVERIFY(recordBuild(dbPath, u"2026-11-02T10:00:00Z"_s, u"failed"_s, QString(), -1));
        QVERIFY(recordBuild(dbPath, u"2026-11-03T10:00:00Z"_s, u"succeeded"_s, u"sha256:new"_s, 2000000));
        qputenv("GANTRY_HISTORY_DB", dbPath.toLocal8Bit());
        auto reset = qScopeGuard([] { qunsetenv("GANTRY_HISTORY_DB"); });

        InspectPage page;
        page.setProjectRoot(u"/proj"_s);
        // The history is read on a worker: when the report is shown, the chart is still empty
        // and says it is reading (an inline read, SQLite on the GUI thread, would have drawn it).
        int pointsAtReport = -1;
        QString noteAtReport;
        connect(&page, &InspectPage::analysisFinished, this, [&] {
            pointsAtReport = int(historySeries(page)->count());
            noteAtReport = page.findChild<QLabel *>(u"HistoryNote"_s) ? page.findChild<QLabel *>(u"HistoryNote"_s)->text() : QString();
        });
        QSignalSpy historyShown(&page, &InspectPage::historyShown);
        QVERIFY(load(page, dive(u"test-docker-image.tar"_s)));
        QCOMPARE(pointsAtReport, 0);
        QVERIFY2(noteAtReport.startsWith(u"Reading the build history"_s), qPrintable(noteAtReport));
        QVERIFY(historyShown.count() == 1 || historyShown.wait(10000));
        QCOMPARE(historySeries(page)->count(), 2);
        QCOMPARE(historySeries(page)->at(1).y(), 2.0); // MB
        {
            // Builds two days apart: the axis names the days (builds minutes apart get seconds).
            QChart *chart = page.findChild<QChartView *>(u"HistoryChart"_s)->chart();
            auto *axis = qobject_cast<QDateTimeAxis *>(chart->axes(Qt::Horizontal).value(0));
            QVERIFY(axis);
            QCOMPARE(axis->format(), u"MMM d"_s);
            QVERIFY(axis->min().secsTo(axis->max()) < 3 * 86400);
        }
        {
            // At 1024 px the Inspect page gets about 810 px: every tab shows its whole name.
            page.resize(810, 640);
            page.show();
            QVERIFY(QTest::qWaitForWindowExposed(&page));
            auto *tabs = page.findChild<QTabWidget *>();
            QTabBar *bar = tabs->tabBar();
            for (int i = 0; i < tabs->count(); ++i)
                QVERIFY2(bar->tabRect(i).right() <= bar->width() && bar->tabRect(i).width() >= bar->fontMetrics().horizontalAdvance(tabs->tabText(i)),
                         qPrintable(tabs->tabText(i)));
        }
        if (const QString shots = qEnvironmentVariable("GANTRY_INSPECT_SHOTS"); !shots.isEmpty()) {
            page.resize(1100, 700);
            page.show();
            auto *tabs = page.findChild<QTabWidget *>();
            tabs->setCurrentIndex(3);
            QTest::qWait(200);
            page.grab().save(shots + u"/inspect-history.png"_s);
            tabs->setCurrentIndex(2);
            QTest::qWait(200);
            page.grab().save(shots + u"/inspect-reclaimable.png"_s);
        }
        // The previous build's image is gone from the engine: a clear sentence, no crash.
        QVERIFY(compareButton(page)->isEnabled());
        QSignalSpy compared(&page, &InspectPage::comparisonFinished);
        compareButton(page)->click();
        QVERIFY(compared.wait(60000));
        QVERIFY2(compareText(page)->toPlainText().contains(u"The engine has no image"_s), qPrintable(compareText(page)->toPlainText()));
    }

    void compareWithThePreviousBuildInTheEngine()
    {
        // The previous build: the example's image, really in the engine.
        const QString tag = u"gantry-test-image-previous"_s;
        const auto built = GantryTest::runDocker({u"buildx"_s, u"build"_s, u"--load"_s, u"-t"_s, tag, u"-f"_s,
                                                  GantryTest::sourceDir() + u"/tests/data/hello-stack.Dockerfile"_s,
                                                  GantryTest::sourceDir() + u"/examples/hello-stack"_s},
                                                 600000);
        QVERIFY2(built.ok(), qPrintable(built.stderrText().right(2000)));
        auto cleanup = qScopeGuard([&] { GantryTest::runDocker({u"rmi"_s, tag}); });
        const QString id = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, tag}).stdoutText();
        QVERIFY(id.startsWith(u"sha256:"_s));
        QTemporaryDir dir;
        const QString dbPath = dir.filePath(u"history.sqlite"_s);
        QVERIFY(recordBuild(dbPath, u"2026-11-01T10:00:00Z"_s, u"succeeded"_s, id, 2849904));
        qputenv("GANTRY_HISTORY_DB", dbPath.toLocal8Bit());
        auto reset = qScopeGuard([] { qunsetenv("GANTRY_HISTORY_DB"); });
        InspectPage page;
        page.setProjectRoot(u"/proj"_s);
        QVERIFY(load(page, dive(u"test-docker-image.tar"_s)));
        QTRY_VERIFY(compareButton(page)->isEnabled()); // once the history, read on a worker, is in
        QSignalSpy compared(&page, &InspectPage::comparisonFinished);
        compareButton(page)->click();
        QVERIFY(compared.wait(120000));
        const QString text = compareText(page)->toPlainText();
        // Older = the example (its server is gone in the dive image), newer = dive's image.
        QVERIFY2(text.contains(QRegularExpression(u"^  - +−2\\.\\d MB +/app/hello-backend$"_s, QRegularExpression::MultilineOption)), qPrintable(text));
        QVERIFY2(text.contains(QRegularExpression(u"^  \\+ +\\+1\\.1 MB +/bin/\\[$"_s, QRegularExpression::MultilineOption)), qPrintable(text));
        // The same as a view with bars: per layer and per path.
        CompareWidget *view = compareView(page);
        QVERIFY(view->layerView()->isVisible() || !view->isVisible());
        QVERIFY(view->layerView()->topLevelItemCount() > 0);
        QList<QTreeWidgetItem *> backend = view->pathView()->findItems(u"/app/hello-backend"_s, Qt::MatchExactly, 1);
        QCOMPARE(backend.size(), 1);
        QVERIFY2(backend.constFirst()->text(0).startsWith(u"−2."_s), qPrintable(backend.constFirst()->text(0)));
        QVERIFY(backend.constFirst()->data(4, Qt::UserRole + 1).toLongLong() < 0);
        QVERIFY(view->headline().contains(u"→"_s));
        if (const QString shots = qEnvironmentVariable("GANTRY_INSPECT_SHOTS"); !shots.isEmpty()) {
            page.resize(1100, 700);
            page.show();
            QTest::qWait(200);
            page.grab().save(shots + u"/inspect-compare.png"_s);
        }
    }
};

QTEST_MAIN(TestInspectPage)
#include "tst_inspectpage.moc"
