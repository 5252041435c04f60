// SPDX-License-Identifier: MIT
// The Build page (offscreen) running real builds: steps by stage updating live, the
// summary and Inspect, a compiler error selected and shown on top, Stop. Screenshots go
// to build/dev/screenshots/build-page-*.png.
#include "buildrun/buildeventparser.h"
#include "buildrun/buildhistory.h"
#include "buildrun/failuresummary.h"
#include "buildsteps/buildstepmodel.h"
#include "pages/buildpage.h"
#include "recipe/buildrecipe.h"
#include "widgets/emptystate.h"
#include "widgets/messagebar.h"

#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QScopeGuard>
#include <QSettings>
#include <QStandardPaths>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

QString exampleDir() { return GantryTest::sourceDir() + u"/examples/hello-stack"_s; }
QString exampleDockerfile() { return QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/hello-stack.Dockerfile"_s; }

void saveShot(QWidget *w, const QString &name)
{
    const QString dir = QStringLiteral(GANTRY_BINARY_DIR) + u"/screenshots"_s;
    QDir().mkpath(dir);
    QVERIFY(w->grab().save(dir + u"/"_s + name, "PNG"));
}

QStringList stageNames(const BuildStepModel *m)
{
    QStringList out;
    for (int i = 0; i < m->rowCount(); ++i)
        out << m->stageName(i);
    return out;
}

int stageRow(const BuildStepModel *m, const QString &name)
{
    return int(stageNames(m).indexOf(name));
}

/// A part of the page, found by its object name (empty: the one of its class); the page
/// has no accessors for tests.
template<class T>
T *part(const QWidget &page, const QString &name)
{
    T *found = page.findChild<T *>(name);
    if (!found)
        qFatal("the Build page has no %s named %s", T::staticMetaObject.className(), qPrintable(name));
    return found;
}

BuildStepModel *stepModel(const BuildPage &page) { return part<BuildStepModel>(page, u"BuildStepModel"_s); }
QLabel *summaryLabel(const BuildPage &page) { return part<QLabel>(page, u"BuildSummary"_s); }
QLabel *statusLabel(const BuildPage &page) { return part<QLabel>(page, u"BuildStatus"_s); }
QLabel *platformLabel(const BuildPage &page) { return part<QLabel>(page, u"BuildPlatform"_s); }
QPlainTextEdit *logView(const BuildPage &page) { return part<QPlainTextEdit>(page, u"BuildLog"_s); }
MessageBar *messageBar(const BuildPage &page) { return part<MessageBar>(page, {}); } // the page's one (styled by its own name)
QProgressBar *progressBar(const BuildPage &page) { return part<QProgressBar>(page, u"BuildProgress"_s); }

/// The result the page announced at the end of its build.
BuildResult lastResult(const QSignalSpy &finished)
{
    return finished.isEmpty() ? BuildResult() : finished.constLast().constFirst().value<BuildResult>();
}

bool anyStepRunning(const BuildStepModel *m, const QString &stage, int index)
{
    const int g = stageRow(m, stage);
    if (g < 0)
        return false;
    const QModelIndex parent = m->index(g, 0);
    for (int r = 0; r < m->rowCount(parent); ++r) {
        const BuildStep *s = m->step(m->stepIndex(m->index(r, 0, parent)));
        if (s && s->index == index && s->state == BuildStep::State::Running)
            return true;
    }
    return false;
}

} // namespace

