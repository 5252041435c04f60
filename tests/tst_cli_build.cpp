// SPDX-License-Identifier: MIT
// `gantry build` as a user runs it: the example for linux/amd64 and linux/arm64 (cross-
// compiled), a compile error, Ctrl-C, and bad input.
#include "buildrun/buildhistory.h"
#include "testsupport.h"
#include "util/format.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

#include <csignal>

using namespace Qt::StringLiterals;
using Gantry::BuildHistory;
using Gantry::BuildRecord;
using Gantry::ProcessResult;

namespace {

QString exampleDir() { return GantryTest::sourceDir() + u"/examples/hello-stack"_s; }
QString exampleDockerfile() { return QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/hello-stack.Dockerfile"_s; }

QProcessEnvironment testEnvironment(const QString &historyDb)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"GANTRY_HISTORY_DB"_s, historyDb);
    return env;
}

int runAndWaitForHealth(const QString &image, const QString &name, const QString &platform)
{
    GantryTest::runDocker({u"rm"_s, u"-f"_s, name});
    if (!GantryTest::runDocker({u"run"_s, u"-d"_s, u"--name"_s, name, u"--platform"_s, platform, u"-p"_s,
                                u"127.0.0.1:0:3000"_s, image})
             .ok())
        return -1;
    const int port = GantryTest::runDocker({u"port"_s, name, u"3000/tcp"_s}).stdoutText().section(u'\n', 0, 0).section(u':', -1).toInt();
    return GantryTest::httpGetWhenUp(u"http://127.0.0.1:%1/api/health"_s.arg(port), 30000).status == 200 ? port : -1;
}

using GantryTest::processesMentioning;

} // namespace

