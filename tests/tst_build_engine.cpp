// SPDX-License-Identifier: MIT
// BuildRunner, BuildHistory and the builder list against the real engine and buildx.
// The example (examples/hello-stack) is built with tests/data/hello-stack.Dockerfile for
// linux/amd64 and (cross-compiled) linux/arm64; the images are run and checked.
#include "buildrun/builders.h"
#include "buildrun/buildhistory.h"
#include "buildrun/buildrunner.h"
#include "buildrun/multiplatformbuild.h"

#include "testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <csignal>
#include <cerrno>

using namespace Qt::StringLiterals;
using GantryTest::httpGet;
using namespace Gantry;

namespace {

QString exampleDir() { return GantryTest::sourceDir() + u"/examples/hello-stack"_s; }
QString exampleDockerfile() { return QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/hello-stack.Dockerfile"_s; }

/// Runs the image detached with port 3000 published on 127.0.0.1; returns the host port.
int runImage(const QString &image, const QString &name, const QString &platform)
{
    GantryTest::runDocker({u"rm"_s, u"-f"_s, name});
    QStringList args{u"run"_s, u"-d"_s, u"--name"_s, name, u"-p"_s, u"127.0.0.1:0:3000"_s};
    if (!platform.isEmpty())
        args << u"--platform"_s << platform;
    args << image;
    const ProcessResult run = GantryTest::runDocker(args);
    if (!run.ok()) {
        qWarning() << "docker run failed:" << run.stderrText();
        return -1;
    }
    const ProcessResult port = GantryTest::runDocker({u"port"_s, name, u"3000/tcp"_s});
    return port.stdoutText().section(u'\n', 0, 0).section(u':', -1).toInt();
}

/// GET /api/health until it answers (the server needs a moment, more under QEMU).
GantryTest::HttpAnswer waitForHealth(int port)
{
    return GantryTest::httpGetWhenUp(u"http://127.0.0.1:%1/api/health"_s.arg(port), 30000);
}

/// e_machine of the image's /app/hello-backend (62 = x86-64, 183 = AArch64), -1 if not an ELF.
int elfMachineOf(const QString &image, const QString &name)
{
    GantryTest::runDocker({u"rm"_s, u"-f"_s, name});
    if (!GantryTest::runDocker({u"create"_s, u"--name"_s, name, image}).ok())
        return -1;
    QTemporaryDir dir;
    const QString file = dir.filePath(u"hello-backend"_s);
    const bool copied = GantryTest::runDocker({u"cp"_s, name + u":/app/hello-backend"_s, file}).ok();
    GantryTest::runDocker({u"rm"_s, u"-f"_s, name});
    QFile f(file);
    if (!copied || !f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray h = f.read(64);
    if (h.size() < 20 || !h.startsWith("\x7F" "ELF") || h.at(4) != 2 /* 64-bit */)
        return -1;
    return quint8(h.at(18)) | (quint8(h.at(19)) << 8);
}

using GantryTest::processesMentioning;

BuildResult runBuild(BuildRunner &runner, const BuildRequest &request, int timeoutMs = 600000)
{
    QSignalSpy finished(&runner, &BuildRunner::finished);
    runner.start(request);
    if (!finished.wait(timeoutMs))
        return {};
    return finished.constFirst().constFirst().value<BuildResult>();
}

/// A copy of the example whose main.rs does not compile (a string where an i32 is wanted... no:
/// an integer where a &str is wanted).
bool makeBrokenExample(const QString &target)
{
    if (!GantryTest::runDocker({u"version"_s}).started)
        return false;
    const ProcessResult cp = runProcess(u"cp"_s, {u"-r"_s, exampleDir() + u"/."_s, target});
    if (!cp.ok())
        return false;
    QFile f(target + u"/backend/src/main.rs"_s);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    QByteArray src = f.readAll();
    f.close();
    src.replace("status: \"ok\",", "status: 42,");
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(src) == src.size();
}

} // namespace

class TestBuildEngine : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString historyPath() const { return m_tmp.filePath(u"history.sqlite"_s); }
    BuildRequest exampleRequest(const QString &platform, const QString &tag) const
    {
        BuildRequest r;
        r.contextDir = exampleDir();
        r.projectRoot = exampleDir();
        r.dockerfile = exampleDockerfile();
        r.platforms = {platform};
        r.tag = tag;
        r.historyPath = historyPath();
        r.recipeText = u"# test recipe\n"_s;
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        const ProcessResult v = GantryTest::runDocker({u"buildx"_s, u"version"_s});
        if (!v.ok())
            QSKIP("docker buildx is not available here");
    }

    void cleanupTestCase()
    {
        for (const QString &c : {u"gantry-test-build-core-amd64"_s, u"gantry-test-build-core-arm64"_s, u"gantry-test-build-core-elf"_s})
            GantryTest::runDocker({u"rm"_s, u"-f"_s, c});
        GantryTest::runDocker({u"rmi"_s, u"-f"_s, u"gantry-test-build-core:amd64"_s, u"gantry-test-build-core:arm64"_s,
                               u"gantry-test-build-core:ctx"_s, u"gantry-test-build-core:both-amd64"_s,
                               u"gantry-test-build-core:both-arm64"_s, u"gantry-test-build-core:stop-amd64"_s,
                               u"gantry-test-build-core:stop-arm64"_s});
    }

    void platformTags()
    {
        QCOMPARE(platformImageTag(u"hello:latest"_s, u"linux/arm64"_s), u"hello:latest-arm64"_s);
        QCOMPARE(platformImageTag(u"hello"_s, u"linux/amd64"_s), u"hello:latest-amd64"_s);
        QCOMPARE(platformImageTag(u"reg.example:5000/team/hello"_s, u"linux/arm64"_s), u"reg.example:5000/team/hello:latest-arm64"_s);
        QCOMPARE(platformImageTag(u"reg.example:5000/team/hello:1.2"_s, u"linux/arm/v7"_s), u"reg.example:5000/team/hello:1.2-arm-v7"_s);
    }

    void bothPlatformsOneAfterTheOther()
    {
        // One run, two builds (the classic store cannot --load a multi-platform image), each
        // loaded under its own tag, numbered steps across both, a history row for each.
        GantryTest::runDocker({u"rmi"_s, u"-f"_s, u"gantry-test-build-core:both-amd64"_s, u"gantry-test-build-core:both-arm64"_s});
        MultiPlatformBuild build;
        QSignalSpy platformStarted(&build, &MultiPlatformBuild::platformStarted);
        QSignalSpy platformFinished(&build, &MultiPlatformBuild::platformFinished);
        QSignalSpy finished(&build, &MultiPlatformBuild::finished);
        QHash<int, BuildStep> seen;
        connect(&build, &MultiPlatformBuild::stepUpdated, this, [&](int index, const BuildStep &step) { seen.insert(index, step); });
        BuildRequest request = exampleRequest(u"linux/amd64"_s, u"gantry-test-build-core:both"_s);
        request.platforms = {u"linux/amd64"_s, u"linux/arm64"_s};
        build.start(request);
        QVERIFY(build.isRunning());
        QVERIFY(finished.wait(900000));
        const BuildResult r = finished.constFirst().constFirst().value<BuildResult>();
        QVERIFY2(r.succeeded(), qPrintable(r.failure.sentence()));
        QCOMPARE(platformStarted.size(), 2);
        QCOMPARE(platformStarted.at(0), (QVariantList{0, 2, u"linux/amd64"_s, u"gantry-test-build-core:both-amd64"_s}));
        QCOMPARE(platformStarted.at(1), (QVariantList{1, 2, u"linux/arm64"_s, u"gantry-test-build-core:both-arm64"_s}));
        QCOMPARE(platformFinished.size(), 2);

        // Each image is in the engine under its tag, for its architecture, with the size reported.
        QCOMPARE(r.images.size(), 2);
        const QStringList arch{u"amd64"_s, u"arm64"_s};
        for (int i = 0; i < 2; ++i) {
            const PlatformImage &image = r.images.at(i);
            QCOMPARE(image.platform, u"linux/"_s + arch.at(i));
            QCOMPARE(image.tag, u"gantry-test-build-core:both-"_s + arch.at(i));
            const ProcessResult inspect = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s,
                                                                 u"{{.Id}} {{.Size}} {{.Architecture}}"_s, image.tag});
            QCOMPARE(inspect.stdoutText(), u"%1 %2 %3"_s.arg(image.imageId).arg(image.imageSize).arg(arch.at(i)));
        }
        QCOMPARE(elfMachineOf(u"gantry-test-build-core:both-arm64"_s, u"gantry-test-build-core-elf"_s), 183);
        QCOMPARE(elfMachineOf(u"gantry-test-build-core:both-amd64"_s, u"gantry-test-build-core-elf"_s), 62);
        // The plain tag is not made for a build of several platforms.
        QVERIFY(!GantryTest::runDocker({u"image"_s, u"inspect"_s, u"gantry-test-build-core:both"_s}).ok());
        QCOMPARE(r.imageRef, u"gantry-test-build-core:both-amd64"_s);
        QVERIFY(r.summary().contains(u"Built 2 images"_s));
        QVERIFY(r.summary().contains(u"gantry-test-build-core:both-arm64 (linux/arm64, %1)"_s.arg(formatBytes(r.images.at(1).imageSize))));

