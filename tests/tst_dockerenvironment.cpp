// SPDX-License-Identifier: MIT
// Docker environment detection against the real engine, plus the classification of
// the engine's own error messages.
#include "docker/dockerenvironment.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

class TestDockerEnvironment : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!GantryTest::dockerExecutable().isEmpty(), "the docker client must be on PATH (run scripts/setup)");
    }

    void detectsRealEngine()
    {
        const DockerEnvironment env = probeDockerEnvironment();
        QVERIFY2(env.engineReachable, qPrintable(env.report()));
        QVERIFY(!env.hasErrors());
        // Compare with what the docker client itself says, asked separately.
        const auto server = GantryTest::runDocker({u"version"_s, u"--format"_s, u"{{.Server.Version}}"_s});
        QVERIFY(server.ok());
        QCOMPARE(env.engineVersion, server.stdoutText());
        const auto client = GantryTest::runDocker({u"version"_s, u"--format"_s, u"{{.Client.Version}}"_s});
        QCOMPARE(env.clientVersion, client.stdoutText());
        const auto buildx = GantryTest::runDocker({u"buildx"_s, u"version"_s});
        QVERIFY(buildx.ok());
        QVERIFY2(buildx.stdoutText().contains(env.buildxVersion) && !env.buildxVersion.isEmpty(),
                 qPrintable(env.buildxVersion));
        QCOMPARE(env.builderName, u"default"_s);
        QCOMPARE(env.builderDriver, u"docker"_s);
        QCOMPARE(env.imageStore, ImageStore::Classic);
        QVERIFY2(env.platforms.contains(env.nativePlatform()), qPrintable(env.platforms.join(u", "_s)));
        QVERIFY(env.nativePlatforms().contains(env.nativePlatform()));
        QVERIFY(!env.emulatedPlatforms().contains(env.nativePlatform()));
        // scripts/setup registers QEMU, so the foreign architecture is there, emulated.
        const QString foreign = env.engineArch == u"amd64" ? u"linux/arm64"_s : u"linux/amd64"_s;
        QVERIFY2(env.emulatedPlatforms().contains(foreign), qPrintable(env.report()));
        QVERIFY(env.statusLine().contains(env.engineVersion));
        QVERIFY(env.report().contains(u"ok: Gantry can build"_s));
    }

    void engineNotRunning()
    {
        DockerProbeOptions options;
        options.environment.insert(u"DOCKER_HOST"_s, GantryTest::deadDockerHost());
        const DockerEnvironment env = probeDockerEnvironment(options);
        QVERIFY(!env.clientPath.isEmpty());
        QVERIFY(!env.engineReachable);
        QVERIFY(env.hasErrors());
        QCOMPARE(env.problems.size(), 1);
        QCOMPARE(toString(env.problems.first().errorClass), toString(ErrorClass::EngineDown));
        const QString sentence = env.problems.first().sentence();
        QVERIFY2(sentence.contains(u"not running"_s), qPrintable(sentence));
        QVERIFY2(sentence.contains(GantryTest::deadDockerHost()), qPrintable(sentence));
        QVERIFY2(sentence.contains(u"Start Docker Desktop"_s), qPrintable(sentence));
        QCOMPARE(env.statusLine(), u"Docker engine not reachable"_s);
    }

    void dockerNotOnPath()
    {
        DockerProbeOptions options;
        options.environment.insert(u"PATH"_s, u"/nonexistent-gantry-path"_s);
        options.environment.remove(u"GANTRY_DOCKER"_s);
        const DockerEnvironment env = probeDockerEnvironment(options);
        QVERIFY(env.clientPath.isEmpty());
        QCOMPARE(env.problems.size(), 1);
        QCOMPARE(toString(env.problems.first().errorClass), toString(ErrorClass::DockerMissing));
        QVERIFY(env.problems.first().sentence().contains(u"not found on PATH"_s));
        QVERIFY(env.problems.first().sentence().contains(u"Install Docker Desktop"_s));
    }

    void chosenDockerPathIsTheOneThatRuns()
    {
        // A docker path chosen by the user wins over PATH, and a wrong one is reported.
        DockerProbeOptions options;
        options.environment.insert(u"PATH"_s, u"/nonexistent-gantry-path"_s);
        options.dockerPath = GantryTest::dockerExecutable();
        QVERIFY(probeDockerEnvironment(options).engineReachable);
        options.dockerPath = u"/nonexistent/docker"_s;
        const DockerEnvironment env = probeDockerEnvironment(options);
        QCOMPARE(toString(env.problems.first().errorClass), toString(ErrorClass::DockerMissing));
        QVERIFY(env.problems.first().sentence().contains(u"/nonexistent/docker"_s));
    }

    void classifiesEngineErrors_data()
    {
        QTest::addColumn<QString>("stderrText");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("mustContain");
        // Recorded docker client messages (docker 26-28). Permission denied cannot be produced for
        // real here (the tests run as root), so its text is a recorded one.
        QTest::newRow("daemon down")
            << u"Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"_s
            << int(ErrorClass::EngineDown) << u"unix:///var/run/docker.sock"_s;
        QTest::newRow("permission")
            << u"permission denied while trying to connect to the Docker daemon socket at "
               "unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.24/version\": dial unix "
               "/var/run/docker.sock: connect: permission denied"_s
            << int(ErrorClass::EnginePermission) << u"docker group"_s;
        QTest::newRow("tcp refused")
            << u"error during connect: Get \"http://127.0.0.1:2375/v1.24/version\": dial tcp 127.0.0.1:2375: "
               "connect: connection refused"_s
            << int(ErrorClass::EngineDown) << u"not running"_s;
        QTest::newRow("other")
            << u"Error response from daemon: client version 1.99 is too new. Maximum supported API version is 1.45"_s
            << int(ErrorClass::EngineError) << u"too new"_s;
    }

    void classifiesEngineErrors()
    {
        QFETCH(QString, stderrText);
        QFETCH(int, kind);
        QFETCH(QString, mustContain);
        const DockerProblem p = classifyEngineError(stderrText);
        QCOMPARE(int(p.errorClass), kind);
        QVERIFY2(p.sentence().contains(mustContain), qPrintable(p.sentence()));
        QVERIFY(!p.cause.isEmpty() && !p.fix.isEmpty());
    }

    void nativeAndEmulated_data()
    {
        QTest::addColumn<QString>("engineArch");
        QTest::addColumn<QString>("platform");
        QTest::addColumn<bool>("native");
        QTest::newRow("amd64 on amd64") << u"amd64"_s << u"linux/amd64"_s << true;
        QTest::newRow("amd64/v2 on amd64") << u"amd64"_s << u"linux/amd64/v2"_s << true;
        QTest::newRow("386 on amd64") << u"amd64"_s << u"linux/386"_s << true;
        QTest::newRow("arm64 on amd64") << u"amd64"_s << u"linux/arm64"_s << false;
        QTest::newRow("amd64 on arm64 (a Mac)") << u"arm64"_s << u"linux/amd64"_s << false;
        QTest::newRow("arm64 on arm64") << u"arm64"_s << u"linux/arm64"_s << true;
        QTest::newRow("arm/v7 on arm64") << u"arm64"_s << u"linux/arm/v7"_s << true;
        QTest::newRow("riscv64 on arm64") << u"arm64"_s << u"linux/riscv64"_s << false;
    }

    void nativeAndEmulated()
    {
        QFETCH(QString, engineArch);
        QFETCH(QString, platform);
        QFETCH(bool, native);
        DockerEnvironment env;
        env.engineOs = u"linux"_s;
        env.engineArch = engineArch;
        QCOMPARE(env.isNative(platform), native);
    }

    void missingEmulationIsAWarning()
    {
        DockerEnvironment env;
        env.engineOs = u"linux"_s;
        env.engineArch = u"arm64"_s;
        env.platforms = {u"linux/arm64"_s, u"linux/arm/v7"_s};
        const auto problems = emulationProblems(env, {u"linux/amd64"_s, u"linux/arm64"_s});
        QCOMPARE(problems.size(), 1);
        QCOMPARE(toString(problems.first().errorClass), toString(ErrorClass::NoEmulation));
        QVERIFY(!problems.first().isError());
        QVERIFY(problems.first().sentence().contains(u"linux/amd64"_s));
        QVERIFY(problems.first().sentence().contains(u"qemu-user-static"_s));
        env.platforms << u"linux/amd64"_s;
        QVERIFY(emulationProblems(env, {u"linux/amd64"_s}).isEmpty());
    }

    void doctorRunsOffThread()
    {
        DockerDoctor doctor;
        QSignalSpy finished(&doctor, &DockerDoctor::finished);
        doctor.start();
        QVERIFY(doctor.isRunning());
        QVERIFY(finished.isEmpty()); // start() returned before the probe finished
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        const auto env = finished.first().first().value<DockerEnvironment>();
        QVERIFY(env.engineReachable);
        QVERIFY(!doctor.isRunning());
    }
};

QTEST_GUILESS_MAIN(TestDockerEnvironment)
#include "tst_dockerenvironment.moc"
