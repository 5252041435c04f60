// SPDX-License-Identifier: MIT
// `gantry doctor` as a user runs it: a separate process, real engine, real exit codes.
#include "testsupport.h"

#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;

class TestCliDoctor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void healthyEngine()
    {
        const auto r = GantryTest::runGantry({u"doctor"_s});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const QString out = r.stdoutText();
        const auto server = GantryTest::runDocker({u"version"_s, u"--format"_s, u"{{.Server.Version}}"_s});
        QVERIFY2(out.contains(u"engine        "_s + server.stdoutText()), qPrintable(out));
        const auto buildx = GantryTest::runDocker({u"buildx"_s, u"version"_s});
        const QString buildxVersion = buildx.stdoutText().section(u' ', 1, 1).remove(QRegularExpression(u"^v"_s));
        QVERIFY2(out.contains(u"buildx        "_s + buildxVersion), qPrintable(out));
        QVERIFY(out.contains(u"builder       default (driver docker)"_s));
        QVERIFY(out.contains(u"classic image store"_s));
        QVERIFY(out.contains(u"ok: Gantry can build"_s));
    }

    void deadSocket()
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(u"DOCKER_HOST"_s, GantryTest::deadDockerHost());
        const auto r = GantryTest::runGantry({u"doctor"_s}, env);
        QVERIFY(r.started && !r.timedOut);
        QCOMPARE(r.exitCode, 1);
        const QString err = r.stderrText();
        QVERIFY2(err.contains(u"error: The Docker engine is not running"_s), qPrintable(err));
        QVERIFY2(err.contains(GantryTest::deadDockerHost()), qPrintable(err));
        QVERIFY2(err.contains(u"then check again"_s), qPrintable(err));
    }

    void noDockerOnPath()
    {
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(u"PATH"_s, u"/nonexistent-gantry-path"_s);
        env.remove(u"GANTRY_DOCKER"_s);
        const auto r = GantryTest::runGantry({u"doctor"_s}, env);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"The docker command was not found on PATH."_s), qPrintable(r.stderrText()));
    }

    void buildxMissing()
    {
        // For real: the toolbox image with its buildx plugin removed, talking to the same engine.
        const auto image = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"gantry/toolbox:latest"_s});
        if (!image.ok())
            QSKIP("the gantry/toolbox image is not on this engine (scripts/setup makes it)");
        const QString bin = QStringLiteral(GANTRY_BINARY_DIR);
        const auto r = GantryTest::runDocker({u"run"_s, u"--rm"_s, u"-v"_s, u"/var/run/docker.sock:/var/run/docker.sock"_s,
                                              u"-v"_s, bin + u':' + bin, u"gantry/toolbox:latest"_s, u"sh"_s, u"-c"_s,
                                              u"rm -f /usr/libexec/docker/cli-plugins/docker-buildx; "_s
                                                  + GantryTest::gantryExecutable() + u" doctor"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"docker buildx is not installed"_s), qPrintable(r.stderrText()));
        QVERIFY(r.stderrText().contains(u"apt install docker-buildx"_s));
    }

    void unknownCommandAndUsage()
    {
        auto r = GantryTest::runGantry({u"doctor"_s, u"extra"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.stderrText().contains(u"takes no arguments"_s));
        r = GantryTest::runGantry({u"--help"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.stdoutText().contains(u"doctor"_s));
        r = GantryTest::runGantry({u"--version"_s});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.stdoutText().startsWith(u"gantry "_s));
    }
};

QTEST_GUILESS_MAIN(TestCliDoctor)
#include "tst_cli_doctor.moc"