class TestBuildPage : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_tmp.isValid());
        qputenv("GANTRY_HISTORY_DB", m_tmp.filePath(u"history.sqlite"_s).toUtf8());
        if (!GantryTest::runDocker({u"buildx"_s, u"version"_s}).ok())
            QSKIP("docker buildx is not available here");
    }

    void cleanupTestCase()
    {
        GantryTest::runDocker({u"rmi"_s, u"-f"_s, u"gantry-test-build-page:amd64"_s, u"gantry-test-build-page:both-amd64"_s,
                               u"gantry-test-build-page:both-arm64"_s});
    }

    void modelOverARecordedBuild()
    {
        // The recorded cold arm64 build, fed in small chunks as the runner would: the tree
        // passes the model tester at every step and ends in Dockerfile order.
        QFile f(QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/build/cold-arm64.rawjson"_s);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray data = f.readAll();
        BuildStepModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        BuildEventParser parser;
        for (qsizetype i = 0; i < data.size(); i += 997) {
            parser.feed(QByteArrayView(data).sliced(i, std::min<qsizetype>(997, data.size() - i)));
            for (int index : parser.takeChanges().steps)
                model.updateStep(index, parser.steps().at(index));
        }
        parser.finish();
        QCOMPARE(stageNames(&model), (QStringList{u"buildx (internal)"_s, u"frontend"_s, u"backend"_s, u"stage-2"_s, u"output"_s}));
        const QModelIndex backend = model.index(stageRow(&model, u"backend"_s), 0);
        QCOMPARE(model.rowCount(backend), 5);
        for (int row = 0; row < 5; ++row)
            QCOMPARE(model.step(model.stepIndex(model.index(row, 0, backend)))->index, row + 1);
        QCOMPARE(model.index(4, BuildStepModel::StateColumn, backend).data().toString(), u"done"_s);
        QVERIFY(model.index(4, BuildStepModel::DurationColumn, backend).data().toString().endsWith(u" s"_s));
        QCOMPARE(model.index(stageRow(&model, u"backend"_s), BuildStepModel::StateColumn).data(BuildStepModel::StateRole).toInt(),
                 int(BuildStep::State::Done));
        // Hiding buildx's internal steps removes their group.
        model.setShowInternal(false);
        QCOMPARE(stageNames(&model).constFirst(), u"frontend"_s);
    }

    void emptyStates()
    {
        BuildPage page;
        auto *stack = page.findChild<QStackedWidget *>();
        QVERIFY(stack);
        QCOMPARE(stack->currentWidget(), page.emptyState());
        QVERIFY(!page.canBuild());
        QTemporaryDir dir;
        QSignalSpy can(&page, &BuildPage::canBuildChanged);
        page.setProject(dir.path());
        QCOMPARE(stack->currentWidget(), page.emptyState());
        QVERIFY(page.emptyState()->text().contains(u"no Dockerfile"_s));
        QVERIFY(!page.canBuild());
        page.setDockerfile(exampleDockerfile());
        QVERIFY(page.canBuild());
        QCOMPARE(can.size(), 1);
        QVERIFY(stack->currentWidget() != page.emptyState());
    }

    void projectWithRecipe()
    {
        // A project configured with gantry.toml: the page takes its Dockerfile, tag and platforms.
        QTemporaryDir dir;
        BuildRecipe recipe;
        recipe.backendDir = u"backend"_s;
        recipe.binary = u"hello-backend"_s;
        recipe.platforms = {u"linux/arm64"_s, u"linux/amd64"_s};
        recipe.imageTag = u"gantry-test-build-page:recipe"_s;
        recipe.dockerfile = u"docker/app.Dockerfile"_s;
        QString error;
        if (const Status saved = recipe.save(dir.path()); !saved)
            QFAIL(qPrintable(saved.failure().sentence()));
        BuildPage page;
        page.setProject(dir.path());
        QVERIFY(!page.canBuild()); // the recipe's Dockerfile is not written yet
        QVERIFY(page.emptyState()->text().contains(u"no Dockerfile"_s));
        QVERIFY(QDir(dir.path()).mkpath(u"docker"_s));
        QVERIFY(QFile::copy(exampleDockerfile(), dir.filePath(u"docker/app.Dockerfile"_s)));
        page.setProject(dir.path());
        QVERIFY(page.canBuild());
        QCOMPARE(page.imageTag(), u"gantry-test-build-page:recipe"_s);
        QCOMPARE(page.platform(), u"linux/arm64"_s);
        // Both of the recipe's platforms are built (in its order), each one alone can be chosen.
        QCOMPARE(page.platforms(), (QStringList{u"linux/arm64"_s, u"linux/amd64"_s}));
        page.setPlatform(u"linux/amd64"_s);
        QCOMPARE(page.platforms(), QStringList{u"linux/amd64"_s});
        // A broken gantry.toml: its own sentence, no build.
        QFile toml(dir.filePath(u"gantry.toml"_s));
        QVERIFY(toml.open(QIODevice::WriteOnly | QIODevice::Truncate));
        toml.write("[target\n");
        toml.close();
        page.setProject(dir.path());
        QVERIFY(!page.canBuild());
        QVERIFY2(page.emptyState()->text().contains(u"gantry.toml"_s), qPrintable(page.emptyState()->text()));
        // The cause on one line (where in gantry.toml, and what), the fix on the next: the
        // CLI's one sentence, split.
        const QStringList lines = page.emptyState()->text().split(u'\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(lines.at(0).contains(u"gantry.toml:1:"_s) && lines.at(0).endsWith(u'.'), qPrintable(lines.at(0)));
        QCOMPARE(lines.at(1), u"Fix the file or delete it and configure again."_s);
    }

    void buildShowsStepsAndSummary()
    {
        BuildPage page;
        page.resize(1200, 760);
        page.show();
        QAbstractItemModelTester tester(stepModel(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.setProject(exampleDir());
        page.setDockerfile(exampleDockerfile());
        page.setImageTag(u"gantry-test-build-page:amd64"_s);
        page.setPlatform(u"linux/amd64"_s);
        QVERIFY(page.canBuild());
        QSignalSpy building(&page, &BuildPage::buildingChanged);
        QSignalSpy finished(&page, &BuildPage::buildFinished);
        QSignalSpy succeeded(&page, &BuildPage::buildSucceeded);
        QSignalSpy rows(stepModel(page), &QAbstractItemModel::rowsInserted);
        page.startBuild();
        QVERIFY(page.isBuilding());
        QVERIFY(!page.canBuild());
        QCOMPARE(building.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 600000);
        QVERIFY(!page.isBuilding());
        QVERIFY(page.canBuild());
        QVERIFY(rows.size() > 10); // the tree grew live, step by step
        const BuildResult r = lastResult(finished);
        QVERIFY2(r.succeeded(), qPrintable(r.failure.sentence()));

        // Steps grouped by stage, in Dockerfile order, with cache marks and durations.
        const BuildStepModel *m = stepModel(page);
        const QStringList stages = stageNames(m);
        for (const QString &s : {u"frontend"_s, u"backend"_s, u"stage-2"_s, u"output"_s})
            QVERIFY2(stages.contains(s), qPrintable(stages.join(u',')));
        QCOMPARE(m->rowCount(m->index(stageRow(m, u"frontend"_s), 0)), 4);
        QCOMPARE(m->rowCount(m->index(stageRow(m, u"backend"_s), 0)), 5);
        const QModelIndex backend = m->index(stageRow(m, u"backend"_s), 0);
        for (int row = 0; row < 5; ++row) {
            const BuildStep *s = m->step(m->stepIndex(m->index(row, 0, backend)));
            QVERIFY(s);
            QCOMPARE(s->index, row + 1);
            QVERIFY(s->isFinished());
            QCOMPARE(m->index(row, 0, backend).data(BuildStepModel::CachedRole).toBool(), s->cached);
            if (s->cached)
                QCOMPARE(m->index(row, BuildStepModel::StateColumn, backend).data().toString(), u"cached"_s);
        }
        QVERIFY(r.cachedSteps > 0);
        QVERIFY(!m->index(stageRow(m, u"output"_s), BuildStepModel::DurationColumn).data().toString().isEmpty());

        // Progress full, summary with duration, cache hits and size, and Inspect.
        QCOMPARE(progressBar(page)->value(), progressBar(page)->maximum());
        QVERIFY(summaryLabel(page)->isVisible());
        const QString summary = summaryLabel(page)->text();
        QVERIFY2(summary.contains(u"13 steps"_s), qPrintable(summary));
        QVERIFY(summary.contains(u"%1 from the cache"_s.arg(r.cachedSteps)));
        QVERIFY(summary.contains(formatBytes(r.imageSize)));
        QVERIFY(summary.contains(u"gantry-test-build-page:amd64"_s));
        saveShot(&page, u"build-page-succeeded.png"_s);
        QVERIFY(succeeded.isEmpty());
        QTest::mouseClick(part<QPushButton>(page, u"InspectButton"_s), Qt::LeftButton);
        QCOMPARE(succeeded.size(), 1);
        QCOMPARE(succeeded.constFirst().at(0).toString(), u"gantry-test-build-page:amd64"_s);
        QCOMPARE(succeeded.constFirst().at(1).toString(), exampleDir());
        // The history has it.
        BuildHistory history;
        QCOMPARE(history.recent(1).value(0).result, u"succeeded"_s);
        // Opening the project again shows its last build from the history.
        BuildPage again;
        again.setProject(exampleDir());
        // Read from the history off the GUI thread: it appears once the read is back.
        QTRY_VERIFY2(statusLabel(again)->text().contains(u"Last build"_s), qPrintable(statusLabel(again)->text()));
        QVERIFY(statusLabel(again)->text().contains(formatBytes(r.imageSize)));
    }

    void bothPlatformsGroupedByPlatform()
    {
        GantryTest::runDocker({u"rmi"_s, u"-f"_s, u"gantry-test-build-page:both-amd64"_s, u"gantry-test-build-page:both-arm64"_s});
        BuildPage page;
        page.resize(1200, 760);
        page.show();
        QAbstractItemModelTester tester(stepModel(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.setProject(exampleDir());
        page.setDockerfile(exampleDockerfile());
        page.setImageTag(u"gantry-test-build-page:both"_s);
        page.setPlatform(u"linux/amd64,linux/arm64"_s);
        QCOMPARE(page.platforms(), (QStringList{u"linux/amd64"_s, u"linux/arm64"_s}));
        QSignalSpy finished(&page, &BuildPage::buildFinished);
        QSignalSpy building(&page, &BuildPage::buildingChanged);
        QStringList platformTexts;
        bool shotTaken = false;
        // While the second platform builds, the page says so, above its own step groups.
        QTimer poll;
        const auto check = [&] {
            const QString text = platformLabel(page)->isVisible() ? platformLabel(page)->text() : QString();
            if (!text.isEmpty() && !platformTexts.contains(text))
                platformTexts << text;
            if (!shotTaken && text == u"2 of 2: linux/arm64"_s && stageRow(stepModel(page), u"linux/arm64 backend"_s) >= 0) {
                shotTaken = true;
                QVERIFY(statusLabel(page)->text().startsWith(u"2 of 2: linux/arm64"_s));
                saveShot(&page, u"build-page-second-platform.png"_s);
            }
        };
        connect(&poll, &QTimer::timeout, this, check);
        poll.start(20);
        page.startBuild();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 900000);
        poll.stop();
        check();
        QCOMPARE(building.size(), 2); // one build from the page's view: on, then off
        const BuildResult r = lastResult(finished);
        QVERIFY2(r.succeeded(), qPrintable(r.failure.sentence()));
        QCOMPARE(platformTexts, (QStringList{u"1 of 2: linux/amd64"_s, u"2 of 2: linux/arm64"_s, u"2 platforms"_s}));
        QVERIFY(shotTaken);

        // Each platform's stages, first platform first, the export of each last in its block.
        QStringList stages = stageNames(stepModel(page));
        QCOMPARE(stages.constFirst(), u"buildx (internal)"_s);
        stages.removeFirst();
        // (Stages in the order buildx reported them; unnamed ones and the export after them.)
        QCOMPARE(stages.size(), 8);
        for (int i = 0; i < 8; ++i) {
            const QString platform = i < 4 ? u"linux/amd64"_s : u"linux/arm64"_s;
            QVERIFY2(stages.at(i).startsWith(platform + u' '), qPrintable(stages.join(u',')));
        }
        for (const QString &p : {u"linux/amd64"_s, u"linux/arm64"_s}) {
            const int block = p == u"linux/amd64"_s ? 0 : 4;
            QCOMPARE(QSet<QString>(stages.begin() + block, stages.begin() + block + 2),
                     (QSet<QString>{p + u" frontend"_s, p + u" backend"_s}));
            QCOMPARE(stages.at(block + 2), p + u" stage-2"_s);
            QCOMPARE(stages.at(block + 3), p + u" output"_s);
        }
        const BuildStepModel *m = stepModel(page);
        QCOMPARE(m->rowCount(m->index(stageRow(m, u"linux/arm64 backend"_s), 0)), 5);
        // The summary lists each image with its size; Inspect takes the first platform's.
        QCOMPARE(r.images.size(), 2);
        const QString summary = summaryLabel(page)->text();
        QVERIFY2(summary.contains(u"Built 2 images"_s), qPrintable(summary));
        for (const PlatformImage &i : r.images) {
            QVERIFY(summary.contains(i.tag));
            QVERIFY(summary.contains(formatBytes(i.imageSize)));
            QCOMPARE(GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Architecture}}"_s, i.tag}).stdoutText(),
                     i.platform.section(u'/', 1));
        }
        QVERIFY(summary.indexOf(u"gantry-test-build-page:both-amd64"_s) < summary.indexOf(u"gantry-test-build-page:both-arm64"_s));
        saveShot(&page, u"build-page-both-platforms.png"_s);
        QSignalSpy succeeded(&page, &BuildPage::buildSucceeded);
        QTest::mouseClick(part<QPushButton>(page, u"InspectButton"_s), Qt::LeftButton);
        QCOMPARE(succeeded.size(), 1);
        QCOMPARE(succeeded.constFirst().at(0).toString(), u"gantry-test-build-page:both-amd64"_s);
        // The builder used is named on the page.
        QVERIFY(part<QLabel>(page, u"BuilderLabel"_s)->text().contains(u"Builds with"_s));
    }

    void compilerErrorIsSelectedAndShownOnTop()
    {
        // A small real rustc error (no crates: fast), built with the local Rust image.
        QTemporaryDir dir;
        QFile f(dir.filePath(u"Dockerfile"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("FROM gantry/rust:debian AS backend\n"
                "WORKDIR /src\n"
                "RUN printf 'fn main() {\\n    let port: u16 = \"3000\";\\n    println!(\"{port}\");\\n}\\n' > main.rs\n"
                "RUN echo compiling && rustc main.rs\n"
                "FROM scratch\nCOPY --from=backend /src/main /main\n");
        f.close();
        BuildPage page;
        page.resize(1200, 760);
        page.show();
        QAbstractItemModelTester tester(stepModel(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.setProject(dir.path());
        page.setImageTag(u"gantry-test-build-page:broken"_s);
        QSignalSpy finished(&page, &BuildPage::buildFinished);
        page.startBuild();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 300000);
        const BuildResult r = lastResult(finished);
        QCOMPARE(r.outcome, BuildResult::Outcome::Failed);
        QCOMPARE(toString(r.failure.errorClass), toString(ErrorClass::CompileError));
        // The failing step is selected, its log is shown, the error is on top.
        const QModelIndex current = part<QTreeView>(page, u"BuildStepView"_s)->currentIndex();
        QVERIFY(current.isValid());
        QCOMPARE(stepModel(page)->stepIndex(current), r.failure.stepIndex);
        QCOMPARE(current.data(BuildStepModel::StateRole).toInt(), int(BuildStep::State::Failed));
        QVERIFY(stepModel(page)->step(r.failure.stepIndex)->command.contains(u"rustc main.rs"_s));
        QVERIFY(messageBar(page)->isVisible());
        QCOMPARE(messageBar(page)->type(), MessageBar::Type::Error);
        QVERIFY(messageBar(page)->text().contains(u"compiler"_s));
        QVERIFY(part<QPlainTextEdit>(page, u"BuildErrorLines"_s)->isVisible());
        QVERIFY(part<QPlainTextEdit>(page, u"BuildErrorLines"_s)->toPlainText().startsWith(u"error[E0308]: mismatched types"_s));
        QVERIFY(logView(page)->toPlainText().contains(u"error[E0308]"_s));
        QVERIFY(logView(page)->toPlainText().contains(u"compiling"_s));
        QVERIFY(!summaryLabel(page)->isVisible());
        saveShot(&page, u"build-page-failed.png"_s);
    }

    void compilerLocationsAreInTheRepositoryAndOpenInTheEditor()
    {
        // The file is in the repository under server/; the compiler, in the container, prints
        // src/main.rs. The page shows server/src/main.rs:2:21 and Enter opens it in the editor
        // the preferences name (here a script that writes down what it was asked to open).
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(u"server/src"_s));
        QFile src(dir.filePath(u"server/src/main.rs"_s));
        QVERIFY(src.open(QIODevice::WriteOnly));
        src.write("fn main() {\n    let port: u16 = \"3000\";\n    println!(\"{port}\");\n}\n");
        src.close();
        QFile f(dir.filePath(u"Dockerfile"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("FROM gantry/rust:debian AS backend\nWORKDIR /build\nCOPY server/ ./\nRUN rustc src/main.rs\n"
                "FROM scratch\nCOPY --from=backend /build/main /main\n");
        f.close();
        const QString opened = dir.filePath(u"opened.txt"_s);
        QFile editor(dir.filePath(u"editor.sh"_s));
        QVERIFY(editor.open(QIODevice::WriteOnly));
        editor.write(u"#!/bin/sh\necho \"$@\" > '%1'\n"_s.arg(opened).toUtf8());
        editor.close();
        editor.setPermissions(editor.permissions() | QFileDevice::ExeOwner);
        QSettings settings;
        settings.setValue(u"editor/command"_s, QString(editor.fileName() + u" {file} {line} {column}"_s));
        settings.sync();
        auto reset = qScopeGuard([] { QSettings().remove(u"editor/command"_s); });

        BuildPage page;
        page.resize(1024, 640);
        page.show();
        page.setProject(dir.path());
        page.setImageTag(u"gantry-test-build-page:located"_s);
        QSignalSpy finished(&page, &BuildPage::buildFinished);
        auto *build = page.findChild<QPushButton *>(u"BuildButton"_s);
        QVERIFY(build && build->isEnabled());
        QTest::mouseClick(build, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 300000);
        QCOMPARE(toString(lastResult(finished).failure.errorClass), toString(ErrorClass::CompileError));
        // One headline with the cause, in the repository's terms.
        const QString banner = messageBar(page)->text();
        QVERIFY2(banner.startsWith(u"<b>rustc: 1 error in server/src/main.rs:2:21</b>"_s), qPrintable(banner));
        // The cause under it names the same place, not the container's src/main.rs.
        QVERIFY2(banner.contains(u"in your code at server/src/main.rs:2:21: mismatched types"_s), qPrintable(banner));
        QListWidget *locations = part<QListWidget>(page, u"FailureLocations"_s);
        QVERIFY(locations->isVisible());
        QCOMPARE(locations->count(), 1);
        QCOMPARE(locations->item(0)->text(), u"server/src/main.rs:2:21"_s);
        saveShot(&page, u"build-page-located.png"_s);
        // The location clicked, then Enter, as in an IDE's issues list.
        QTest::mouseClick(locations->viewport(), Qt::LeftButton, {}, locations->visualItemRect(locations->item(0)).center());
        QCOMPARE(locations->currentRow(), 0);
        QTest::keyClick(locations, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(opened), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(QString::fromUtf8(GantryTest::readAll(opened)).trimmed(),
                                  dir.filePath(u"server/src/main.rs"_s) + u" 2 21"_s, 10000);
    }

    void stopDuringTheBuild()
    {
        QTemporaryDir dir;
        QVERIFY(runProcess(u"cp"_s, {u"-r"_s, exampleDir() + u"/."_s, dir.path()}).ok());
        {
            QFile f(dir.filePath(u"backend/src/main.rs"_s));
            QVERIFY(f.open(QIODevice::Append));
            f.write(u"\n// gantry-test-build-page %1: a change so cargo has to run\n"_s.arg(QDateTime::currentMSecsSinceEpoch()).toUtf8());
        }
        BuildPage page;
        page.resize(1200, 760);
        page.show();
        QAbstractItemModelTester tester(stepModel(page), QAbstractItemModelTester::FailureReportingMode::QtTest);
        page.setProject(dir.path());
        page.setDockerfile(exampleDockerfile());
        page.setImageTag(u"gantry-test-build-page:stopped"_s);
        page.setPlatform(u"linux/amd64"_s);
        QSignalSpy finished(&page, &BuildPage::buildFinished);
        page.startBuild();
        QTRY_VERIFY_WITH_TIMEOUT(anyStepRunning(stepModel(page), u"backend"_s, 5) || !finished.isEmpty(), 300000);
        QVERIFY2(finished.isEmpty(), "the build ended before Stop");
        // cargo's output arrives live in the log of all steps.
        QTRY_VERIFY_WITH_TIMEOUT(logView(page)->toPlainText().contains(u"Compiling"_s) || !finished.isEmpty(), 120000);
        QVERIFY2(finished.isEmpty(), "the build ended before Stop");
        QVERIFY(progressBar(page)->value() < progressBar(page)->maximum());
        saveShot(&page, u"build-page-running.png"_s);
        page.stopBuild();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 30000);
        QVERIFY(!page.isBuilding());
        QCOMPARE(lastResult(finished).outcome, BuildResult::Outcome::Cancelled);
        QVERIFY(messageBar(page)->text().contains(u"stopped"_s));
        BuildHistory history;
        QCOMPARE(history.recent(1).value(0).result, u"cancelled"_s);
        saveShot(&page, u"build-page-stopped.png"_s);
    }
};

QTEST_MAIN(TestBuildPage)
#include "tst_build_page.moc"
