// SPDX-License-Identifier: MIT
// `gantry init` as a user runs it, on a temporary copy of examples/hello-stack: it prints
// the findings, writes the three files, never replaces a changed file silently, and bad
// inputs end with an exit code and one clear sentence.
#include "recipe/buildrecipe.h"
#include "testsupport.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

using GantryTest::copyTree;
using GantryTest::readAll;

} // namespace

class TestCliInit : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writesTheThreeFiles()
    {
        QTemporaryDir tmp;
        const QString repo = tmp.filePath(u"hello-stack"_s);
        QVERIFY(copyTree(GantryTest::sourceDir() + u"/examples/hello-stack"_s, repo));
        const auto r = GantryTest::runGantry({u"init"_s, repo, u"--toolchain"_s, u"debian"_s, u"--platform"_s,
                                              u"linux/amd64,linux/arm64"_s, u"--base-image"_s, u"rust=gantry/rust:debian"_s});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const QString out = r.stdoutText();
        QVERIFY2(out.contains(u"Backend   backend  (hello-backend 0.1.0, edition 2021, rust-version 1.75)"_s), qPrintable(out));
        QVERIFY2(out.contains(u"binaries: hello-backend"_s), qPrintable(out));
        QVERIFY2(out.contains(u"TLS: nothing in Cargo.lock brings in OpenSSL"_s), qPrintable(out));
        QVERIFY2(out.contains(u"Frontend  frontend  (npm, build: `node build.mjs` → dist/"_s), qPrintable(out));
        QVERIFY2(out.contains(u"wrote     gantry.toml\nwrote     Dockerfile\nwrote     .dockerignore\n"_s), qPrintable(out));

        QString error;
        const auto recipe = BuildRecipe::load(repo);
        if (!recipe)
            error = recipe.failure().sentence();
        QVERIFY2(recipe, qPrintable(error));
        QCOMPARE(recipe->backendDir, u"backend"_s);
        QCOMPARE(recipe->frontendDir, u"frontend"_s);
        QCOMPARE(recipe->frontendOutputDir, u"dist"_s);
        QCOMPARE(recipe->binary, u"hello-backend"_s);
        QCOMPARE(recipe->platforms, (QStringList{u"linux/amd64"_s, u"linux/arm64"_s}));
        QCOMPARE(recipe->toolchain, BuildRecipe::Toolchain::Debian);
        QCOMPARE(recipe->baseImages.value(u"rust"_s), u"gantry/rust:debian"_s);
        const QByteArray dockerfile = readAll(repo + u"/Dockerfile"_s);
        QVERIFY(dockerfile.contains("ARG RUST_IMAGE=gantry/rust:debian\n"));
        QVERIFY(dockerfile.contains("FROM --platform=$BUILDPLATFORM ${RUST_IMAGE} AS backend\n"));
        QVERIFY(dockerfile.contains("--bin hello-backend"));
        QVERIFY(readAll(repo + u"/.dockerignore"_s).contains("frontend/dist\n"));

        // Again with the same options: nothing changes, nothing is asked.
        const auto again = GantryTest::runGantry({u"init"_s, repo});
        QVERIFY2(again.ok(), qPrintable(again.stderrText()));
        QVERIFY2(again.stdoutText().contains(u"unchanged Dockerfile"_s), qPrintable(again.stdoutText()));

        // A different runtime over a hand-edited Dockerfile: the diff is shown, nothing is written.
        QFile df(repo + u"/Dockerfile"_s);
        QVERIFY(df.open(QIODevice::Append));
        df.write("# kept by hand\n");
        df.close();
        const QByteArray edited = readAll(repo + u"/Dockerfile"_s);
        const QByteArray toml = readAll(repo + u"/gantry.toml"_s);
        const auto refused = GantryTest::runGantry({u"init"_s, repo, u"--runtime"_s, u"alpine"_s});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.stdoutText().contains(u"--- a/Dockerfile\n+++ b/Dockerfile\n"_s), qPrintable(refused.stdoutText()));
        QVERIFY2(refused.stdoutText().contains(u"\n-ARG RUNTIME_IMAGE=scratch\n+ARG RUNTIME_IMAGE=alpine:3.20\n"_s),
                 qPrintable(refused.stdoutText()));
        QVERIFY2(refused.stdoutText().contains(u"\n-# kept by hand"_s), qPrintable(refused.stdoutText()));
        QVERIFY2(refused.stderrText().contains(u"nothing was written. Run again with --force"_s), qPrintable(refused.stderrText()));
        QCOMPARE(readAll(repo + u"/Dockerfile"_s), edited);
        QCOMPARE(readAll(repo + u"/gantry.toml"_s), toml);

        // --force replaces them.
        const auto forced = GantryTest::runGantry({u"init"_s, repo, u"--runtime"_s, u"alpine"_s, u"--force"_s});
        QVERIFY2(forced.ok(), qPrintable(forced.stderrText()));
        QVERIFY(readAll(repo + u"/Dockerfile"_s).contains("ARG RUNTIME_IMAGE=alpine:3.20\n"));
        QCOMPARE(BuildRecipe::load(repo)->runtime, BuildRecipe::Runtime::Alpine);
        // No temporary files left next to them.
        QCOMPARE(QDir(repo).entryList(QDir::Files | QDir::Hidden, QDir::Name),
                 (QStringList{u".dockerignore"_s, u"Dockerfile"_s, u"README.md"_s, u"gantry.toml"_s}));
    }

    void asksOnATerminal()
    {
        // On a terminal gantry init asks before replacing; `script` gives it a real pty.
        const QString script = QStandardPaths::findExecutable(u"script"_s);
        if (script.isEmpty())
            QSKIP("util-linux 'script' is not installed, so there is no pseudo-terminal to answer on");
        QTemporaryDir tmp;
        const QString repo = tmp.filePath(u"hello-stack"_s);
        QVERIFY(copyTree(GantryTest::sourceDir() + u"/examples/hello-stack"_s, repo));
        QVERIFY(GantryTest::runGantry({u"init"_s, repo}).ok());
        const QByteArray before = readAll(repo + u"/Dockerfile"_s);
        const QString command = GantryTest::gantryExecutable() + u" init "_s + repo + u" --runtime debian-slim"_s;
        const auto no = Gantry::runProcess(script, {u"-qec"_s, command, u"/dev/null"_s},
                                           QProcessEnvironment::systemEnvironment(), 60000, "n\n");
        QCOMPARE(no.exitCode, 1);
        QVERIFY2(QString::fromUtf8(no.standardOutput).contains(u"Replace the existing files with these changes? [y/N]"_s),
                 no.standardOutput.constData());
        QCOMPARE(readAll(repo + u"/Dockerfile"_s), before);
        const auto yes = Gantry::runProcess(script, {u"-qec"_s, command, u"/dev/null"_s},
                                            QProcessEnvironment::systemEnvironment(), 60000, "y\n");
        QVERIFY2(yes.ok(), yes.standardOutput.constData());
        QVERIFY(QString::fromUtf8(yes.standardOutput).contains(u"replaced  Dockerfile"_s));
        QVERIFY(readAll(repo + u"/Dockerfile"_s).contains("ARG RUNTIME_IMAGE=debian:trixie-slim\n"));
    }

    void tlsFindingsArePrinted()
    {
        QTemporaryDir tmp;
        QVERIFY(copyTree(QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/project/workspace-openssl"_s, tmp.path()));
        const auto r = GantryTest::runGantry({u"init"_s, tmp.path(), u"--binary"_s, u"worker"_s});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY2(r.stdoutText().contains(u"TLS: reqwest 0.12.9 brings in openssl-sys: api → reqwest → native-tls → openssl-sys\n"
                                         "       fix: reqwest: set default-features = false and turn on the \"rustls-tls\" feature"_s),
                 qPrintable(r.stdoutText()));
        QString error;
        QCOMPARE(BuildRecipe::load(tmp.path())->binary, u"worker"_s);
    }

    void badInputs_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString data = QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/project/"_s;
        const QString example = GantryTest::sourceDir() + u"/examples/hello-stack"_s;
        QTest::newRow("no repo") << QStringList{u"init"_s} << 2 << u"give exactly one REPO folder"_s;
        QTest::newRow("not a folder") << QStringList{u"init"_s, u"/nonexistent/gantry"_s} << 1
                                      << u"gantry init: /nonexistent/gantry is not a folder."_s;
        QTest::newRow("no Cargo.toml") << QStringList{u"init"_s, data + u"no-cargo"_s} << 1 << u"There is no Cargo.toml in"_s;
        QTest::newRow("bad Cargo.toml") << QStringList{u"init"_s, data + u"bad-toml"_s} << 1
                                        << u"does not parse at line 4, column 15"_s;
        QTest::newRow("no binary") << QStringList{u"init"_s, data + u"bad-lib"_s} << 1 << u"has no binary target"_s;
        QTest::newRow("bad package.json") << QStringList{u"init"_s, data + u"bad-json"_s} << 1
                                          << u"is not valid JSON at line 3"_s;
        QTest::newRow("no build script") << QStringList{u"init"_s, data + u"no-build-script"_s, u"--frontend"_s, u"frontend"_s}
                                         << 1 << u"has no \"build\" script"_s;
        QTest::newRow("bad platform") << QStringList{u"init"_s, example, u"--platform"_s, u"linux/riscv64"_s} << 2
                                      << u"unknown platform 'linux/riscv64'"_s;
        QTest::newRow("bad runtime") << QStringList{u"init"_s, example, u"--runtime"_s, u"ubuntu"_s} << 2
                                     << u"unknown runtime 'ubuntu'"_s;
        QTest::newRow("bad toolchain") << QStringList{u"init"_s, example, u"--toolchain"_s, u"nix"_s} << 2
                                       << u"unknown toolchain 'nix'"_s;
        QTest::newRow("bad binary") << QStringList{u"init"_s, example, u"--binary"_s, u"nope"_s, u"--dry-run"_s} << 2
                                    << u"the backend has no binary 'nope'. Choose one of: hello-backend."_s;
        QTest::newRow("bad --backend") << QStringList{u"init"_s, example, u"--backend"_s, u"frontend"_s} << 1
                                       << u"There is no Cargo.toml in"_s;
    }

    void badInputs()
    {
        QFETCH(QStringList, arguments);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        const auto r = GantryTest::runGantry(arguments);
        QVERIFY(r.started && !r.timedOut);
        QCOMPARE(r.exitCode, exitCode);
        const QString err = r.stderrText().trimmed();
        QVERIFY2(err.contains(message), qPrintable(err));
        QVERIFY2(!err.contains(u'\n'), qPrintable(err)); // one sentence, one line
        // Nothing was written into the example.
        QVERIFY(!QFile::exists(GantryTest::sourceDir() + u"/examples/hello-stack/gantry.toml"_s));
    }
};

QTEST_GUILESS_MAIN(TestCliInit)
#include "tst_cli_init.moc"
