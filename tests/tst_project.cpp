// SPDX-License-Identifier: MIT
// ProjectScanner over a table of good and bad projects (fixtures in tests/data/project and
// the example monorepo), including a workspace with two binaries whose Cargo.lock pulls
// openssl-sys in through reqwest.
#include "failuretext.h"
#include "project/projectscanner.h"
#include "project/tlsaudit.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <toml++/toml.hpp>

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
QString corpusDir()
{
    return QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/projects"_s;
}

/// Lockfile entries without `source`: path and workspace crates, the user's own.
QSet<QString> sourcelessCrates(const QString &lockPath)
{
    QSet<QString> out;
    QFile f(lockPath);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    const QByteArray bytes = f.readAll();
    const toml::table t = toml::parse(std::string_view(bytes.constData(), size_t(bytes.size())));
    if (const toml::array *packages = t["package"].as_array())
        for (const toml::node &p : *packages)
            if (const toml::table *pt = p.as_table(); pt && !pt->contains("source"))
                out.insert(QString::fromStdString((*pt)["name"].value_or(std::string())));
    return out;
}

/// Everything that differs between a scan and the hand-written expectation, one item each.
QStringList corpusMismatches(const ProjectFacts &f, const QJsonObject &e)
{
    QStringList out;
    auto check = [&out](const QString &what, const QString &got, const QString &want) {
        if (got != want)
            out << u"%1: got '%2', expected '%3'"_s.arg(what, got, want);
    };
    check(u"workspace"_s, f.workspaceRelative(), e.value(u"workspace"_s).toString());
    check(u"backend package folder"_s, f.packageRelative(), e.value(u"backend"_s).toString());
    check(u"package"_s, f.backend.package, e.value(u"package"_s).toString());
    check(u"binary"_s, f.backend.defaultBinary, e.value(u"binary"_s).toString());
    if (f.backend.defaultBinary != e.value(u"binary"_s).toString())
        for (const BinaryCandidate &c : f.backend.candidates.mid(0, 4))
            out << u"candidate %1/%2 score %3 (%4)"_s.arg(c.package, c.binary).arg(c.score).arg(c.reasons.join(u", "_s));
    const QString frontend = e.value(u"frontend"_s).toString();
    check(u"frontend"_s, f.frontendRelative(), frontend);
    if (f.frontend && !frontend.isEmpty()) {
        check(u"tool"_s, f.frontend->tool, e.value(u"tool"_s).toString());
        check(u"output"_s, f.frontend->outputDir, e.value(u"output"_s).toString());
        check(u"package manager"_s, PackageManagers::name(f.frontend->packageManager), e.value(u"pm"_s).toString());
        if (const QString node = e.value(u"node"_s).toString(); !node.isEmpty())
            check(u"node"_s, f.frontend->nodeMajor, node);
    }
    const QString lock = QDir(f.repoRoot).filePath(e.value(u"workspace"_s).toString() + u"/Cargo.lock"_s);
    if (QFileInfo::exists(lock) && !f.backend.hasLockfile)
        out << u"the workspace's Cargo.lock was not read"_s;
    const QSet<QString> own = sourcelessCrates(lock) + QSet<QString>(f.backend.memberPackages.cbegin(), f.backend.memberPackages.cend());
    QStringList got;
    for (const TlsFinding &t : f.backend.tlsFindings)
        for (qsizetype i = 1; i < t.chain.size(); ++i)
            if (!own.contains(t.chain.at(i))) {
                if (!got.contains(t.chain.at(i)))
                    got << t.chain.at(i);
                break;
            }
    got.sort();
    QStringList want;
    for (const QJsonValue &v : e.value(u"tls"_s).toArray())
        want << v.toString();
    want.sort();
    check(u"TLS findings"_s, got.join(u", "_s), want.join(u", "_s));
    return out;
}
} // namespace

