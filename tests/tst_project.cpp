// SPDX-License-Identifier: MIT
// ProjectScanner over a table of good and bad projects (fixtures in tests/data/project and
// the example monorepo), including a workspace with two binaries whose Cargo.lock pulls
// openssl-sys in through reqwest.
#include "project/projectscanner.h"
#include "project/tlsaudit.h"
#include "testsupport.h"

#include <QDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {
QString fixture(const QString &name)
{
    return QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/project/"_s + name;
}
QString example()
{
    return GantryTest::sourceDir() + u"/examples/hello-stack"_s;
}
} // namespace

class TestProject : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exampleMonorepo()
    {
        QString error;
        const auto facts = ProjectScanner::scanRepository(example(), &error);
        QVERIFY2(facts, qPrintable(error));
        QCOMPARE(facts->backendRelative(), u"backend"_s);
        QCOMPARE(facts->frontendRelative(), u"frontend"_s);
        QCOMPARE(facts->backend.packageName, u"hello-backend"_s);
        QCOMPARE(facts->backend.binaries, QStringList{u"hello-backend"_s});
        QCOMPARE(facts->backend.defaultBinary, u"hello-backend"_s);
        QCOMPARE(facts->backend.edition, u"2021"_s);
        QCOMPARE(facts->backend.rustVersion, u"1.75"_s);
        QVERIFY(facts->backend.hasLockfile);
        QVERIFY(facts->backend.tlsFindings.isEmpty());
        QStringList deps;
        for (const CrateDependency &d : facts->backend.dependencies)
            deps << d.name;
        QCOMPARE(deps, (QStringList{u"axum"_s, u"serde"_s, u"serde_json"_s, u"tokio"_s, u"tower-http"_s}));
        QVERIFY(facts->frontend);
        QCOMPARE(facts->frontend->packageManager, u"npm"_s);
        QCOMPARE(facts->frontend->buildScript, u"node build.mjs"_s);
        QCOMPARE(facts->frontend->outputDir, u"dist"_s);
        QCOMPARE(facts->frontend->nodeVersion, u"20"_s); // .nvmrc wins over engines
        QCOMPARE(facts->frontend->nodeMajor, u"20"_s);
        // Pointing at the backend folder itself works too.
        const auto backendOnly = ProjectScanner::scanBackend(example() + u"/backend"_s, &error);
        QVERIFY2(backendOnly, qPrintable(error));
        QCOMPARE(backendOnly->defaultBinary, u"hello-backend"_s);
    }

    void workspaceWithOpenssl()
    {
        QString error;
        const auto facts = ProjectScanner::scanRepository(fixture(u"workspace-openssl"_s), &error);
        QVERIFY2(facts, qPrintable(error));
        QCOMPARE(facts->backendRelative(), u"."_s);
        QVERIFY(facts->backend.packageName.isEmpty()); // a virtual workspace
        QCOMPARE(facts->backend.workspaceMembers, (QStringList{u"crates/api"_s, u"crates/worker"_s}));
        QCOMPARE(facts->backend.binaries, (QStringList{u"api"_s, u"worker"_s}));
        QCOMPARE(facts->backend.defaultBinary, u"api"_s);
        QCOMPARE(facts->backend.edition, u"2021"_s);
        QCOMPARE(facts->backend.rustVersion, u"1.74"_s);
        QVERIFY(facts->backend.notes.join(u' ').contains(u"2 binaries (api, worker)"_s));
        QVERIFY(facts->backend.needsCCompiler);
        // The finding names the chain from the user's crate and the rustls switch by feature.
        QCOMPARE(facts->backend.tlsFindings.size(), 1);
        const TlsFinding f = facts->backend.tlsFindings.first();
        QCOMPARE(f.crate, u"reqwest"_s);
        QCOMPARE(f.crateVersion, u"0.12.9"_s);
        QCOMPARE(f.opensslCrate, u"openssl-sys"_s);
        QCOMPARE(f.chain, (QStringList{u"api"_s, u"reqwest"_s, u"native-tls"_s, u"openssl-sys"_s}));
        QCOMPARE(f.chainText(), u"api → reqwest → native-tls → openssl-sys"_s);
        QVERIFY2(f.fix.contains(u"default-features = false"_s) && f.fix.contains(u"\"rustls-tls\""_s), qPrintable(f.fix));
        // tokio's features come from [workspace.dependencies] plus the member's own.
        for (const CrateDependency &d : facts->backend.dependencies)
            if (d.name == u"tokio")
                QCOMPARE(d.features, (QStringList{u"rt-multi-thread"_s, u"macros"_s, u"time"_s}));
        // The frontend: vite → dist, pnpm by lockfile, engines ">=18" → an LTS that satisfies it.
        QVERIFY(facts->frontend);
        QCOMPARE(facts->frontendRelative(), u"web"_s);
        QCOMPARE(facts->frontend->packageManager, u"pnpm"_s);
        QCOMPARE(facts->frontend->outputDir, u"dist"_s);
        QCOMPARE(facts->frontend->nodeVersion, u">=18"_s);
        QCOMPARE(facts->frontend->nodeMajor, u"20"_s);
    }

    void severalFindingsAndBinaries()
    {
        QString error;
        const auto facts = ProjectScanner::scanRepository(fixture(u"sqlx-lettre"_s), &error);
        QVERIFY2(facts, qPrintable(error));
        QCOMPARE(facts->backendRelative(), u"server"_s);
        QCOMPARE(facts->backend.binaries, (QStringList{u"mailer"_s, u"migrate"_s}));
        QCOMPARE(facts->backend.defaultBinary, u"mailer"_s); // default-run
        QCOMPARE(facts->backend.edition, u"2024"_s);
        QCOMPARE(facts->backend.tlsFindings.size(), 2);
        QCOMPARE(facts->backend.tlsFindings.at(0).crate, u"lettre"_s);
        QCOMPARE(facts->backend.tlsFindings.at(0).chainText(), u"mailer → lettre → native-tls → openssl-sys"_s);
        QVERIFY(facts->backend.tlsFindings.at(0).fix.contains(u"tokio1-rustls-tls"_s));
        QCOMPARE(facts->backend.tlsFindings.at(1).crate, u"sqlx"_s);
        QCOMPARE(facts->backend.tlsFindings.at(1).chainText(), u"mailer → sqlx → sqlx-core → native-tls → openssl-sys"_s);
        QVERIFY(facts->backend.tlsFindings.at(1).fix.contains(u"tls-rustls"_s));
        QCOMPARE(facts->frontend->packageManager, u"yarn"_s);
        QCOMPARE(facts->frontend->outputDir, u"build"_s); // react-scripts
    }

    void badInputs_data()
    {
        QTest::addColumn<QString>("root");
        QTest::addColumn<QString>("backend");
        QTest::addColumn<QString>("frontend");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not a folder") << fixture(u"nope"_s) << QString() << QString() << u"is not a folder"_s;
        QTest::newRow("a file") << fixture(u"bad-lib/backend/Cargo.toml"_s) << QString() << QString() << u"is not a folder"_s;
        QTest::newRow("no Cargo.toml") << fixture(u"no-cargo"_s) << QString() << QString() << u"There is no Cargo.toml"_s;
        QTest::newRow("no Cargo.toml in --backend") << example() << u"frontend"_s << QString() << u"There is no Cargo.toml in"_s;
        QTest::newRow("Cargo.toml does not parse") << fixture(u"bad-toml"_s) << QString() << QString()
                                                   << u"Cargo.toml does not parse at line 4, column 15"_s;
        QTest::newRow("no binary") << fixture(u"bad-lib"_s) << QString() << QString() << u"has no binary target"_s;
        QTest::newRow("missing member") << fixture(u"bad-member"_s) << QString() << QString() << u"lists the member 'missing'"_s;
        QTest::newRow("package.json not JSON") << fixture(u"bad-json"_s) << QString() << QString()
                                               << u"package.json is not valid JSON at line 3, column"_s;
        QTest::newRow("no build script") << fixture(u"no-build-script"_s) << QString() << u"frontend"_s
                                         << u"has no \"build\" script"_s;
        QTest::newRow("--frontend not a folder") << example() << QString() << u"web"_s << u"is not a folder"_s;
    }

    void badInputs()
    {
        QFETCH(QString, root);
        QFETCH(QString, backend);
        QFETCH(QString, frontend);
        QFETCH(QString, expected);
        QString error;
        const auto facts = ProjectScanner::scanRepository(root, &error, backend, frontend);
        QVERIFY(!facts);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(!error.contains(u'\n'), qPrintable(error));
        QVERIFY2(error.endsWith(u'.'), qPrintable(error));
    }

    void noBuildScriptIsNotAFrontendWhenGuessing()
    {
        // Without --frontend, a package.json without a build script is not taken for the frontend.
        QString error;
        const auto facts = ProjectScanner::scanRepository(fixture(u"no-build-script"_s), &error);
        QVERIFY2(facts, qPrintable(error));
        QVERIFY(!facts->frontend);
        QVERIFY(facts->notes.join(u' ').contains(u"No frontend found"_s));
    }

    void lockfileThatDoesNotParse()
    {
        QList<TlsFinding> findings;
        QString error;
        QVERIFY(!auditCargoLock(u"[[package]]\nname = \"x\nversion = \"1\"\n"_s, {u"x"_s}, &findings, nullptr, &error));
        QVERIFY2(error.startsWith(u"Cargo.lock:2:"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestProject)
#include "tst_project.moc"
