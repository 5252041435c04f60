// SPDX-License-Identifier: MIT
// Every item model of the GUI on its own, under QAbstractItemModelTester (attached before the
// model is fed, failing the test on any broken contract), driven through its public API with
// real data: buildx streams recorded in tests/data/build, dive's reference image archives in
// tests/data/conformance/dive, real ServerProfile values and ShipProgress updates as a ship
// sends them. Each case fills, updates in place, shrinks, resets and clears, and checks what
// a user reads in the views (texts, order, sizes). No docker, no ssh.
#include "buildrun/buildeventparser.h"
#include "buildsteps/buildstepmodel.h"
#include "image/imagearchive.h"
#include "image/imagereport.h"
#include "inspect/filetreemodel.h"
#include "inspect/layerchartmodel.h"
#include "inspect/layerchartview.h"
#include "inspect/layertablemodel.h"
#include "inspect/reclaimablemodel.h"
#include "servers/layerstatemodel.h"
#include "servers/serverlistmodel.h"
#include "ship/shipper.h"

#include <QAbstractBarSeries>
#include <QAbstractItemModelTester>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QValueAxis>
#include <QFile>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

QByteArray buildFixture(const QString &name)
{
    QFile f(QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/build/"_s + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return f.readAll();
}

/// Feeds a recorded stream in chunks of 997 bytes, handing every changed step to the model
/// as BuildPage does with BuildRunner::stepUpdated.
BuildEventParser feedStream(BuildStepModel &model, const QByteArray &data)
{
    BuildEventParser parser;
    for (qsizetype i = 0; i < data.size(); i += 997) {
        parser.feed(QByteArrayView(data).sliced(i, std::min<qsizetype>(997, data.size() - i)));
        for (int index : parser.takeChanges().steps)
            model.updateStep(index, parser.steps().at(index));
    }
    parser.finish();
    for (int index : parser.takeChanges().steps)
        model.updateStep(index, parser.steps().at(index));
    return parser;
}

QStringList stageNames(const BuildStepModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.stageName(row);
    return out;
}

int stageRow(const BuildStepModel &model, const QString &name)
{
    return int(stageNames(model).indexOf(name));
}

QString text(const QAbstractItemModel &model, int row, int column, const QModelIndex &parent = {})
{
    return model.data(model.index(row, column, parent)).toString();
}

ImageReport diveReport(const QString &file)
{
    const Result<ImageData> image = ImageArchive::read(QStringLiteral(GANTRY_CONFORMANCE_DIR) + u"/dive/"_s + file);
    if (!image)
        qFatal("%s", qPrintable(image.failure().sentence()));
    return analyzeImage(*image);
}

ServerProfile server(const QString &name, const QString &host, int port, const QString &user, const QString &jump = {})
{
    ServerProfile p;
    p.name = name;
    p.host = host;
    p.port = port;
    p.user = user;
    p.jumpHost = jump;
    p.remoteDir = u"/srv/gantry"_s;
    return p;
}

LayerShipState layer(const QString &hexStart, qint64 compressed, LayerShipState::State state)
{
    LayerShipState l;
    l.diffId = u"sha256:"_s + hexStart + QString(64 - hexStart.size(), u'0');
    l.size = compressed * 3;
    l.compressedSize = compressed;
    l.state = state;
    return l;
}

} // namespace

class TestItemModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void buildStepModel()
    {
        BuildStepModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

        // Fill: the cross build for arm64, as buildx streamed it, no cache.
        const BuildEventParser cold = feedStream(model, buildFixture(u"cold-arm64.rawjson"_s));
        QVERIFY(!inserted.isEmpty());
        QVERIFY(!changed.isEmpty()); // steps were updated in place as they ran and finished
        const QStringList stages = stageNames(model);
        QCOMPARE(stages.first(), u"buildx (internal)"_s);
        QVERIFY2(stages.last().endsWith(u"output"_s), qPrintable(stages.join(u", ")));
        const int backendRow = int(std::find_if(stages.cbegin(), stages.cend(), [](const QString &s) { return s.endsWith(u"backend"_s); }) - stages.cbegin());
        QVERIFY2(backendRow < stages.size(), qPrintable(stages.join(u", ")));
        const QModelIndex backend = model.index(backendRow, 0);
        QVERIFY(model.rowCount(backend) >= 3);
        // A stage's steps read "n/m" in order; the ones that ran (cargo build did) show a time.
        int ran = 0;
        for (int row = 0; row < model.rowCount(backend); ++row) {
            const BuildStep *s = model.step(model.stepIndex(model.index(row, 0, backend)));
            QVERIFY(s);
            QCOMPARE(s->index, row + 1);
            QVERIFY2(text(model, row, BuildStepModel::NameColumn, backend).contains(u"%1/%2"_s.arg(row + 1).arg(s->count)),
                     qPrintable(text(model, row, BuildStepModel::NameColumn, backend)));
            const QString state = text(model, row, BuildStepModel::StateColumn, backend);
            QVERIFY2(state == u"done"_s || state == u"cached"_s, qPrintable(state));
            QCOMPARE(text(model, row, BuildStepModel::DurationColumn, backend).isEmpty(), state == u"cached"_s);
            ran += state == u"done"_s ? 1 : 0;
        }
        QVERIFY(ran >= 1);
        QVERIFY2(text(model, backendRow, BuildStepModel::StateColumn).startsWith(u"done"_s),
                 qPrintable(text(model, backendRow, BuildStepModel::StateColumn)));
        QVERIFY(text(model, backendRow, BuildStepModel::NameColumn).endsWith(u"backend"_s));

        // Update in place: ticking and ending the build change data, never the rows.
        const int groups = model.rowCount();
        model.tick();
        model.setBuildOver(true);
        QCOMPARE(model.rowCount(), groups);

        // Shrink: hiding buildx's internal steps removes their group; showing it brings it back.
        model.setShowInternal(false);
        QCOMPARE(model.rowCount(), groups - 1);
        QVERIFY(!stageNames(model).contains(u"buildx (internal)"_s));
        model.setShowInternal(true);
        QCOMPARE(stageNames(model), stages);

        // Clear, then refill from another build: everything cached this time.
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        feedStream(model, buildFixture(u"cached-amd64.rawjson"_s));
        QCOMPARE(stageNames(model), (QStringList{u"buildx (internal)"_s, u"frontend"_s, u"backend"_s, u"stage-2"_s, u"output"_s}));
        const QModelIndex cachedBackend = model.index(stageRow(model, u"backend"_s), 0);
        QCOMPARE(model.rowCount(cachedBackend), 5);
        QCOMPARE(text(model, cachedBackend.row(), BuildStepModel::StateColumn), u"done (4 of 5 cached)"_s);
        int cachedRows = 0;
        for (int row = 0; row < model.rowCount(cachedBackend); ++row) {
            const bool cached = model.index(row, 0, cachedBackend).data(BuildStepModel::CachedRole).toBool();
            QCOMPARE(text(model, row, BuildStepModel::StateColumn, cachedBackend), cached ? u"cached"_s : u"done"_s);
            cachedRows += cached ? 1 : 0;
        }
        QCOMPARE(cachedRows, 4);
        Q_UNUSED(cold);
    }

    void buildStepModelStagesArriveOutOfOrder()
    {
        // buildx reports the final stage before the ones it copies from (the recorded steps,
        // handed over in another order): a group inserted above keeps every index a view
        // holds (selection, current step) on the step it was on.
        BuildEventParser parser;
        parser.feed(buildFixture(u"cached-amd64.rawjson"_s));
        parser.finish();
        QList<int> late, early;
        for (int i = 0; i < parser.steps().size(); ++i)
            (parser.steps().at(i).stage == u"stage-2" ? early : late) << i;
        QVERIFY(!early.isEmpty());

        BuildStepModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (int i : early)
            model.updateStep(i, parser.steps().at(i));
        QCOMPARE(stageNames(model), QStringList{u"stage-2"_s});
        const QModelIndex first = model.index(0, 0, model.index(0, 0));
        const int watched = model.stepIndex(first);
        const QString watchedText = first.data().toString();
        const QPersistentModelIndex held(first);
        const QPersistentModelIndex heldGroup(model.index(0, 0));
        for (int i : late)
            model.updateStep(i, parser.steps().at(i));
        QCOMPARE(stageNames(model), (QStringList{u"buildx (internal)"_s, u"frontend"_s, u"backend"_s, u"stage-2"_s, u"output"_s}));
        QCOMPARE(heldGroup.row(), 3);
        QVERIFY(held.isValid());
        QCOMPARE(held.parent(), QModelIndex(heldGroup));
        QCOMPARE(model.stepIndex(held), watched);
        QCOMPARE(held.data().toString(), watchedText);
    }

    void buildStepModelWhileRunning()
    {
        // Half of the cold build: cargo is still compiling. The running step says so, shows
        // its time so far, and tick() repaints only durations.
        const QByteArray data = buildFixture(u"cold-arm64.rawjson"_s);
        BuildStepModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        BuildEventParser parser;
        QModelIndex running;
        for (qsizetype i = 0; i < data.size() && !running.isValid(); i += 997) {
            parser.feed(QByteArrayView(data).sliced(i, std::min<qsizetype>(997, data.size() - i)));
            for (int index : parser.takeChanges().steps) {
                model.updateStep(index, parser.steps().at(index));
                const BuildStep &s = parser.steps().at(index);
                if (s.state == BuildStep::State::Running && s.command.startsWith(u"RUN"_s))
                    running = model.indexForStep(index);
            }
        }
        QVERIFY2(running.isValid(), "no RUN step was running in the recording");
        QCOMPARE(model.step(model.stepIndex(running))->state, BuildStep::State::Running);
        QCOMPARE(running.siblingAtColumn(BuildStepModel::StateColumn).data().toString(), u"running…"_s);
        QVERIFY(!running.siblingAtColumn(BuildStepModel::DurationColumn).data().toString().isEmpty());
        QVERIFY2(model.index(running.parent().row(), BuildStepModel::StateColumn).data().toString().startsWith(u"running…"_s),
                 qPrintable(model.index(running.parent().row(), BuildStepModel::StateColumn).data().toString()));
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.tick();
        for (const QList<QVariant> &args : std::as_const(changed)) {
            QCOMPARE(args.at(0).toModelIndex().column(), int(BuildStepModel::DurationColumn));
            QCOMPARE(args.at(1).toModelIndex().column(), int(BuildStepModel::DurationColumn));
        }

        // A step re-sent under another stage's name moves there (rows removed, then inserted).
        const int stepIdx = model.stepIndex(running);
        BuildStep moved = *model.step(stepIdx);
        const QPersistentModelIndex from(running.parent());
        moved.stage = u"tools"_s;
        moved.name = u"[tools 1/1] "_s + moved.command;
        moved.index = 1;
        moved.count = 1;
        const int before = model.rowCount(from);
        model.updateStep(stepIdx, moved);
        QCOMPARE(model.rowCount(from), before - 1);
        QVERIFY(model.indexForStep(stepIdx).parent().data(BuildStepModel::StageRole).toString().endsWith(u"tools"_s));
        QCOMPARE(model.indexForStep(stepIdx).data().toString().contains(u"1/1"_s), true);

        // Cleared mid-build (a new build starts): empty, and it fills again from the stream.
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.indexForStep(stepIdx).isValid());
        for (int i = 0; i < parser.steps().size(); ++i)
            model.updateStep(i, parser.steps().at(i));
        QVERIFY(model.rowCount() >= 2);
    }

    void layerTableModel()
    {
        LayerTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const ImageReport docker = diveReport(u"test-docker-image.tar"_s);
        model.setReport(docker);
        QCOMPARE(model.rowCount(), 14);
        QCOMPARE(text(model, 0, LayerTableModel::Size), u"1.2 MB"_s);
        QCOMPARE(text(model, 1, LayerTableModel::Size), u"6.4 kB"_s);
        QCOMPARE(model.index(1, LayerTableModel::Size).data(Qt::UserRole).toLongLong(), 6405);
        QCOMPARE(text(model, 2, LayerTableModel::Instruction), u"RUN mkdir -p /root/example/really/nested"_s);
        QCOMPARE(text(model, 13, LayerTableModel::Instruction), u"RUN chmod +x /root/saved.txt"_s);
        QCOMPARE(text(model, 9, LayerTableModel::Removed), u"2"_s);
        QCOMPARE(text(model, 4, LayerTableModel::Modified), u"1"_s);
        // docker save holds the layers uncompressed: no compressed size until one is measured.
        QCOMPARE(text(model, 3, LayerTableModel::Compressed), u"—"_s);

        // Update in place: sizes measured while shipping fill the Compressed column.
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setMeasuredCompressedSizes({{docker.layers.at(3).diffId, 2100}});
        QCOMPARE(changed.size(), 1);
        QCOMPARE(text(model, 3, LayerTableModel::Compressed), u"2.1 kB"_s);

        // Shrink to a smaller image (an OCI layout, gzip layers), then clear.
        const ImageReport oci = diveReport(u"test-oci-gzip-image.tar"_s);
        QVERIFY(oci.layers.size() < docker.layers.size());
        model.setReport(oci);
        QCOMPARE(model.rowCount(), oci.layers.size());
        QCOMPARE(model.compressedSize(0), oci.layers.at(0).compressedSize);
        QVERIFY(text(model, 0, LayerTableModel::Compressed) != u"—"_s);
        model.setReport(ImageReport{});
        QCOMPARE(model.rowCount(), 0);
        model.setMeasuredCompressedSizes({{docker.layers.at(3).diffId, 2200}}); // nothing shown: no signal
        model.setReport(docker);
        QCOMPARE(text(model, 3, LayerTableModel::Compressed), u"2.2 kB"_s); // measured sizes outlive the report
    }

    void layerChartModel()
    {
        // The chart's model follows the layer table: a new report, a smaller one, none.
        auto source = std::make_unique<LayerTableModel>();
        LayerChartModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setSourceModel(source.get());
        QCOMPARE(model.rowCount(), 0);
        const ImageReport docker = diveReport(u"test-docker-image.tar"_s);
        source->setReport(docker);
        QCOMPARE(model.rowCount(), 14);
        QCOMPARE(model.columnCount(), 2);
        // The largest layer is 1.2 MB: the chart counts in kB.
        QCOMPARE(model.unitName(), u"kB"_s);
        QCOMPARE(model.index(0, LayerChartModel::Size).data().toDouble(), 1154.361);
        QCOMPARE(model.index(1, LayerChartModel::Size).data().toDouble(), 6.405);
        // A layer of a few bytes gets a stub up to 1.2 % of the largest; a large one none.
        QCOMPARE(model.index(0, LayerChartModel::Stub).data().toDouble(), 0.0);
        for (int row = 0; row < 14; ++row) {
            const double drawn = model.index(row, LayerChartModel::Size).data().toDouble()
                + model.index(row, LayerChartModel::Stub).data().toDouble();
            QVERIFY2(drawn >= 1154.361 * 0.0119, qPrintable(QString::number(row)));
        }
        QVERIFY2(model.headerData(0, Qt::Vertical).toString().startsWith(u"0  /bin/[ · 1.2 MB"_s),
                 qPrintable(model.headerData(0, Qt::Vertical).toString()));
        QCOMPARE(model.headerData(LayerChartModel::Size, Qt::Horizontal).toString(), u"Size"_s);
        QVERIFY(model.index(3, 0).data(Qt::ToolTipRole).toString().contains(u"somefile1.txt"_s));

        const ImageReport oci = diveReport(u"test-oci-gzip-image.tar"_s);
        source->setReport(oci);
        QCOMPARE(model.rowCount(), oci.layers.size());
        source->setReport(ImageReport{});
        QCOMPARE(model.rowCount(), 0);
        source->setReport(docker);
        QCOMPARE(model.rowCount(), 14);
        source.reset(); // the table goes away first: the chart's model empties, nothing dangles
        QCOMPARE(model.rowCount(), 0);
    }

    void layerChartViewFollowsItsModel()
    {
        // The bars come through the model mapper: a new report in the table redraws the chart.
        LayerTableModel source;
        LayerChartModel model;
        model.setSourceModel(&source);
        LayerChartView view;
        view.setModel(&model);
        auto *series = qobject_cast<QAbstractBarSeries *>(view.chart()->series().value(0));
        QVERIFY(series);
        auto *axis = qobject_cast<QBarCategoryAxis *>(view.chart()->axes(Qt::Vertical).value(0));
        QVERIFY(axis);
        const ImageReport docker = diveReport(u"test-docker-image.tar"_s);
        source.setReport(docker);
        QCOMPARE(series->barSets().size(), 2);
        QCOMPARE(series->barSets().at(0)->count(), 14);
        QCOMPARE(series->barSets().at(0)->at(0), 1154.361);
        // The value axis spans the largest layer (an axis attached before the data keeps 0..0).
        auto *values = qobject_cast<QValueAxis *>(view.chart()->axes(Qt::Horizontal).value(0));
        QVERIFY(values);
        QCOMPARE(values->min(), 0.0);
        QVERIFY2(values->max() >= 1154.361 && values->max() <= 1500, qPrintable(QString::number(values->max())));
        QCOMPARE(values->titleText(), u"kB"_s);
        QCOMPARE(axis->categories().size(), 14);
        QVERIFY(axis->categories().at(3).startsWith(u"3  /root/example/somefile1.txt"_s));
        view.selectLayer(5, u"Layer 5"_s);
        QVERIFY(series->barSets().at(0)->isBarSelected(5));
        QCOMPARE(view.chart()->title(), u"Layer 5"_s);

        const ImageReport oci = diveReport(u"test-oci-gzip-image.tar"_s);
        source.setReport(oci);
        QCOMPARE(series->barSets().size(), 2);
        QCOMPARE(series->barSets().at(0)->count(), oci.layers.size());
        QCOMPARE(axis->categories().size(), oci.layers.size());
        QCOMPARE(view.chart()->title(), QString()); // the old layer's title is gone with it
        source.setReport(ImageReport{});
        QCOMPARE(series->count(), 0); // no layers, no bars
        QCOMPARE(axis->categories().size(), 0);
    }

    void fileTreeModel()
    {
        FileTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const ImageReport docker = diveReport(u"test-docker-image.tar"_s);
        model.setReport(docker, 13);
        QVERIFY(model.rowCount() > 5);
        // Largest first by default: the busybox binaries' /bin is the biggest folder.
        QCOMPARE(text(model, 0, FileTreeModel::Name), u"bin/"_s);
        for (int row = 1; row < model.rowCount(); ++row)
            QVERIFY(model.index(row - 1, 0).data(FileTreeModel::SizeRole).toLongLong() >= model.index(row, 0).data(FileTreeModel::SizeRole).toLongLong());
        const QModelIndex saved = model.indexForPath(u"/root/saved.txt"_s);
        QVERIFY(saved.isValid());
        QCOMPARE(saved.siblingAtColumn(FileTreeModel::Size).data().toString(), u"6.4 kB"_s);
        QCOMPARE(saved.siblingAtColumn(FileTreeModel::Change).data().toString(), u"modified"_s); // chmod +x in layer 13
        QCOMPARE(saved.parent().data().toString(), u"root/"_s);

        // Sort by name: a held index follows its row.
        const QPersistentModelIndex held(saved);
        model.sort(FileTreeModel::Name, Qt::AscendingOrder);
        QCOMPARE(text(model, 0, FileTreeModel::Name), u"bin/"_s);
        QCOMPARE(held.data(FileTreeModel::PathRole).toString(), u"/root/saved.txt"_s);
        QStringList names;
        for (int row = 0; row < model.rowCount(); ++row)
            names << text(model, row, FileTreeModel::Name);
        QStringList sorted = names;
        sorted.sort(Qt::CaseInsensitive);
        QCOMPARE(names, sorted);

        // Shrink: only what layer 13 changed; another layer; layer 9 removed /root/example.
        const int all = model.rowCount();
        model.setChangesOnly(true);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(text(model, 0, FileTreeModel::Name), u"root/"_s);
        QVERIFY(model.rowCount() < all);
        model.setLayer(9);
        const QModelIndex example = model.indexForPath(u"/root/example"_s);
        QVERIFY(example.isValid());
        QCOMPARE(example.siblingAtColumn(FileTreeModel::Change).data().toString(), u"removed"_s);
        model.setChangesOnly(false);
        QCOMPARE(model.rowCount(), all);

        // Reset to another image, then to nothing.
        model.setReport(diveReport(u"test-oci-gzip-image.tar"_s), 0);
        QVERIFY(model.rowCount() > 0);
        QVERIFY(!model.indexForPath(u"/root/saved.txt"_s).isValid());
        model.setReport(ImageReport{}, 0);
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.indexForPath(u"/bin"_s).isValid());
    }

    void reclaimableModel()
    {
        ReclaimableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const ImageReport docker = diveReport(u"test-docker-image.tar"_s);
        model.setReport(docker);
        // Five dead 6405-byte copies (dive's 32025 wasted bytes).
        QCOMPARE(model.rowCount(), 5);
        QStringList paths;
        for (int row = 0; row < 5; ++row) {
            QCOMPARE(text(model, row, ReclaimableModel::Size), u"6.4 kB"_s);
            paths << text(model, row, ReclaimableModel::Path);
            const int holder = text(model, row, ReclaimableModel::Layer).toInt();
            QCOMPARE(model.index(row, 0).data(ReclaimableModel::LayerRole).toInt(), holder);
            QVERIFY2(text(model, row, ReclaimableModel::Reason).contains(u" in layer "_s), qPrintable(text(model, row, ReclaimableModel::Reason)));
        }
        QVERIFY(paths.contains(u"/root/saved.txt"_s));
        QVERIFY(paths.contains(u"/root/example/somefile1.txt"_s));

        // Shrink to an image with nothing dead, back, and clear.
        const ImageReport oci = diveReport(u"test-oci-gzip-image.tar"_s);
        model.setReport(oci);
        QCOMPARE(model.rowCount(), oci.reclaimable.size());
        model.setReport(docker);
        QCOMPARE(model.rowCount(), 5);
        model.setReport(ImageReport{});
        QCOMPARE(model.rowCount(), 0);
    }

    void serverListModel()
    {
        ServerListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setProfiles({server(u"staging"_s, u"staging.example.com"_s, 22, u"deploy"_s)});
        model.addProfile(server(QString(), u"10.0.0.7"_s, 2222, u"root"_s));
        model.addProfile(server(u"prod"_s, u"app.internal"_s, 22, u"deploy"_s, u"ops@bastion:2200"_s));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(text(model, 0, ServerListModel::NameColumn), u"staging"_s);
        QCOMPARE(text(model, 0, ServerListModel::AddressColumn), u"deploy@staging.example.com:22"_s);
        QCOMPARE(text(model, 1, ServerListModel::NameColumn), u"root@10.0.0.7:2222"_s); // no name: its address
        QCOMPARE(text(model, 2, ServerListModel::AddressColumn), u"deploy@app.internal:22 via ops@bastion:2200"_s);
        QVERIFY(model.index(2, 0).data(Qt::ToolTipRole).toString().contains(u"/srv/gantry"_s));
        QCOMPARE(model.indexOfName(u"prod"_s), 2);

        // Update in place: a ship's progress in the Status column.
        ShipProgress p;
        p.phase = ShipProgress::Uploading;
        p.message = u"sending layer 2 of 3"_s;
        p.sent = 250'000;
        p.toSend = 1'000'000;
        model.setProgress(2, p);
        QCOMPARE(text(model, 2, ServerListModel::StatusColumn), u"25% — sending layer 2 of 3"_s);
        QCOMPARE(model.progress(2).sent, 250'000);
        p.phase = ShipProgress::Loading;
        p.message = u"docker load"_s;
        model.setProgress(2, p);
        QCOMPARE(text(model, 2, ServerListModel::StatusColumn), u"docker load"_s);
        ServerProfile renamed = model.profile(0);
        renamed.name = u"staging-eu"_s;
        model.replaceProfile(0, renamed);
        QCOMPARE(text(model, 0, ServerListModel::NameColumn), u"staging-eu"_s);
        model.setProgress(7, p); // a row that is not there: ignored
        model.replaceProfile(-1, renamed);

        // Shrink: remove the middle row; its neighbours keep their status.
        model.removeProfile(1);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(text(model, 1, ServerListModel::NameColumn), u"prod"_s);
        QCOMPARE(model.status(1), u"docker load"_s);
        model.removeProfile(5);
        QCOMPARE(model.rowCount(), 2);
        model.clearStatus();
        QCOMPARE(text(model, 1, ServerListModel::StatusColumn), QString());

        // Reset and clear.
        model.setProfiles({server(u"one"_s, u"one.example.com"_s, 22, QString())});
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(text(model, 0, ServerListModel::AddressColumn), u"one.example.com:22"_s);
        model.setProfiles({});
        QCOMPARE(model.rowCount(), 0);
        model.clearStatus();
    }

    void layerStateModel()
    {
        LayerStateModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        // The first progress of a ship: what the server has, what must travel.
        ShipProgress p;
        p.phase = ShipProgress::Checking;
        p.layers = {layer(u"4a1b2c3d4e5f6789"_s, 2'900'000, LayerShipState::AlreadyThere),
                    layer(u"77aa88bb99cc00dd"_s, 1'400'000, LayerShipState::Pending),
                    layer(u"0123456789abcdef"_s, 178'000, LayerShipState::Pending)};
        model.setLayers(p.layers);
        QCOMPARE(reset.size(), 1);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(text(model, 0, LayerStateModel::LayerColumn), u"1  4a1b2c3d4e5f"_s);
        QCOMPARE(text(model, 1, LayerStateModel::SizeColumn), u"1.4 MB"_s);
        QCOMPARE(text(model, 0, LayerStateModel::StateColumn), LayerShipState::stateName(LayerShipState::AlreadyThere));

        // Update in place as the upload goes: same layers, new states (no reset).
        p.phase = ShipProgress::Uploading;
        p.layers[1].state = LayerShipState::Sending;
        p.layers[1].transfer = LayerShipState::Delta;
        model.setLayers(p.layers);
        QCOMPARE(text(model, 1, LayerStateModel::StateColumn), u"sending delta"_s);
        p.layers[1].state = LayerShipState::Verified;
        p.layers[1].sentBytes = 178'352;
        p.layers[2].state = LayerShipState::Sending;
        p.layers[2].transfer = LayerShipState::Whole;
        model.setLayers(p.layers);
        QCOMPARE(reset.size(), 1);
        QVERIFY(changed.size() >= 2);
        QCOMPARE(text(model, 1, LayerStateModel::StateColumn), u"delta: sent 178.4 kB of 1.4 MB, verified"_s);

        // The ship fails: the layer still on its way reads "not sent".
        model.setOutcome(LayerStateModel::Outcome::Failed);
        QCOMPARE(text(model, 2, LayerStateModel::StateColumn), u"not sent (the ship failed)"_s);
        QCOMPARE(model.stateText(1), u"delta: sent 178.4 kB of 1.4 MB, verified"_s);
        model.setOutcome(LayerStateModel::Outcome::Running);

        // Shrink to another image's two layers, then clear.
        model.setLayers({layer(u"aaaabbbbccccdddd"_s, 5000, LayerShipState::InEngine), layer(u"eeeeffff00001111"_s, 9000, LayerShipState::Pending)});
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(text(model, 1, LayerStateModel::LayerColumn), u"2  eeeeffff0000"_s);
        model.setLayers({});
        QCOMPARE(model.rowCount(), 0);
        model.setOutcome(LayerStateModel::Outcome::Cancelled); // nothing to repaint
    }
};

QTEST_MAIN(TestItemModels)
#include "tst_itemmodels.moc"