class TestCliBuild : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString history() const { return m_tmp.filePath(u"history.sqlite"_s); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        if (!GantryTest::runDocker({u"buildx"_s, u"version"_s}).ok())
            QSKIP("docker buildx is not available here");
    }
    void cleanupTestCase()
    {
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-cli-amd64"_s, u"gantry-test-build-cli-arm64"_s,
                               u"gantry-test-build-cli-elf"_s});
        GantryTest::runDocker({u"rmi"_s, u"-f"_s, u"gantry-test-build-cli:amd64"_s, u"gantry-test-build-cli:arm64"_s,
                               u"gantry-test-build-cli:both-amd64"_s, u"gantry-test-build-cli:both-arm64"_s,
                               u"gantry-test-build-cli:recipe-amd64"_s, u"gantry-test-build-cli:recipe-arm64"_s});
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-cli-both"_s});
    }

    void amd64()
    {
        const ProcessResult r = GantryTest::runGantry({u"build"_s, exampleDir(), u"--file"_s, exampleDockerfile(),
                                                       u"--platform"_s, u"linux/amd64"_s, u"--tag"_s,
                                                       u"gantry-test-build-cli:amd64"_s},
                                                      testEnvironment(history()), 600000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const QString out = r.stdoutText();
        // Live step lines and the summary.
        QVERIFY2(out.contains(u"[backend 5/5] RUN"_s), qPrintable(out));
        QVERIFY(out.contains(u"[frontend 4/4] RUN npm run build"_s));
        QVERIFY(out.contains(u"Built gantry-test-build-cli:amd64 in "_s));
        QVERIFY(out.contains(u"steps:  13 ("_s));
        const QString id = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}} {{.Size}}"_s,
                                                  u"gantry-test-build-cli:amd64"_s}).stdoutText();
        QVERIFY(!id.isEmpty());
        QVERIFY(out.contains(u"image:  "_s + id.section(u' ', 0, 0)));
        QVERIFY(out.contains(u"("_s + id.section(u' ', 1, 1) + u" bytes)"_s));
        const int port = runAndWaitForHealth(u"gantry-test-build-cli:amd64"_s, u"gantry-test-build-cli-amd64"_s, u"linux/amd64"_s);
        QVERIFY(port > 0);
        const GantryTest::HttpAnswer index = GantryTest::httpGet(u"http://127.0.0.1:%1/"_s.arg(port));
        QCOMPARE(index.status, 200);
        QVERIFY(index.body.contains("<h1>Hello Stack</h1>"));
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-cli-amd64"_s});
    }

    void arm64()
    {
        const ProcessResult r = GantryTest::runGantry({u"build"_s, exampleDir(), u"--file"_s, exampleDockerfile(),
                                                       u"--platform"_s, u"linux/arm64"_s, u"--tag"_s,
                                                       u"gantry-test-build-cli:arm64"_s},
                                                      testEnvironment(history()), 600000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY(r.stdoutText().contains(u"for linux/arm64"_s));
        // The binary inside is an AArch64 ELF...
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-cli-elf"_s});
        QVERIFY(GantryTest::runDocker({u"create"_s, u"--name"_s, u"gantry-test-build-cli-elf"_s, u"gantry-test-build-cli:arm64"_s}).ok());
        QTemporaryDir dir;
        QVERIFY(GantryTest::runDocker({u"cp"_s, u"gantry-test-build-cli-elf:/app/hello-backend"_s, dir.path()}).ok());
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-cli-elf"_s});
        QFile elf(dir.filePath(u"hello-backend"_s));
        QVERIFY(elf.open(QIODevice::ReadOnly));
        const QByteArray h = elf.read(20);
        QVERIFY(h.startsWith("\x7F" "ELF"));
        QCOMPARE(int(h.at(4)), 2);                                      // ELFCLASS64
        QCOMPARE(quint8(h.at(18)) | (quint8(h.at(19)) << 8), 183);      // EM_AARCH64
        // ...and the container runs under QEMU.
        QVERIFY(runAndWaitForHealth(u"gantry-test-build-cli:arm64"_s, u"gantry-test-build-cli-arm64"_s, u"linux/arm64"_s) > 0);
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-cli-arm64"_s});
    }

    void bothPlatformsInOneRun()
    {
        // One `gantry build` makes both images, one after the other, each under its own tag.
        GantryTest::runDocker({u"rmi"_s, u"-f"_s, u"gantry-test-build-cli:both-amd64"_s, u"gantry-test-build-cli:both-arm64"_s});
        const ProcessResult r = GantryTest::runGantry({u"build"_s, exampleDir(), u"--file"_s, exampleDockerfile(), u"--platform"_s,
                                                       u"linux/amd64,linux/arm64"_s, u"--tag"_s, u"gantry-test-build-cli:both"_s},
                                                      testEnvironment(history()), 900000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const QString out = r.stdoutText();
        // Which platform is building, live, and the summary with each image and its size.
        const qsizetype first = out.indexOf(u"== 1 of 2: linux/amd64 -> gantry-test-build-cli:both-amd64"_s);
        const qsizetype second = out.indexOf(u"== 2 of 2: linux/arm64 -> gantry-test-build-cli:both-arm64"_s);
        QVERIFY2(first >= 0 && second > first, qPrintable(out));
        QVERIFY(out.indexOf(u"[backend 5/5]"_s, first) < second);
        QVERIFY(out.indexOf(u"[backend 5/5]"_s, second) > second);
        QVERIFY(out.contains(u"Built 2 images in "_s));
        QVERIFY(out.contains(u"steps:  26 ("_s));
        for (const QString &arch : {u"amd64"_s, u"arm64"_s}) {
            const QString tag = u"gantry-test-build-cli:both-"_s + arch;
            const QStringList facts = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Architecture}} {{.Size}} {{.Id}}"_s, tag})
                                          .stdoutText().split(u' ');
            QCOMPARE(facts.value(0), arch);
            QVERIFY2(out.contains(u"linux/%1   %2  %3 (%4 bytes)  %5"_s.arg(arch, tag, Gantry::formatBytes(facts.value(1).toLongLong()),
                                                                          facts.value(1), facts.value(2))),
                     qPrintable(out));
        }
        QVERIFY(!GantryTest::runDocker({u"image"_s, u"inspect"_s, u"gantry-test-build-cli:both"_s}).ok());
        // The amd64 one serves the app; the arm64 one holds an AArch64 binary.
        QVERIFY(runAndWaitForHealth(u"gantry-test-build-cli:both-amd64"_s, u"gantry-test-build-cli-both"_s, u"linux/amd64"_s) > 0);
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-cli-both"_s});
        QVERIFY(GantryTest::runDocker({u"create"_s, u"--name"_s, u"gantry-test-build-cli-both"_s, u"gantry-test-build-cli:both-arm64"_s}).ok());
        QTemporaryDir dir;
        QVERIFY(GantryTest::runDocker({u"cp"_s, u"gantry-test-build-cli-both:/app/hello-backend"_s, dir.path()}).ok());
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-cli-both"_s});
        QFile elf(dir.filePath(u"hello-backend"_s));
        QVERIFY(elf.open(QIODevice::ReadOnly));
        const QByteArray h = elf.read(20);
        QVERIFY(h.startsWith("\x7F" "ELF"));
        QCOMPARE(quint8(h.at(18)) | (quint8(h.at(19)) << 8), 183); // EM_AARCH64
        // One history row per platform, under its own tag.
        {
            const BuildHistory builds(history());
            QStringList rows;
            for (const BuildRecord &r : builds.recent(1000)) // newest first
                if (r.tag.startsWith(u"gantry-test-build-cli:both"_s))
                    rows.prepend(r.tag + u' ' + r.platforms.join(u',') + u' ' + r.result);
            QCOMPARE(rows, (QStringList{u"gantry-test-build-cli:both-amd64 linux/amd64 succeeded"_s,
                                        u"gantry-test-build-cli:both-arm64 linux/arm64 succeeded"_s}));
        }
    }

    void initThenBuildFromTheRecipe()
    {
        // The whole CLI story: `gantry init` writes gantry.toml + Dockerfile, `gantry build REPO`
        // reads the recipe (tag, platforms, Dockerfile) with no --file.
        QTemporaryDir dir;
        QVERIFY(Gantry::runProcess(u"cp"_s, {u"-r"_s, exampleDir() + u"/."_s, dir.path()}).ok());
        const ProcessResult init = GantryTest::runGantry({u"init"_s, dir.path(), u"--toolchain"_s, u"debian"_s, u"--platform"_s,
                                                          u"linux/arm64,linux/amd64"_s, u"--tag"_s, u"gantry-test-build-cli:recipe"_s,
                                                          u"--base-image"_s, u"rust=gantry/rust:debian"_s, u"--base-image"_s,
                                                          u"node=gantry/node:20"_s},
                                                         testEnvironment(history()), 60000);
        QVERIFY2(init.ok(), qPrintable(init.stderrText()));
        QVERIFY(QFile::exists(dir.filePath(u"gantry.toml"_s)));
        const ProcessResult r = GantryTest::runGantry({u"build"_s, dir.path()}, testEnvironment(history()), 900000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        // Every platform of the recipe, in its order, each under its own tag.
        QVERIFY2(r.stdoutText().contains(u"== 1 of 2: linux/arm64 -> gantry-test-build-cli:recipe-arm64"_s), qPrintable(r.stdoutText()));
        QVERIFY(r.stdoutText().contains(u"== 2 of 2: linux/amd64 -> gantry-test-build-cli:recipe-amd64"_s));
        QVERIFY(r.stdoutText().contains(u"Built 2 images in"_s));
        for (const QString &arch : {u"arm64"_s, u"amd64"_s})
            QCOMPARE(GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Architecture}}"_s,
                                            u"gantry-test-build-cli:recipe-"_s + arch}).stdoutText(),
                     arch);
        // --platform overrides the recipe; the amd64 image serves the app.
        const ProcessResult amd = GantryTest::runGantry({u"build"_s, dir.path(), u"--platform"_s, u"linux/amd64"_s},
                                                        testEnvironment(history()), 900000);
        QVERIFY2(amd.ok(), qPrintable(amd.stderrText()));
        QVERIFY(runAndWaitForHealth(u"gantry-test-build-cli:recipe"_s, u"gantry-test-build-cli-recipe"_s, u"linux/amd64"_s) > 0);
        GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-build-cli-recipe"_s});
        GantryTest::runDocker({u"rmi"_s, u"-f"_s, u"gantry-test-build-cli:recipe"_s});
        // The history row carries the recipe text.
        {
            const BuildHistory builds(history());
            std::optional<BuildRecord> row;
            for (const BuildRecord &r : builds.recent(1000)) // newest first: the oldest such row is the last
                if (r.tag == u"gantry-test-build-cli:recipe-arm64"_s)
                    row = r;
            QVERIFY(row);
            QVERIFY(row->recipe.contains(u"toolchain = \"debian\""_s));
            QCOMPARE(row->platforms, QStringList{u"linux/arm64"_s});
            QCOMPARE(row->result, u"succeeded"_s);
        }
        // A broken gantry.toml is one sentence, not a crash.
        QFile toml(dir.filePath(u"gantry.toml"_s));
        QVERIFY(toml.open(QIODevice::WriteOnly | QIODevice::Truncate));
        toml.write("[target\nplatforms = 3\n");
        toml.close();
        const ProcessResult bad = GantryTest::runGantry({u"build"_s, dir.path()}, testEnvironment(history()), 30000);
        QCOMPARE(bad.exitCode, 1);
        QVERIFY2(bad.stderrText().contains(u"gantry.toml"_s), qPrintable(bad.stderrText()));
        QCOMPARE(bad.stderrText().count(u'\n'), 0);
    }

    void compileError()
    {
        QTemporaryDir dir;
        QVERIFY(Gantry::runProcess(u"cp"_s, {u"-r"_s, exampleDir() + u"/."_s, dir.path()}).ok());
        QFile f(dir.filePath(u"backend/src/main.rs"_s));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray src = f.readAll();
        f.close();
        QVERIFY(src.contains("status: \"ok\","));
        src.replace("status: \"ok\",", "status: 42,");
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(src);
        f.close();
        // Also: the Dockerfile given relative to REPO.
        QVERIFY(QFile::copy(exampleDockerfile(), dir.filePath(u"build.Dockerfile"_s)));
        const ProcessResult r = GantryTest::runGantry({u"build"_s, dir.path(), u"-f"_s, u"build.Dockerfile"_s,
                                                       u"--tag"_s, u"gantry-test-build-cli:broken"_s},
                                                      testEnvironment(history()), 600000);
        QCOMPARE(r.exitCode, 1);
        const QString err = r.stderrText();
        QVERIFY2(err.contains(u"[backend 5/5] RUN"_s), qPrintable(err));
        QVERIFY(err.contains(u"The compiler reported 1 error(s)"_s));
        QVERIFY(err.contains(u"error[E0308]: mismatched types"_s));
        QVERIFY(err.contains(u"src/main.rs:18"_s));
        QVERIFY(r.stdoutText().contains(u"FAILED  [backend 5/5]"_s));
        QVERIFY(!GantryTest::runDocker({u"image"_s, u"inspect"_s, u"gantry-test-build-cli:broken"_s}).ok());
    }

    void ctrlCCancels()
    {
        QTemporaryDir dir;
        QVERIFY(Gantry::runProcess(u"cp"_s, {u"-r"_s, exampleDir() + u"/."_s, dir.path()}).ok());
        const QString marker = u"gantry-test-build-cli-cancel-%1"_s.arg(QDateTime::currentMSecsSinceEpoch());
        {
            QFile f(dir.filePath(u"backend/src/main.rs"_s));
            QVERIFY(f.open(QIODevice::Append));
            f.write((u"\n// "_s + marker + u"\n"_s).toUtf8());
        }
        QProcess gantry;
        gantry.setProcessEnvironment(testEnvironment(history()));
        gantry.start(GantryTest::gantryExecutable(), {u"build"_s, dir.path(), u"--file"_s, exampleDockerfile(), u"--tag"_s,
                                                     marker + u":latest"_s});
        QVERIFY(gantry.waitForStarted());
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += gantry.readAllStandardOutput()).contains("...     [backend 5/5]")
                                     || gantry.state() == QProcess::NotRunning,
                                 300000);
        QVERIFY2(gantry.state() == QProcess::Running, out.constData());
        QTest::qWait(1000);
        QVERIFY(processesMentioning(marker).size() >= 2); // docker and docker-buildx
        ::kill(pid_t(gantry.processId()), SIGINT);        // what Ctrl-C in the terminal does
        QVERIFY(gantry.waitForFinished(30000));
        QCOMPARE(gantry.exitStatus(), QProcess::NormalExit);
        QCOMPARE(gantry.exitCode(), 130);
        QVERIFY(gantry.readAllStandardError().contains("Build cancelled"));
        QTRY_VERIFY_WITH_TIMEOUT(processesMentioning(marker).isEmpty(), 5000);
        // The history says so (read through BuildHistory, as every area does).
        QVERIFY(QFile::exists(history()));
        {
            const BuildHistory builds(history());
            std::optional<BuildRecord> row;
            for (const BuildRecord &r : builds.recent(1000))
                if (r.tag == marker + u":latest"_s && !row)
                    row = r;
            QVERIFY(row);
            QCOMPARE(row->result, u"cancelled"_s);
            QVERIFY(row->steps > 0);
        }
    }

    void badInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("no repo") << QStringList{u"build"_s} << 2 << u"give exactly one project folder"_s;
        QTest::newRow("not a folder") << QStringList{u"build"_s, u"/nonexistent/repo"_s} << 2 << u"is not a folder"_s;
        QTest::newRow("no dockerfile") << QStringList{u"build"_s, QDir::tempPath()} << 1 << u"Run 'gantry init"_s;
        QTest::newRow("bad platform") << QStringList{u"build"_s, exampleDir(), u"--file"_s, exampleDockerfile(), u"--platform"_s, u"arm64"_s}
                                      << 2 << u"is not a platform"_s;
        QTest::newRow("bad build arg") << QStringList{u"build"_s, exampleDir(), u"--file"_s, exampleDockerfile(), u"--build-arg"_s, u"NOVALUE"_s}
                                       << 2 << u"KEY=VALUE"_s;
    }
    void badInput()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const ProcessResult r = GantryTest::runGantry(args, testEnvironment(history()), 30000);
        QCOMPARE(r.exitCode, code);
        QVERIFY2(r.stderrText().contains(message), qPrintable(r.stderrText()));
        QCOMPARE(r.stderrText().count(u'\n'), 0); // one sentence
    }

    void engineDown()
    {
        QProcessEnvironment env = testEnvironment(history());
        env.insert(u"DOCKER_HOST"_s, GantryTest::deadDockerHost());
        const ProcessResult r = GantryTest::runGantry({u"build"_s, exampleDir(), u"--file"_s, exampleDockerfile()}, env, 60000);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"engine"_s, Qt::CaseInsensitive), qPrintable(r.stderrText()));
    }

    void listBuilders()
    {
        const ProcessResult r = GantryTest::runGantry({u"build"_s, u"--list-builders"_s});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY(r.stdoutText().contains(u"builder default"_s));
        QVERIFY(r.stdoutText().contains(u"context default"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliBuild)
#include "tst_cli_build.moc"
