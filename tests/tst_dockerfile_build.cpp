// SPDX-License-Identifier: MIT
// The Dockerfile Gantry writes (debian toolchain, cross-compiled, base images overridden to
// the local gantry/rust:debian and gantry/node:20) really builds the example offline, for
// linux/amd64 and linux/arm64, with the real engine and plain `docker buildx build`:
// the amd64 image answers GET /api/health and serves the frontend's index.html; the arm64
// image holds an aarch64 ELF and its container runs under QEMU.
#include "project/projectscanner.h"
#include "recipe/dockerfilewriter.h"
#include "recipe/recipedefaults.h"
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

const QString kImage = u"gantry-test-recipe-hello"_s;

using GantryTest::copyTree;

using GantryTest::HttpAnswer;
using GantryTest::httpGet;

/// Polls until the server answers (it may take a moment to start, longer under QEMU).
HttpAnswer waitForHealth(const QString &base, int timeoutMs)
{
    return GantryTest::httpGetWhenUp(base + u"/api/health"_s, timeoutMs);
}

} // namespace

class TestDockerfileBuild : public QObject
{
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_repo;
    QStringList m_containers;

    QString runContainer(const QStringList &args)
    {
        const auto r = GantryTest::runDocker(QStringList{u"run"_s, u"-d"_s} + args);
        if (!r.ok())
            return {};
        m_containers << r.stdoutText();
        return r.stdoutText();
    }
    QString mappedPort(const QString &container)
    {
        const auto r = GantryTest::runDocker({u"port"_s, container, u"3000/tcp"_s});
        return r.stdoutText().section(u'\n', 0, 0).trimmed(); // 127.0.0.1:NNNNN
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const QString &image : {u"gantry/rust:debian"_s, u"gantry/node:20"_s})
            if (!GantryTest::runDocker({u"image"_s, u"inspect"_s, image}).ok())
                QSKIP("the local base images are missing (scripts/setup makes them)");
        m_repo = m_tmp.filePath(u"hello-stack"_s);
        QVERIFY(copyTree(GantryTest::sourceDir() + u"/examples/hello-stack"_s, m_repo));
        QString error;
        const auto facts = ProjectScanner::scanRepository(m_repo);
        if (!facts)
            error = facts.failure().sentence();
        QVERIFY2(facts, qPrintable(error));
        BuildRecipe recipe = recipeFromFacts(*facts);
        recipe.toolchain = BuildRecipe::Toolchain::Debian;
        recipe.strategy = BuildRecipe::Strategy::CrossCompile;
        recipe.platforms = {u"linux/amd64"_s, u"linux/arm64"_s};
        recipe.baseImages = {{u"rust"_s, u"gantry/rust:debian"_s}, {u"node"_s, u"gantry/node:20"_s}};
        if (const Status written = writeRecipeFiles(planRecipeFiles(recipe, m_repo), false); !written)
            QFAIL(qPrintable(written.failure().sentence()));
    }

    void amd64ImageServesApiAndFrontend()
    {
        const auto build = GantryTest::runDocker({u"buildx"_s, u"build"_s, u"--load"_s, u"--platform"_s, u"linux/amd64"_s,
                                                  u"-t"_s, kImage + u":amd64"_s, u"-f"_s, m_repo + u"/Dockerfile"_s, m_repo},
                                                 20 * 60 * 1000);
        QVERIFY2(build.ok(), qPrintable(build.stderrText().right(3000)));
        const QString id = runContainer({u"--name"_s, kImage + u"-amd64"_s, u"-p"_s, u"127.0.0.1:0:3000"_s, kImage + u":amd64"_s});
        QVERIFY(!id.isEmpty());
        const QString port = mappedPort(id);
        QVERIFY2(port.startsWith(u"127.0.0.1:"_s), qPrintable(port));
        const HttpAnswer health = waitForHealth(u"http://"_s + port, 20000);
        QCOMPARE(health.status, 200);
        QVERIFY2(health.body.contains("\"ok\""), health.body.constData());
        const HttpAnswer index = httpGet(u"http://"_s + port + u"/"_s);
        QCOMPARE(index.status, 200);
        // The frontend's index.html, as its build stamped it (the template's marker replaced).
        QFile source(m_repo + u"/frontend/src/index.html"_s);
        QVERIFY(source.open(QIODevice::ReadOnly));
        const QByteArray html = source.readAll();
        const qsizetype marker = html.indexOf("%BUILD_TIME%");
        QVERIFY(marker > 0);
        QVERIFY2(index.body.startsWith(html.left(marker)), index.body.left(300).constData());
        QVERIFY2(index.body.endsWith(html.mid(marker + 12)), index.body.right(300).constData());
        QVERIFY(!index.body.contains("%BUILD_TIME%"));
        // Small: a static binary on scratch.
        const auto size = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Size}}"_s, kImage + u":amd64"_s});
        qInfo("amd64 image size: %s bytes", qPrintable(size.stdoutText()));
        QVERIFY(size.stdoutText().toLongLong() < 20 * 1024 * 1024);
    }

    void arm64ImageIsAarch64AndRunsUnderQemu()
    {
        const auto build = GantryTest::runDocker({u"buildx"_s, u"build"_s, u"--load"_s, u"--platform"_s, u"linux/arm64"_s,
                                                  u"-t"_s, kImage + u":arm64"_s, u"-f"_s, m_repo + u"/Dockerfile"_s, m_repo},
                                                 20 * 60 * 1000);
        QVERIFY2(build.ok(), qPrintable(build.stderrText().right(3000)));
        const auto arch = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Architecture}}"_s, kImage + u":arm64"_s});
        QCOMPARE(arch.stdoutText(), u"arm64"_s);
        // The binary itself: docker create + docker cp, then the ELF header.
        const QString created = kImage + u"-arm64-files"_s;
        const auto create = GantryTest::runDocker({u"create"_s, u"--platform"_s, u"linux/arm64"_s, u"--name"_s, created, kImage + u":arm64"_s});
        QVERIFY2(create.ok(), qPrintable(create.stderrText()));
        m_containers << created;
        const QString binary = m_tmp.filePath(u"hello-backend.arm64"_s);
        const auto cp = GantryTest::runDocker({u"cp"_s, created + u":/app/hello-backend"_s, binary});
        QVERIFY2(cp.ok(), qPrintable(cp.stderrText()));
        QFile elf(binary);
        QVERIFY(elf.open(QIODevice::ReadOnly));
        const QByteArray header = elf.read(20);
        QCOMPARE(header.left(4), QByteArray("\x7f" "ELF"));
        QCOMPARE(int(header.at(4)), 2);                                       // ELFCLASS64
        QCOMPARE(int(header.at(5)), 1);                                       // little-endian
        QCOMPARE(int(quint8(header.at(18))) | int(quint8(header.at(19))) << 8, 183); // EM_AARCH64
        // And it runs, under QEMU, and answers.
        const QString id = runContainer({u"--platform"_s, u"linux/arm64"_s, u"--name"_s, kImage + u"-arm64"_s, u"-p"_s,
                                         u"127.0.0.1:0:3000"_s, kImage + u":arm64"_s});
        QVERIFY(!id.isEmpty());
        const HttpAnswer health = waitForHealth(u"http://"_s + mappedPort(id), 60000);
        QCOMPARE(health.status, 200);
        const auto running = GantryTest::runDocker({u"inspect"_s, u"--format"_s, u"{{.State.Running}}"_s, id});
        QCOMPARE(running.stdoutText(), u"true"_s);
    }

    void otherFlavoursParse_data()
    {
        QTest::addColumn<int>("toolchain");
        QTest::addColumn<int>("strategy");
        QTest::newRow("rustup, cross") << int(BuildRecipe::Toolchain::Rustup) << int(BuildRecipe::Strategy::CrossCompile);
        QTest::newRow("rustup, emulate") << int(BuildRecipe::Toolchain::Rustup) << int(BuildRecipe::Strategy::Emulate);
        QTest::newRow("debian with apt, cross") << int(BuildRecipe::Toolchain::Debian) << int(BuildRecipe::Strategy::CrossCompile);
    }

    void otherFlavoursParse()
    {
        // These need images from a registry (rust:1-slim) or Debian's archive, neither of which
        // is reachable here: BuildKit still parses the whole file, and builds the frontend stage.
        QFETCH(int, toolchain);
        QFETCH(int, strategy);
        QString error;
        const auto facts = ProjectScanner::scanRepository(m_repo);
        if (!facts)
            error = facts.failure().sentence();
        QVERIFY2(facts, qPrintable(error));
        BuildRecipe recipe = recipeFromFacts(*facts);
        recipe.toolchain = BuildRecipe::Toolchain(toolchain);
        recipe.strategy = BuildRecipe::Strategy(strategy);
        recipe.platforms = {u"linux/amd64"_s, u"linux/arm64"_s};
        const QString file = m_tmp.filePath(u"Dockerfile.%1.%2"_s.arg(toolchain).arg(strategy));
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(DockerfileWriter::dockerfile(recipe).toUtf8());
        out.close();
        const auto r = GantryTest::runDocker({u"buildx"_s, u"build"_s, u"--target"_s, u"frontend"_s, u"--build-arg"_s,
                                              u"NODE_IMAGE=gantry/node:20"_s, u"--output"_s, u"type=cacheonly"_s,
                                              u"--platform"_s, u"linux/amd64"_s, u"-f"_s, file, m_repo},
                                             5 * 60 * 1000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText().right(2000)));
    }

    void cleanupTestCase()
    {
        for (const QString &c : std::as_const(m_containers))
            GantryTest::runDocker({u"rm"_s, u"-f"_s, c});
        for (const QString &tag : {u":amd64"_s, u":arm64"_s})
            GantryTest::runDocker({u"rmi"_s, u"-f"_s, kImage + tag});
    }
};

QTEST_GUILESS_MAIN(TestDockerfileBuild)
#include "tst_dockerfile_build.moc"
