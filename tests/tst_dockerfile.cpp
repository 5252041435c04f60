// SPDX-License-Identifier: MIT
// The Dockerfile writer against golden files over the recipe matrix
// (toolchain × runtime × strategy × platforms), plus the rules every output must keep,
// and the plan/write step that never overwrites silently.
// A test run never writes the golden files: on a difference it leaves what the writer made in
// BUILD/golden-actual/recipe/, and scripts/update-goldens (after an intended change) copies
// those over tests/data/recipe/ and shows the diff for review.
#include "recipe/dockerfilewriter.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

QString goldenDir()
{
    return QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/recipe"_s;
}

BuildRecipe exampleRecipe()
{
    BuildRecipe r;
    r.backendDir = u"backend"_s;
    r.frontendDir = u"frontend"_s;
    r.frontendOutputDir = u"dist"_s;
    r.binary = u"hello-backend"_s;
    r.debianCrates = {u"axum"_s, u"tokio"_s, u"tokio+macros"_s, u"serde_json"_s};
    r.env = {{u"RUST_LOG"_s, u"info"_s}};
    return r;
}

/// Keeps what the writer made beside the build (never in the source tree), for scripts/update-goldens.
void keepActual(const QString &name, const QString &actual)
{
    const QString dir = QStringLiteral(GANTRY_BINARY_DIR) + u"/golden-actual/recipe"_s;
    QDir().mkpath(dir);
    QFile f(dir + u'/' + name);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(actual.toUtf8());
}

void compareGolden(const QString &name, const QString &actual)
{
    const QString path = goldenDir() + u'/' + name;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        keepActual(name, actual);
        QFAIL(qPrintable(u"missing golden file %1 (scripts/update-goldens writes it after review)"_s.arg(path)));
    }
    const QString expected = QString::fromUtf8(f.readAll());
    if (expected != actual) {
        keepActual(name, actual);
        // Show a diff-like first difference; the whole text is long.
        const QStringList a = expected.split(u'\n'), b = actual.split(u'\n');
        for (qsizetype i = 0; i < std::max(a.size(), b.size()); ++i) {
            const QString x = a.value(i), y = b.value(i);
            if (x != y)
                QFAIL(qPrintable(u"%1 line %2:\n  expected: %3\n  actual:   %4\n(an intended change: scripts/update-goldens)"_s.arg(name).arg(i + 1).arg(x, y)));
        }
    }
}

/// Lines of the stage that starts with the last FROM.
QStringList finalStage(const QString &dockerfile)
{
    const QStringList lines = dockerfile.split(u'\n');
    qsizetype last = 0;
    for (qsizetype i = 0; i < lines.size(); ++i)
        if (lines.at(i).startsWith(u"FROM "_s))
            last = i;
    return lines.mid(last);
}

} // namespace