        // Steps: numbered across both builds, each of a stage marked with its platform.
        QCOMPARE(r.stepCount, 26);
        QVERIFY(seen.size() >= r.stepCount);
        for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
            QVERIFY(it.key() < r.steps.size());
            QCOMPARE(it.value().name, r.steps.at(it.key()).name);
            QCOMPARE(it.value().platform, r.steps.at(it.key()).platform);
        }
        int backend5 = 0;
        QStringList platformsOfBackend5;
        for (int i = 0; i < r.steps.size(); ++i) {
            const BuildStep &s = r.steps.at(i);
            if (!s.isInternal())
                QVERIFY2(s.platform == u"linux/amd64"_s || s.platform == u"linux/arm64"_s, qPrintable(s.name));
            if (s.stage == u"backend"_s && s.index == 5) {
                ++backend5;
                platformsOfBackend5 << s.platform;
            }
        }
        QCOMPARE(backend5, 2);
        QCOMPARE(platformsOfBackend5, (QStringList{u"linux/amd64"_s, u"linux/arm64"_s}));

        // One history row per platform.
        BuildHistory history(historyPath());
        for (int i = 0; i < 2; ++i) {
            const auto row = history.record(r.images.at(i).historyId);
            QVERIFY(row);
            QCOMPARE(row->tag, r.images.at(i).tag);
            QCOMPARE(row->platforms, QStringList{r.images.at(i).platform});
            QCOMPARE(row->result, u"succeeded"_s);
            QCOMPARE(row->imageSize, r.images.at(i).imageSize);
        }
    }

    void cancelStopsTheWholeRun()
    {
        // Stop as the second platform starts: it never runs, the first one's image stays.
        GantryTest::runDocker({u"rmi"_s, u"-f"_s, u"gantry-test-build-core:stop-amd64"_s, u"gantry-test-build-core:stop-arm64"_s});
        MultiPlatformBuild build;
        QSignalSpy finished(&build, &MultiPlatformBuild::finished);
        QSignalSpy failed(&build, &MultiPlatformBuild::failed);
        int starts = 0;
        connect(&build, &MultiPlatformBuild::platformStarted, this, [&](int index) {
            ++starts;
            if (index == 1)
                build.cancel();
        });
        BuildRequest request = exampleRequest(u"linux/amd64"_s, u"gantry-test-build-core:stop"_s);
        request.platforms = {u"linux/amd64"_s, u"linux/arm64"_s};
        build.start(request);
        QVERIFY(finished.wait(900000));
        const BuildResult r = finished.constFirst().constFirst().value<BuildResult>();
        QCOMPARE(r.outcome, BuildResult::Outcome::Cancelled);
        QCOMPARE(starts, 2);
        QVERIFY(failed.isEmpty());
        QVERIFY(!build.isRunning());
        QCOMPARE(r.images.size(), 1);
        QCOMPARE(r.images.constFirst().tag, u"gantry-test-build-core:stop-amd64"_s);
        QVERIFY(GantryTest::runDocker({u"image"_s, u"inspect"_s, u"gantry-test-build-core:stop-amd64"_s}).ok());
        QVERIFY(!GantryTest::runDocker({u"image"_s, u"inspect"_s, u"gantry-test-build-core:stop-arm64"_s}).ok());
        QVERIFY(r.summary().startsWith(u"Build cancelled"_s));
    }

    void amd64ImageServesTheApp()
    {
        BuildRunner runner;
        QSignalSpy steps(&runner, &BuildRunner::stepUpdated);
        QSignalSpy progress(&runner, &BuildRunner::progress);
        const BuildResult r = runBuild(runner, exampleRequest(u"linux/amd64"_s, u"gantry-test-build-core:amd64"_s));
        QVERIFY2(r.succeeded(), qPrintable(r.failure.sentence()));
        QCOMPARE(r.progressMode, u"rawjson"_s);
        QVERIFY(!steps.isEmpty());
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.constLast().at(0).toInt(), progress.constLast().at(1).toInt()); // 100 % at the end
        QCOMPARE(r.stepCount, 13);
        QVERIFY(r.imageId.startsWith(u"sha256:"_s));
        QVERIFY(r.imageSize > 100000 && r.imageSize < 20000000);
        QCOMPARE(r.imageRef, u"gantry-test-build-core:amd64"_s);
        // The engine holds exactly that image.
        const ProcessResult inspect = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s,
                                                             u"{{.Id}} {{.Size}} {{.Architecture}}"_s, r.imageRef});
        QCOMPARE(inspect.stdoutText(), u"%1 %2 amd64"_s.arg(r.imageId).arg(r.imageSize));

        const int port = runImage(r.imageRef, u"gantry-test-build-core-amd64"_s, {});
        QVERIFY(port > 0);
        const auto health = waitForHealth(port);
        QCOMPARE(health.status, 200);
        QVERIFY(health.body.contains("\"status\":\"ok\""));
        const auto index = httpGet(u"http://127.0.0.1:%1/"_s.arg(port));
        QCOMPARE(index.status, 200);
        QVERIFY(index.body.contains("<title>Hello Stack</title>"));
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-core-amd64"_s});

        // The history has the row, as other areas read it (plain SQL through BuildHistory).
        BuildHistory history(historyPath());
        QVERIFY(history.isOpen());
        const auto row = history.record(r.historyId);
        QVERIFY(row);
        QCOMPARE(row->result, u"succeeded"_s);
        QCOMPARE(row->imageId, r.imageId);
        QCOMPARE(row->imageSize, r.imageSize);
        QCOMPARE(row->steps, 13);
        QCOMPARE(row->cachedSteps, r.cachedSteps);
        QCOMPARE(row->platforms, QStringList{u"linux/amd64"_s});
        QCOMPARE(row->tag, u"gantry-test-build-core:amd64"_s);
        QCOMPARE(row->projectRoot, exampleDir());
        QCOMPARE(row->recipe, u"# test recipe\n"_s);
        QVERIFY(row->durationMs > 0);
    }

    void arm64IsCrossCompiledAndRunsUnderQemu()
    {
        BuildRunner runner;
        const BuildResult r = runBuild(runner, exampleRequest(u"linux/arm64"_s, u"gantry-test-build-core:arm64"_s));
        QVERIFY2(r.succeeded(), qPrintable(r.failure.sentence()));
        const ProcessResult arch = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Architecture}}"_s, r.imageRef});
        QCOMPARE(arch.stdoutText(), u"arm64"_s);
        QCOMPARE(elfMachineOf(r.imageRef, u"gantry-test-build-core-elf"_s), 183); // EM_AARCH64
        const int port = runImage(r.imageRef, u"gantry-test-build-core-arm64"_s, u"linux/arm64"_s);
        QVERIFY(port > 0);
        QCOMPARE(waitForHealth(port).status, 200);
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-core-arm64"_s});
    }

    void compileErrorNamesTheStep()
    {
        QTemporaryDir dir;
        QVERIFY(makeBrokenExample(dir.path()));
        BuildRequest request = exampleRequest(u"linux/amd64"_s, u"gantry-test-build-core:broken"_s);
        request.contextDir = request.projectRoot = dir.path();
        BuildRunner runner;
        QSignalSpy failed(&runner, &BuildRunner::failed);
        const BuildResult r = runBuild(runner, request);
        QCOMPARE(r.outcome, BuildResult::Outcome::Failed);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(toString(r.failure.errorClass), toString(ErrorClass::CompileError));
        QVERIFY(r.failure.stepIndex >= 0);
        const BuildStep &step = r.steps.at(r.failure.stepIndex);
        QCOMPARE(step.stage, u"backend"_s);
        QCOMPARE(step.index, 5);
        QCOMPARE(step.state, BuildStep::State::Failed);
        QVERIFY(step.log.contains(u"error[E0308]: mismatched types"_s));
        QVERIFY(r.failure.compilerLines.join(u'\n').contains(u"error[E0308]"_s));
        QVERIFY(r.failure.compilerLines.join(u'\n').contains(u"src/main.rs:18"_s));
        QVERIFY(failed.constFirst().constFirst().value<Failure>().sentence().contains(u"[backend 5/5]"_s));
        QVERIFY(!GantryTest::runDocker({u"image"_s, u"inspect"_s, u"gantry-test-build-core:broken"_s}).ok());
        BuildHistory history(historyPath());
        const auto row = history.record(r.historyId);
        QVERIFY(row);
        QCOMPARE(row->result, u"failed"_s);
        QVERIFY(row->error.contains(u"compiler"_s));
        QVERIFY(row->imageId.isEmpty());
    }

    void cancelStopsTheWholeProcessTree()
    {
        // A change in main.rs makes the cargo step miss the cache, so the build is busy for a while.
        QTemporaryDir dir;
        QVERIFY(runProcess(u"cp"_s, {u"-r"_s, exampleDir() + u"/."_s, dir.path()}).ok());
        const QString marker = u"gantry-test-build-cancel-%1"_s.arg(QDateTime::currentMSecsSinceEpoch());
        {
            QFile f(dir.filePath(u"backend/src/main.rs"_s));
            QVERIFY(f.open(QIODevice::Append));
            f.write((u"\n// "_s + marker + u"\n"_s).toUtf8());
        }
        BuildRequest request = exampleRequest(u"linux/amd64"_s, marker + u":latest"_s);
        request.contextDir = request.projectRoot = dir.path();
        BuildRunner runner;
        QSignalSpy finished(&runner, &BuildRunner::finished);
        bool cargoRunning = false;
        connect(&runner, &BuildRunner::logAppended, this, [&](int index, const QString &) {
            const BuildStep &s = runner.steps().at(index);
            if (s.stage == u"backend"_s && s.index == 5 && s.state == BuildStep::State::Running)
                cargoRunning = true;
        });
        runner.start(request);
        // docker buildx starts once the previous image is kept (a `docker tag` first).
        QTRY_VERIFY_WITH_TIMEOUT(runner.processId() > 0 || !finished.isEmpty(), 30000);
        const qint64 pid = runner.processId();
        QVERIFY(pid > 0);
        QTRY_VERIFY_WITH_TIMEOUT(cargoRunning || !finished.isEmpty(), 300000);
        QVERIFY2(finished.isEmpty(), "the build ended before it could be cancelled");
        // docker and its buildx plugin child are both there, in the build's process group.
        QVERIFY2(processesMentioning(marker).size() >= 2, qPrintable(processesMentioning(marker).join(u'\n')));
        runner.cancel();
        QVERIFY(finished.wait(30000));
        const BuildResult r = finished.constFirst().constFirst().value<BuildResult>();
        QCOMPARE(r.outcome, BuildResult::Outcome::Cancelled);
        QVERIFY(!runner.isRunning());
        // Nothing of it is left: no process mentions the marker, the process group is empty.
        QTRY_VERIFY_WITH_TIMEOUT(processesMentioning(marker).isEmpty(), 5000);
        errno = 0;
        QCOMPARE(::kill(-pid_t(pid), 0), -1);
        QCOMPARE(errno, ESRCH);
        for (const BuildStep &s : r.steps)
            QVERIFY2(s.state != BuildStep::State::Running, qPrintable(s.name));
        BuildHistory history(historyPath());
        const auto row = history.record(r.historyId);
        QVERIFY(row);
        QCOMPARE(row->result, u"cancelled"_s);
        QVERIFY(!GantryTest::runDocker({u"image"_s, u"inspect"_s, marker + u":latest"_s}).ok());
    }

    void engineDownIsSaidSo()
    {
        BuildRequest request = exampleRequest(u"linux/amd64"_s, u"gantry-test-build-core:down"_s);
        request.environment.insert(u"DOCKER_HOST"_s, GantryTest::deadDockerHost());
        BuildRunner runner;
        const BuildResult r = runBuild(runner, request, 60000);
        QCOMPARE(r.outcome, BuildResult::Outcome::Failed);
        QCOMPARE(toString(r.failure.errorClass), toString(ErrorClass::EngineDown));
        // Where nothing answered, and what to start.
        const QString socket = GantryTest::deadDockerHost().mid(int(qstrlen("unix://")));
        QVERIFY2(r.failure.cause.contains(socket), qPrintable(r.failure.cause));
        QVERIFY2(r.failure.fix.startsWith(u"Start Docker"_s), qPrintable(r.failure.fix));
    }

    void missingBaseImageIsSaidSo()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(u"Dockerfile"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("FROM gantry/no-such-base:1\nRUN true\n");
        f.close();
        BuildRequest request;
        request.contextDir = dir.path();
        request.tag = u"gantry-test-build-core:nobase"_s;
        request.historyPath = historyPath();
        BuildRunner runner;
        const BuildResult r = runBuild(runner, request, 120000);
        QCOMPARE(r.outcome, BuildResult::Outcome::Failed);
        QCOMPARE(toString(r.failure.errorClass), toString(ErrorClass::BaseImageMissing));
        QVERIFY2(r.failure.cause.contains(u"gantry/no-such-base:1"_s), qPrintable(r.failure.cause));
    }

    void missingDockerProgram()
    {
        BuildRequest request = exampleRequest(u"linux/amd64"_s, u"gantry-test-build-core:none"_s);
        request.docker = u"/nonexistent/docker"_s;
        BuildRunner runner;
        const BuildResult r = runBuild(runner, request, 10000);
        QCOMPARE(r.outcome, BuildResult::Outcome::Failed);
        QCOMPARE(toString(r.failure.errorClass), toString(ErrorClass::DockerMissing));
    }

    void buildersAndContexts()
    {
        const BuilderList list = listBuilders();
        QVERIFY2(!list.failure, qPrintable(list.failure ? list.failure->sentence() : QString()));
        const auto builder = std::find_if(list.choices.cbegin(), list.choices.cend(), [](const BuilderChoice &c) {
            return c.kind == BuilderChoice::Kind::Builder && c.current;
        });
        QVERIFY(builder != list.choices.cend());
        QVERIFY(builder->platforms.contains(u"linux/amd64"_s));
        QVERIFY(builder->platforms.contains(u"linux/arm64"_s));
        const auto context = std::find_if(list.choices.cbegin(), list.choices.cend(), [](const BuilderChoice &c) {
            return c.kind == BuilderChoice::Kind::Context && c.current;
        });
        QVERIFY(context != list.choices.cend());

        // Building with the chosen builder / context (both named explicitly on the command line).
        BuildRequest request = exampleRequest(u"linux/amd64"_s, u"gantry-test-build-core:ctx"_s);
        request.builder = builder->name;
        QVERIFY(request.arguments({}, u"rawjson"_s).contains(u"--builder"_s));
        BuildRunner runner;
        BuildResult r = runBuild(runner, request);
        QVERIFY2(r.succeeded(), qPrintable(r.failure.sentence()));
        request.builder.clear();
        request.dockerContext = context->name;
        QCOMPARE(request.arguments({}, u"rawjson"_s).mid(0, 2), (QStringList{u"--context"_s, context->name}));
        r = runBuild(runner, request);
        QVERIFY2(r.succeeded(), qPrintable(r.failure.sentence()));
        QVERIFY(r.imageSize > 0);
        // An unknown builder is reported, not crashed on.
        request.dockerContext.clear();
        request.builder = u"gantry-test-build-no-such-builder"_s;
        r = runBuild(runner, request, 60000);
        QCOMPARE(r.outcome, BuildResult::Outcome::Failed);
        QVERIFY2(r.failure.sentence().contains(u"gantry-test-build-no-such-builder"_s), qPrintable(r.failure.sentence()));
        QVERIFY2(r.failure.fix.contains(u"--list-builders"_s), qPrintable(r.failure.sentence()));
    }

    void parseListings()
    {
        const QByteArray ls =
            "{\"Name\":\"default\",\"Driver\":\"docker\",\"Nodes\":[{\"Name\":\"default\",\"Endpoint\":\"default\","
            "\"Status\":\"running\",\"Platforms\":[\"linux/amd64\",\"linux/arm64\"]}]}\n"
            "{\"Name\":\"remote\",\"Driver\":\"docker-container\",\"Nodes\":[{\"Name\":\"remote0\","
            "\"Endpoint\":\"ssh://me@server\",\"Status\":\"inactive\",\"Platforms\":[]}]}\n";
        const auto builders = parseBuildxLs(ls);
        QCOMPARE(builders.size(), 2);
        QCOMPARE(builders.at(0).platforms, (QStringList{u"linux/amd64"_s, u"linux/arm64"_s}));
        QCOMPARE(builders.at(1).driver, u"docker-container"_s);
        QVERIFY(builders.at(1).isRemote());
        const auto contexts = parseContextLs("{\"Current\":false,\"DockerEndpoint\":\"ssh://deploy@prod\",\"Name\":\"prod\"}");
        QCOMPARE(contexts.size(), 1);
        QVERIFY(contexts.constFirst().isRemote());
        QCOMPARE(contexts.constFirst().label(), u"prod (docker context, ssh://deploy@prod)"_s);
    }
};

QTEST_GUILESS_MAIN(TestBuildEngine)
#include "tst_build_engine.moc"