class TestProject : public QObject
{
    Q_OBJECT
    int m_corpusRight = 0;
    int m_corpusTotal = 0;

private Q_SLOTS:
    void initTestCase()
    {
        // The built-in reader of Cargo.toml, whether or not this machine has cargo
        // (tst_cargometadata holds it against cargo metadata).
        qputenv("GANTRY_CARGO", "none");
    }

    void cleanupTestCase()
    {
        if (m_corpusTotal > 0)
            qInfo("corpus: %d of %d projects configured right with no hand edit", m_corpusRight, m_corpusTotal);
    }

    /// Each project of tests/data/projects, scanned as `gantry init REPO` does (no hints),
    /// against what a person reading it expects (expected.json).
    void corpus_data()
    {
        QTest::addColumn<QJsonObject>("expected");
        QFile f(corpusDir() + u"/expected.json"_s);
        QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(f.fileName()));
        const QJsonArray projects = QJsonDocument::fromJson(f.readAll()).object().value(u"projects"_s).toArray();
        QVERIFY(projects.size() >= 25);
        for (const QJsonValue &p : projects)
            QTest::newRow(qPrintable(p.toObject().value(u"name"_s).toString())) << p.toObject();
    }

    void corpus()
    {
        QFETCH(QJsonObject, expected);
        const QString root = corpusDir() + u'/' + expected.value(u"name"_s).toString();
        QVERIFY2(QFileInfo(root + u"/SOURCE"_s).isFile(), "every corpus project cites its repository and commit");
        QString error;
        const auto facts = ProjectScanner::scanRepository(root);
        if (!facts)
            error = facts.failure().sentence();
        ++m_corpusTotal;
        QVERIFY2(facts, qPrintable(error));
        const QStringList wrong = corpusMismatches(*facts, expected);
        if (wrong.isEmpty())
            ++m_corpusRight;
        QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(u"; "_s)));
    }

    void exampleMonorepo()
    {
        QString error;
        const auto facts = ProjectScanner::scanRepository(example());
        if (!facts)
            error = facts.failure().sentence();
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
        QCOMPARE(PackageManagers::name(facts->frontend->packageManager), u"npm"_s);
        QCOMPARE(facts->frontend->buildScript, u"node build.mjs"_s);
        QCOMPARE(facts->frontend->outputDir, u"dist"_s);
        QCOMPARE(facts->frontend->nodeVersion, u"20"_s); // .nvmrc wins over engines
        QCOMPARE(facts->frontend->nodeMajor, u"20"_s);
        // Pointing at the backend folder itself works too.
        const auto backendOnly = ProjectScanner::scanBackend(example() + u"/backend"_s);
        if (!backendOnly)
            error = backendOnly.failure().sentence();
        QVERIFY2(backendOnly, qPrintable(error));
        QCOMPARE(backendOnly->defaultBinary, u"hello-backend"_s);
    }

    void workspaceWithOpenssl()
    {
        QString error;
        const auto facts = ProjectScanner::scanRepository(fixture(u"workspace-openssl"_s));
        if (!facts)
            error = facts.failure().sentence();
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
        QCOMPARE(PackageManagers::name(facts->frontend->packageManager), u"pnpm"_s);
        QCOMPARE(facts->frontend->outputDir, u"dist"_s);
        QCOMPARE(facts->frontend->nodeVersion, u">=18"_s);
        QCOMPARE(facts->frontend->nodeMajor, u"20"_s);
    }

    void severalFindingsAndBinaries()
    {
        QString error;
        const auto facts = ProjectScanner::scanRepository(fixture(u"sqlx-lettre"_s));
        if (!facts)
            error = facts.failure().sentence();
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
        QCOMPARE(PackageManagers::name(facts->frontend->packageManager), u"yarn"_s);
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
        const auto facts = ProjectScanner::scanRepository(root, backend, frontend);
        if (!facts)
            error = facts.failure().sentence();
        QVERIFY(!facts);
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(!error.contains(u'\n'), qPrintable(error));
        QVERIFY2(error.endsWith(u'.'), qPrintable(error));
    }

    void noBuildScriptIsNotAFrontendWhenGuessing()
    {
        // Without --frontend, a package.json without a build script is not taken for the frontend.
        QString error;
        const auto facts = ProjectScanner::scanRepository(fixture(u"no-build-script"_s));
        if (!facts)
            error = facts.failure().sentence();
        QVERIFY2(facts, qPrintable(error));
        QVERIFY(!facts->frontend);
        QVERIFY(facts->notes.join(u' ').contains(u"No frontend found"_s));
    }

    void rustlsSwitches_data()
    {
        // A lockfile where the user's crate "app" depends on CRATE, which reaches openssl-sys
        // through the crates in VIA: the finding names CRATE and its switch.
        QTest::addColumn<QString>("crate");
        QTest::addColumn<QStringList>("via");
        QTest::addColumn<QString>("fixFragment");
        QTest::newRow("reqwest") << u"reqwest"_s << QStringList{u"hyper-tls"_s, u"native-tls"_s} << u"\"rustls-tls\""_s;
        QTest::newRow("sqlx") << u"sqlx"_s << QStringList{u"sqlx-core"_s, u"native-tls"_s} << u"\"tls-rustls\""_s;
        QTest::newRow("lettre") << u"lettre"_s << QStringList{u"native-tls"_s} << u"\"tokio1-rustls-tls\""_s;
        QTest::newRow("redis") << u"redis"_s << QStringList{u"tokio-native-tls"_s, u"native-tls"_s} << u"\"tls-rustls\""_s;
        QTest::newRow("hyper-tls") << u"hyper-tls"_s << QStringList{u"native-tls"_s} << u"hyper-rustls"_s;
        QTest::newRow("tokio-postgres via postgres-native-tls")
            << u"postgres-native-tls"_s << QStringList{u"native-tls"_s} << u"tokio-postgres-rustls"_s;
        QTest::newRow("openssl directly") << u"openssl"_s << QStringList{} << u"rustls"_s;
        QTest::newRow("unknown crate") << u"mystery-client"_s << QStringList{u"openssl"_s} << u"look for a \"rustls\" feature of mystery-client"_s;
    }

    void rustlsSwitches()
    {
        QFETCH(QString, crate);
        QFETCH(QStringList, via);
        QFETCH(QString, fixFragment);
        QStringList chain = QStringList{u"app"_s, crate} + via + QStringList{u"openssl-sys"_s};
        QString lock = u"version = 3\n"_s;
        for (qsizetype i = 0; i < chain.size(); ++i) {
            lock += u"\n[[package]]\nname = \"%1\"\nversion = \"1.0.%2\"\n"_s.arg(chain.at(i)).arg(i);
            if (i + 1 < chain.size())
                lock += u"dependencies = [\"%1\"]\n"_s.arg(chain.at(i + 1));
        }
        const Result<LockAudit> audit = auditCargoLock(lock, {u"app"_s});
        QVERIFY2(audit, qPrintable(GantryTest::failureText(audit)));
        const QList<TlsFinding> &findings = audit->findings;
        QCOMPARE(findings.size(), 1);
        QCOMPARE(findings.first().crate, crate);
        QCOMPARE(findings.first().chain, chain);
        QVERIFY2(findings.first().fix.contains(fixFragment), qPrintable(findings.first().fix));
    }

    void lockfileThatDoesNotParse()
    {
        const Result<LockAudit> audit = auditCargoLock(u"[[package]]\nname = \"x\nversion = \"1\"\n"_s, {u"x"_s});
        QVERIFY(!audit);
        const QString error = audit.failure().sentence();
        QVERIFY2(error.startsWith(u"Cargo.lock:2:"_s), qPrintable(error));
        QCOMPARE(toString(audit.failure().errorClass), toString(ErrorClass::ManifestSyntax));
        QVERIFY2(audit.failure().fix.contains(u"cargo generate-lockfile"_s), qPrintable(audit.failure().fix));
    }
};

QTEST_GUILESS_MAIN(TestProject)
#include "tst_project.moc"
