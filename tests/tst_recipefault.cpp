// SPDX-License-Identifier: MIT
// When Gantry's recipe is wrong, Gantry says so: build failures whose logs are what cargo,
// apt and buildx really printed (recorded on 2026-11-30 from gantry/rust:debian,
// gantry/debian:trixie and buildx 0.13 on tests/data/workspace-stack with one thing broken
// each) are headlined as the recipe's fault, naming the gantry.toml key that fixes it; a
// real compiler error keeps its file and line and never has the RUN script as headline.
#include "buildrun/buildfailure.h"
#include "buildrun/recipefault.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {
const QString kBackendStep =
    u"[backend 7/7] RUN --mount=type=cache,target=/cargo-target     case \"$TARGETARCH\" in       amd64) triple=x86_64-unknown-linux-gnu; linker=x86_64-linux-gnu-gcc ;;     esac;     cargo build --release --target \"$triple\" -p stack-server --bin stack-api  && mkdir -p /out"_s;

BuildStep step(const QString &name, const QString &log, const QString &error = {})
{
    BuildStep s;
    s.name = name;
    s.stage = name.section(u' ', 0, 0).mid(1);
    s.log = log;
    s.error = error;
    return s;
}
} // namespace

class TestRecipeFault : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recipeIsWrong_data()
    {
        QTest::addColumn<QList<BuildStep>>("steps");
        QTest::addColumn<QStringList>("text");
        QTest::addColumn<QString>("cause");
        QTest::addColumn<QString>("key");
        const QString exit101 = u"process \"/bin/sh -c cargo build\" did not complete successfully: exit code: 101"_s;
        QTest::newRow("binary that does not exist")
            << QList<BuildStep>{step(kBackendStep, u"error: no bin target named `stack-apix`\n"_s, exit101)}
            << QStringList{u"ERROR: failed to solve: "_s + exit101} << u"no binary named stack-apix"_s
            << u"binary in gantry.toml's [project]"_s;
        QTest::newRow("package that does not exist")
            << QList<BuildStep>{step(kBackendStep, u"error: package ID specification `stack-serverx` did not match any packages\n"_s, exit101)}
            << QStringList{u"ERROR: failed to solve: "_s + exit101} << u"no package stack-serverx"_s
            << u"package in gantry.toml's [workspace]"_s;
        QTest::newRow("member built without its workspace root (the old recipe)")
            << QList<BuildStep>{step(kBackendStep,
                                     u"error: failed to parse manifest at `/src/crates/server/Cargo.toml`\n\nCaused by:\n"
                                     "  error inheriting `edition` from workspace root manifest's `workspace.package.edition`\n\n"
                                     "Caused by:\n  failed to find a workspace root\n"_s,
                                     exit101)}
            << QStringList{u"ERROR: failed to solve: "_s + exit101} << u"not in the build context"_s
            << u"[workspace] members, sources and stand_ins"_s;
        QTest::newRow("crate the debian toolchain lacks")
            << QList<BuildStep>{step(kBackendStep,
                                     u"error: no matching package named `notacrate` found\nlocation searched: directory source `/usr/share/cargo/registry` (which is replacing registry `crates-io`)\n"
                                     "As a reminder, you're using offline mode (--offline) which can sometimes cause surprising resolution failures\n"_s,
                                     exit101)}
            << QStringList{u"ERROR: failed to solve: "_s + exit101} << u"no crate notacrate"_s << u"debian_crates in gantry.toml's [target]"_s;
        QTest::newRow("Debian package that does not exist")
            << QList<BuildStep>{step(u"[backend 2/7] RUN apt-get update && apt-get install -y --no-install-recommends rustc cargo librust-greeting-dev"_s,
                                     u"Reading package lists...\nBuilding dependency tree...\nE: Unable to locate package librust-greeting-dev\n"_s,
                                     u"exit code: 100"_s)}
            << QStringList{u"ERROR: failed to solve: exit code: 100"_s} << u"no package librust-greeting-dev"_s
            << u"Remove greeting from debian_crates"_s;
        QTest::newRow("output folder the frontend build did not write")
            << QList<BuildStep>{step(u"[frontend 6/6] RUN npm run build"_s, u"> stack-web@0.2.0 build\n> node build.mjs --out-dir site\n\nbuilt site/\n"_s),
                                step(u"[stage-2 3/3] COPY --from=frontend /src/web/dist/ /app/public/"_s, QString(),
                                     u"failed to calculate checksum of ref ffc8b57e::g44cvb4x: \"/src/web/dist\": not found"_s)}
            << QStringList{u"ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref ffc8b57e-31a8-43f6-bde0-9a56e9165785::g44cvb4xbdbrv50toxdekezcw: \"/src/web/dist\": not found"_s}
            << u"did not write web/dist, the folder Gantry's recipe copies into the image; it wrote site"_s
            << u"output in gantry.toml's [frontend]"_s;
    }

    void recipeIsWrong()
    {
        QFETCH(QList<BuildStep>, steps);
        QFETCH(QStringList, text);
        QFETCH(QString, cause);
        QFETCH(QString, key);
        const BuildFailure f = classifyBuildFailure(steps, int(steps.size()) - 1, text, {u"linux/amd64"_s});
        QCOMPARE(toString(f.errorClass), toString(ErrorClass::RecipeMismatch));
        QVERIFY2(f.cause.contains(cause), qPrintable(f.cause));
        QVERIFY2(f.fix.contains(key), qPrintable(f.fix));
        QVERIFY2(!f.sentence().contains(u"case \"$TARGETARCH\""_s), qPrintable(f.sentence())); // never the RUN script
        QVERIFY2(!f.cause.contains(u'\n') && f.cause.endsWith(u'.'), qPrintable(f.cause));
    }

    void compilerErrorKeepsFileAndLine()
    {
        const QString log = u"   Compiling stack-server v0.2.0 (/src/crates/server)\n"
                            "error[E0308]: mismatched types\n"
                            "  --> crates/server/src/main.rs:50:22\n"
                            "   |\n"
                            "50 | fn broken() -> u32 { \"x\" }\n"
                            "   |                ---   ^^^ expected `u32`, found `&str`\n"
                            "\n"
                            "For more information about this error, try `rustc --explain E0308`.\n"
                            "error: could not compile `stack-server` (bin \"stack-api\") due to 1 previous error\n"_s;
        const QList<BuildStep> steps{step(kBackendStep, log, u"exit code: 101"_s)};
        const BuildFailure f = classifyBuildFailure(steps, 0, {u"ERROR: failed to solve: exit code: 101"_s}, {u"linux/amd64"_s});
        QCOMPARE(toString(f.errorClass), toString(ErrorClass::CompileError));
        QVERIFY2(f.cause.contains(u"The compiler reported 1 error(s) in your code at crates/server/src/main.rs:50:22: mismatched types"_s),
                 qPrintable(f.cause));
        QVERIFY2(f.cause.contains(u"[backend 7/7] RUN"_s), qPrintable(f.cause));
        // The headline is the error and where it is; the step follows it by name, never its script.
        QVERIFY2(!f.cause.contains(u"TARGETARCH"_s), qPrintable(f.cause));
        QVERIFY2(f.cause.indexOf(u"[backend 7/7]"_s) > f.cause.indexOf(u"mismatched types"_s), qPrintable(f.cause));
        QVERIFY(f.compilerLines.join(u'\n').contains(u"crates/server/src/main.rs:50:22"_s));
    }
};

QTEST_GUILESS_MAIN(TestRecipeFault)
#include "tst_recipefault.moc"