class TestDockerfile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matrix_data()
    {
        QTest::addColumn<BuildRecipe>("recipe");
        QTest::addColumn<QString>("golden");
        const QList<QStringList> platformSets{{u"linux/amd64"_s}, {u"linux/arm64"_s}, {u"linux/amd64"_s, u"linux/arm64"_s}};
        for (auto toolchain : {BuildRecipe::Toolchain::Debian, BuildRecipe::Toolchain::Rustup})
            for (auto runtime : {BuildRecipe::Runtime::Scratch, BuildRecipe::Runtime::Distroless,
                                 BuildRecipe::Runtime::Alpine, BuildRecipe::Runtime::DebianSlim})
                for (auto strategy : {BuildRecipe::Strategy::CrossCompile, BuildRecipe::Strategy::Emulate})
                    for (const QStringList &platforms : platformSets) {
                        BuildRecipe r = exampleRecipe();
                        r.toolchain = toolchain;
                        r.runtime = runtime;
                        r.strategy = strategy;
                        r.platforms = platforms;
                        QStringList arches;
                        for (const QString &p : platforms)
                            arches << p.section(u'/', 1);
                        const QString name = u"%1-%2-%3-%4.Dockerfile"_s.arg(
                            BuildRecipe::toolchainName(toolchain), BuildRecipe::runtimeName(runtime),
                            BuildRecipe::strategyName(strategy), arches.join(u'+'));
                        QTest::newRow(qPrintable(name)) << r << name;
                    }
        // Variants that change the shape of the file.
        BuildRecipe r = exampleRecipe();
        r.frontendDir.clear();
        r.toolchain = BuildRecipe::Toolchain::Debian;
        r.platforms = {u"linux/amd64"_s, u"linux/arm64"_s};
        QTest::newRow("no frontend") << r << u"variant-no-frontend.Dockerfile"_s;
        r = exampleRecipe();
        r.toolchain = BuildRecipe::Toolchain::Debian;
        r.baseImages = {{u"rust"_s, u"gantry/rust:debian"_s}, {u"node"_s, u"gantry/node:20"_s}};
        r.platforms = {u"linux/amd64"_s, u"linux/arm64"_s};
        QTest::newRow("debian overrides") << r << u"variant-debian-overrides.Dockerfile"_s;
        r = exampleRecipe();
        r.backendDir = u"."_s;
        r.frontendDir = u"web"_s;
        r.frontendOutputDir = u"build"_s;
        r.packageManager = PackageManager::Pnpm;
        r.cacheMounts = false;
        r.caCertificates = false;
        r.user.clear();
        r.port = 0;
        r.staticDir = u"/srv/www"_s;
        r.env = {{u"GREETING"_s, u"say \"hi\" for $5"_s}};
        QTest::newRow("root backend, pnpm, no cache, root user") << r << u"variant-root-pnpm.Dockerfile"_s;
        // A Cargo workspace member (the shape tests/data/workspace-stack gets): manifests,
        // lockfile and stand-ins first, then the sources the binary needs; -p PACKAGE.
        r = exampleRecipe();
        r.backendDir = u"crates/server"_s;
        r.binary = u"stack-api"_s;
        r.workspaceDir = u"."_s;
        r.package = u"stack-server"_s;
        r.workspaceMembers = {u"crates/greeting"_s, u"crates/server"_s, u"crates/tools"_s};
        r.workspaceSources = {u"crates/server"_s, u"crates/greeting"_s};
        r.workspaceStandIns = {u"crates/tools/src/main.rs"_s};
        r.cargoConfig = true;
        r.frontendDir = u"web"_s;
        r.frontendOutputDir = u"site"_s;
        r.platforms = {u"linux/amd64"_s, u"linux/arm64"_s};
        QTest::newRow("workspace member, rustup") << r << u"variant-workspace-rustup.Dockerfile"_s;
        // The same with the debian toolchain (no cargo fetch: crates come from Debian), the
        // workspace in a subfolder, and a frontend that is a package of a pnpm workspace.
        r.toolchain = BuildRecipe::Toolchain::Debian;
        r.workspaceDir = u"rust"_s;
        r.backendDir = u"rust/crates/server"_s;
        r.workspaceMembers = {u"rust/crates/greeting"_s, u"rust/crates/server"_s, u"rust/crates/tools"_s};
        r.workspaceSources = {u"rust/crates/server"_s, u"rust/crates/greeting"_s};
        r.workspaceStandIns = {u"rust/crates/tools/src/lib.rs"_s, u"rust/crates/tools/src/bin/x.rs"_s};
        r.cargoConfig = false;
        r.frontendRoot = u"."_s;
        r.frontendDir = u"apps/web"_s;
        r.packageManager = PackageManager::Pnpm;
        QTest::newRow("workspace in a folder, debian, JS workspace") << r << u"variant-workspace-debian-jsworkspace.Dockerfile"_s;
    }

    void matrix()
    {
        QFETCH(BuildRecipe, recipe);
        QFETCH(QString, golden);
        const QString text = DockerfileWriter::dockerfile(recipe);
        compareGolden(golden, text);

        // Rules every Dockerfile keeps, checked on the text itself too.
        QVERIFY(!text.contains(u"# syntax="_s));
        const QStringList last = finalStage(text);
        for (const QString &line : last)
            QVERIFY2(!line.startsWith(u"RUN"_s), qPrintable(u"RUN in the final stage: "_s + line));
        QVERIFY(last.first().startsWith(u"FROM ${RUNTIME_IMAGE}"_s));
        if (!recipe.frontendDir.isEmpty())
            QVERIFY(text.contains(u"FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS frontend"_s));
        const bool crossBackend = text.contains(u"FROM --platform=$BUILDPLATFORM ${RUST_IMAGE} AS backend"_s);
        QCOMPARE(crossBackend, recipe.strategy == BuildRecipe::Strategy::CrossCompile);
        QVERIFY(text.contains(u"--bin "_s + recipe.binary));
        QVERIFY(text.contains(u"ENTRYPOINT [\"/app/"_s + recipe.binary + u"\"]"_s));
        if (recipe.toolchain == BuildRecipe::Toolchain::Rustup) {
            QVERIFY(text.contains(u"linux-musl"_s));
            QVERIFY(text.contains(u"rust-lld"_s));
        } else {
            QVERIFY(text.contains(u"aarch64-linux-gnu-gcc"_s));
            QVERIFY(text.contains(u"/usr/share/cargo/registry"_s));
            QCOMPARE(text.contains(u"apt-get install"_s), !recipe.hasRustImageOverride());
        }
    }

    void dockerignore()
    {
        const QString t = DockerfileWriter::dockerignore(exampleRecipe());
        compareGolden(u"example.dockerignore"_s, t);
        QVERIFY(t.contains(u"**/target\n"_s));
        QVERIFY(t.contains(u"frontend/dist\n"_s));
    }

    void planAndWrite()
    {
        QTemporaryDir dir;
        BuildRecipe r = exampleRecipe();
        QList<PlannedFile> plan = planRecipeFiles(r, dir.path());
        QCOMPARE(plan.size(), 3);
        QVERIFY(!wouldOverwrite(plan));
        QString error;
        if (const Status written = writeRecipeFiles(plan, false); !written)
            QFAIL(qPrintable(written.failure().sentence()));
        for (const PlannedFile &f : plan) {
            QFile file(f.absolutePath);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), f.proposed);
        }
        // Same recipe again: nothing to overwrite.
        plan = planRecipeFiles(r, dir.path());
        QVERIFY(!wouldOverwrite(plan));

        // The user edited the Dockerfile: a new recipe must not replace it silently.
        QFile edited(dir.filePath(u"Dockerfile"_s));
        QVERIFY(edited.open(QIODevice::Append));
        edited.write("# my own line\n");
        edited.close();
        r.port = 8080;
        plan = planRecipeFiles(r, dir.path());
        QVERIFY(wouldOverwrite(plan));
        const QString diff = plan.at(1).diff();
        QVERIFY2(diff.startsWith(u"--- a/Dockerfile\n+++ b/Dockerfile\n"_s), qPrintable(diff));
        QVERIFY2(diff.contains(u"\n-# my own line\n"_s), qPrintable(diff));
        QVERIFY2(diff.contains(u"\n-EXPOSE 3000\n+EXPOSE 8080\n"_s), qPrintable(diff));
        {
            const Status written = writeRecipeFiles(plan, false);
            QVERIFY(!written);
            error = written.failure().sentence();
        }
        QVERIFY2(error.contains(u"already exists and differs"_s), qPrintable(error));
        QVERIFY(edited.open(QIODevice::ReadOnly));
        QVERIFY(edited.readAll().endsWith("# my own line\n"));
        edited.close();
        // gantry.toml was not written either (all or nothing).
        QVERIFY(!QFile(dir.filePath(u"gantry.toml"_s)).open(QIODevice::ReadOnly) ? false : true);
        QCOMPARE(BuildRecipe::load(dir.path())->port, 3000);

        // Changed on disk between asking and writing: refused.
        QVERIFY(edited.open(QIODevice::Append));
        edited.write("# another\n");
        edited.close();
        {
            const Status written = writeRecipeFiles(plan, true);
            QVERIFY(!written);
            error = written.failure().sentence();
        }
        QVERIFY2(error.contains(u"changed on disk"_s), qPrintable(error));

        // Confirmed: replaced.
        plan = planRecipeFiles(r, dir.path());
        if (const Status written = writeRecipeFiles(plan, true); !written)
            QFAIL(qPrintable(written.failure().sentence()));
        QCOMPARE(BuildRecipe::load(dir.path())->port, 8080);
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size() == 3); // no temp files left
    }
};

QTEST_GUILESS_MAIN(TestDockerfile)
#include "tst_dockerfile.moc"
