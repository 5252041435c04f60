// SPDX-License-Identifier: MIT
// End to end on Gantry's own workspace fixture (tests/data/workspace-stack): a Cargo
// workspace whose server is a member with a custom binary name (stack-api in package
// stack-server), inherits version and dependencies from the workspace, depends on a sibling
// crate by path, next to a member it does not need; a frontend whose build writes site/.
// `gantry init` configures it with no hand edit (only the toolchain, platforms and the local
// base images are chosen, as a user would in the wizard); the written Dockerfile builds with
// the real engine for linux/amd64 and, cross-compiled, linux/arm64; the amd64 image answers
// HTTP from the server, from the sibling crate and with the frontend's files.
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QString kImage = u"projects-gantry-test-workspace"_s;
}

class TestWorkspaceBuild : public QObject
{
    Q_OBJECT
    QTemporaryDir m_tmp;
    QString m_repo;
    QStringList m_containers;

    GantryTest::HttpAnswer get(const QString &port, const QString &path, int timeoutMs = 5000)
    {
        return GantryTest::httpGetWhenUp(u"http://"_s + port + path, timeoutMs);
    }

private Q_SLOTS:
    void initTestCase()
    {
        for (const QString &image : {u"gantry/rust:debian"_s, u"gantry/node:20"_s})
            if (!GantryTest::runDocker({u"image"_s, u"inspect"_s, image}).ok())
                QSKIP("the local base images are missing (scripts/setup makes them)");
        m_repo = m_tmp.filePath(u"workspace-stack"_s);
        QVERIFY(GantryTest::copyTree(QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/workspace-stack"_s, m_repo));
    }

    void initConfiguresWithNoHandEdit()
    {
        const auto r = GantryTest::runGantry({u"init"_s, m_repo, u"--toolchain"_s, u"debian"_s, u"--platform"_s,
                                              u"linux/amd64,linux/arm64"_s, u"--base-image"_s, u"rust=gantry/rust:debian"_s,
                                              u"--base-image"_s, u"node=gantry/node:20"_s});
        QVERIFY2(r.ok(), qPrintable(r.stderrText() + u'\n' + r.stdoutText()));
        const QString toml = QString::fromUtf8(GantryTest::readAll(m_repo + u"/gantry.toml"_s));
        QVERIFY2(toml.contains(u"binary = \"stack-api\""_s), qPrintable(toml));
        QVERIFY2(toml.contains(u"package = \"stack-server\""_s), qPrintable(toml));
        QVERIFY2(toml.contains(u"output = \"site\""_s), qPrintable(toml));
        QVERIFY2(toml.contains(u"sources = [\"crates/server\", \"crates/greeting\"]"_s), qPrintable(toml));
        QVERIFY2(toml.contains(u"stand_ins = [\"crates/tools/src/main.rs\"]"_s), qPrintable(toml));
        // Path and workspace crates are the user's own: never asked of apt.
        for (const QString &own : {u"greeting"_s, u"stack-server"_s, u"stack-tools"_s})
            QVERIFY2(!toml.section(u"debian_crates"_s, 1).section(u'\n', 0, 0).contains(u'"' + own), qPrintable(toml));
        const QString dockerfile = QString::fromUtf8(GantryTest::readAll(m_repo + u"/Dockerfile"_s));
        QVERIFY2(dockerfile.contains(u"-p stack-server --bin stack-api"_s), qPrintable(dockerfile));
        QVERIFY2(!dockerfile.contains(u"COPY crates/tools/ "_s), qPrintable(dockerfile)); // its manifest only
    }

    void amd64ImageAnswers()
    {
        const auto build = GantryTest::runDocker({u"buildx"_s, u"build"_s, u"--load"_s, u"--platform"_s, u"linux/amd64"_s,
                                                  u"-t"_s, kImage + u":amd64"_s, u"-f"_s, m_repo + u"/Dockerfile"_s, m_repo},
                                                 20 * 60 * 1000);
        QVERIFY2(build.ok(), qPrintable(build.stderrText().right(3000)));
        const auto run = GantryTest::runDocker({u"run"_s, u"-d"_s, u"--name"_s, kImage + u"-amd64"_s, u"-p"_s,
                                                u"127.0.0.1:0:3000"_s, kImage + u":amd64"_s});
        QVERIFY2(run.ok(), qPrintable(run.stderrText()));
        m_containers << kImage + u"-amd64"_s;
        const QString port = GantryTest::runDocker({u"port"_s, kImage + u"-amd64"_s, u"3000/tcp"_s})
                                 .stdoutText().section(u'\n', 0, 0).trimmed();
        const auto health = get(port, u"/api/health"_s, 20000);
        QCOMPARE(health.status, 200);
        QVERIFY2(health.body.contains("\"service\":\"stack-api\""), health.body.constData());
        const auto hello = get(port, u"/api/hello"_s);
        QCOMPARE(hello.status, 200);
        QVERIFY2(hello.body.contains("from a workspace member"), hello.body.constData()); // the sibling crate
        const auto index = get(port, u"/"_s);
        QCOMPARE(index.status, 200);
        QCOMPARE(index.body, GantryTest::readAll(m_repo + u"/web/src/index.html"_s)); // what the build wrote to site/
    }

    void arm64ImageIsCrossCompiled()
    {
        const auto build = GantryTest::runDocker({u"buildx"_s, u"build"_s, u"--load"_s, u"--platform"_s, u"linux/arm64"_s,
                                                  u"-t"_s, kImage + u":arm64"_s, u"-f"_s, m_repo + u"/Dockerfile"_s, m_repo},
                                                 20 * 60 * 1000);
        QVERIFY2(build.ok(), qPrintable(build.stderrText().right(3000)));
        const auto arch = GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Architecture}}"_s, kImage + u":arm64"_s});
        QCOMPARE(arch.stdoutText(), u"arm64"_s);
        const QString created = kImage + u"-arm64-files"_s;
        QVERIFY(GantryTest::runDocker({u"create"_s, u"--platform"_s, u"linux/arm64"_s, u"--name"_s, created, kImage + u":arm64"_s}).ok());
        m_containers << created;
        const QString binary = m_tmp.filePath(u"stack-api.arm64"_s);
        const auto cp = GantryTest::runDocker({u"cp"_s, created + u":/app/stack-api"_s, binary});
        QVERIFY2(cp.ok(), qPrintable(cp.stderrText()));
        const QByteArray header = GantryTest::readAll(binary).left(20);
        QCOMPARE(header.left(4), QByteArray("\x7f" "ELF"));
        QCOMPARE(int(quint8(header.at(18))) | int(quint8(header.at(19))) << 8, 183); // EM_AARCH64
    }

    void cleanupTestCase()
    {
        for (const QString &c : std::as_const(m_containers))
            GantryTest::runDocker({u"rm"_s, u"-f"_s, c});
        for (const QString &tag : {u":amd64"_s, u":arm64"_s})
            GantryTest::runDocker({u"rmi"_s, u"-f"_s, kImage + tag});
    }
};

QTEST_GUILESS_MAIN(TestWorkspaceBuild)
#include "tst_workspace_build.moc"
