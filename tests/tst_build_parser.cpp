// SPDX-License-Identifier: MIT
// BuildEventParser and failure classification over streams recorded from this engine
// (docker 26.1.5, buildx 0.13.1) in tests/data/build/:
//   cached-amd64.{rawjson,plain}  the example, everything cached
//   cold-arm64.rawjson            the example cross-compiled for linux/arm64 with --no-cache
//   failing-rustc.{rawjson,plain} the example with a type error in main.rs
//   missing-base.rawjson          FROM an image that is not on the machine (no registry)
#include "buildrun/buildeventparser.h"
#include "buildrun/buildfailure.h"
#include "buildrun/recipefault.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

QByteArray fixture(const QString &name)
{
    QFile f(QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/build/"_s + name);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", qPrintable(name));
    return f.readAll();
}

/// Feeds the stream in chunks of chunkSize bytes (0: all at once).
BuildEventParser parse(const QByteArray &data, int chunkSize = 0)
{
    BuildEventParser p;
    if (chunkSize <= 0) {
        p.feed(data);
    } else {
        for (qsizetype i = 0; i < data.size(); i += chunkSize)
            p.feed(QByteArrayView(data).sliced(i, std::min<qsizetype>(chunkSize, data.size() - i)));
    }
    p.finish();
    return p;
}

const BuildStep *findStep(const BuildEventParser &p, const QString &stage, int index)
{
    for (const BuildStep &s : p.steps())
        if (s.stage == stage && s.index == index)
            return &s;
    return nullptr;
}

QStringList visibleNames(const BuildEventParser &p)
{
    QStringList out;
    for (const BuildStep &s : p.steps())
        if (!s.isInternal())
            out << s.name;
    out.sort();
    return out;
}

QStringList cachedNames(const BuildEventParser &p)
{
    QStringList out;
    for (const BuildStep &s : p.steps())
        if (s.cached && !s.isInternal())
            out << s.name;
    out.sort();
    return out;
}

} // namespace

class TestBuildParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("platform");
        QTest::addColumn<QString>("stage");
        QTest::addColumn<int>("index");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("command");
        QTest::newRow("stage") << u"[backend 4/5] COPY backend/ ./"_s << QString() << u"backend"_s << 4 << 5 << u"COPY backend/ ./"_s;
        QTest::newRow("internal") << u"[internal] load .dockerignore"_s << QString() << u"internal"_s << 0 << 0 << u"load .dockerignore"_s;
        QTest::newRow("cross prefix") << u"[linux/arm64->amd64 build 3/7] RUN cargo build"_s << u"linux/arm64"_s << u"build"_s << 3 << 7 << u"RUN cargo build"_s;
        QTest::newRow("platform prefix") << u"[linux/amd64 stage-2 1/3] COPY a b"_s << u"linux/amd64"_s << u"stage-2"_s << 1 << 3 << u"COPY a b"_s;
        QTest::newRow("no bracket") << u"exporting to image"_s << QString() << QString() << 0 << 0 << u"exporting to image"_s;
    }
    void splitNames()
    {
        QFETCH(QString, name);
        BuildStep s;
        s.name = name;
        splitStepName(s);
        QTEST(s.platform, "platform");
        QTEST(s.stage, "stage");
        QTEST(s.index, "index");
        QTEST(s.count, "count");
        QTEST(s.command, "command");
    }

    void cachedRawJson()
    {
        const BuildEventParser p = parse(fixture(u"cached-amd64.rawjson"_s));
        QVERIFY(p.sawRawJson());
        QCOMPARE(p.visibleStepCount(), 13); // frontend 4 + backend 5 + final 3 + export
        QCOMPARE(p.finishedStepCount(), 13);
        QCOMPARE(p.failedStepIndex(), -1);
        // Every RUN/COPY/WORKDIR is cached in a warm build; the export is not.
        for (const BuildStep &s : p.steps()) {
            if (s.isInternal())
                continue;
            QVERIFY2(s.isFinished(), qPrintable(s.name));
            if (s.command.startsWith(u"RUN"_s) || s.command.startsWith(u"COPY"_s) || s.command.startsWith(u"WORKDIR"_s))
                QVERIFY2(s.cached && s.state == BuildStep::State::Cached, qPrintable(s.name));
        }
        const BuildStep *exporting = nullptr;
        for (const BuildStep &s : p.steps())
            if (s.name == u"exporting to image"_s)
                exporting = &s;
        QVERIFY(exporting);
        QCOMPARE(exporting->state, BuildStep::State::Done);
        QVERIFY(!exporting->cached);
        QVERIFY(exporting->durationMs() >= 0);
        QCOMPARE(p.cachedStepCount(), 10);
        QVERIFY(p.textLines().isEmpty());
    }

    void plainAndRawJsonAgree()
    {
        // Two recordings of the same warm build, one per progress mode: same steps, same cache hits.
        const BuildEventParser raw = parse(fixture(u"cached-amd64.rawjson"_s));
        const BuildEventParser plain = parse(fixture(u"cached-amd64.plain"_s));
        QVERIFY(plain.sawPlain());
        QVERIFY(!plain.sawRawJson());
        QCOMPARE(visibleNames(plain), visibleNames(raw));
        QCOMPARE(cachedNames(plain), cachedNames(raw));
        QCOMPARE(plain.steps().size(), raw.steps().size());
    }

    void coldCrossBuild()
    {
        const BuildEventParser p = parse(fixture(u"cold-arm64.rawjson"_s));
        QCOMPARE(p.failedStepIndex(), -1);
        QCOMPARE(p.visibleStepCount(), 13);
        QCOMPARE(p.finishedStepCount(), 13);
        const BuildStep *cargo = findStep(p, u"backend"_s, 5);
        QVERIFY(cargo);
        QCOMPARE(cargo->state, BuildStep::State::Done);
        QVERIFY(!cargo->cached);
        // The cargo step really compiled, for the arm64 triple, and took time.
        QVERIFY2(cargo->log.contains(u"Compiling hello-backend"_s), qPrintable(cargo->log.right(500)));
        QVERIFY(cargo->log.contains(u"aarch64"_s) || cargo->name.contains(u"aarch64"_s));
        QVERIFY(cargo->durationMs() > 1000);
        const BuildStep *npm = findStep(p, u"frontend"_s, 4);
        QVERIFY(npm);
        QVERIFY(!npm->cached);
        QVERIFY(!npm->log.isEmpty());
        // No RUN or COPY is a cache hit in a --no-cache build (base images and WORKDIR may be).
        for (const BuildStep &s : p.steps())
            if (s.cached)
                QVERIFY2(!s.command.startsWith(u"RUN"_s) && !s.command.startsWith(u"COPY"_s), qPrintable(s.name));
    }

    void chunkingDoesNotMatter_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("chunk");
        for (const QString &f : {u"cold-arm64.rawjson"_s, u"failing-rustc.rawjson"_s, u"failing-rustc.plain"_s}) {
            for (int chunk : {1, 3, 17, 4096})
                QTest::addRow("%s/%d", qPrintable(f), chunk) << f << chunk;
        }
    }
    void chunkingDoesNotMatter()
    {
        QFETCH(QString, file);
        QFETCH(int, chunk);
        const QByteArray data = fixture(file);
        const BuildEventParser whole = parse(data);
        const BuildEventParser pieces = parse(data, chunk);
        QCOMPARE(pieces.steps().size(), whole.steps().size());
        for (int i = 0; i < whole.steps().size(); ++i) {
            QCOMPARE(pieces.steps().at(i).name, whole.steps().at(i).name);
            QCOMPARE(pieces.steps().at(i).state, whole.steps().at(i).state);
            QCOMPARE(pieces.steps().at(i).log, whole.steps().at(i).log);
        }
        QCOMPARE(pieces.textLines(), whole.textLines());
    }

    void utf8SplitAcrossLogMessages()
    {
        // "é" (C3 A9) and "→" (E2 86 92) split across two log messages of the same step and stream.
        const QByteArray a = QByteArray("caf\xC3", 4).toBase64();
        const QByteArray b = QByteArray("\xA9 \xE2\x86", 4).toBase64();
        const QByteArray c = QByteArray("\x92 ok\n", 5).toBase64();
        const QByteArray stream =
            "{\"vertexes\":[{\"digest\":\"sha256:1\",\"name\":\"[b 1/1] RUN x\",\"started\":\"2026-01-01T00:00:00.123456789Z\"}]}\n"
            "{\"logs\":[{\"vertex\":\"sha256:1\",\"stream\":1,\"data\":\"" + a + "\",\"timestamp\":\"2026-01-01T00:00:01Z\"}]}\n"
            "{\"logs\":[{\"vertex\":\"sha256:1\",\"stream\":2,\"data\":\"" + QByteArray("bm90ZSA=") + "\",\"timestamp\":\"2026-01-01T00:00:01Z\"}]}\n"
            "{\"logs\":[{\"vertex\":\"sha256:1\",\"stream\":1,\"data\":\"" + b + "\",\"timestamp\":\"2026-01-01T00:00:01Z\"},"
            "{\"vertex\":\"sha256:1\",\"stream\":1,\"data\":\"" + c + "\",\"timestamp\":\"2026-01-01T00:00:02Z\"}]}\n"
            "{\"vertexes\":[{\"digest\":\"sha256:1\",\"name\":\"[b 1/1] RUN x\",\"started\":\"2026-01-01T00:00:00.123456789Z\","
            "\"completed\":\"2026-01-01T00:00:02.623Z\"}]}\n";
        for (int chunk : {0, 1, 5}) {
            const BuildEventParser p = parse(stream, chunk);
            QCOMPARE(p.steps().size(), 1);
            const BuildStep &s = p.steps().constFirst();
            QCOMPARE(s.log, u"cafnote é → ok\n"_s);
            QCOMPARE(s.durationMs(), 2500);
            QCOMPARE(s.state, BuildStep::State::Done);
        }
    }

    void plainUtf8SplitAcrossChunks()
    {
        const QByteArray stream = "#1 [a 1/1] RUN echo\n#1 0.101 gr\xC3\xBC\xC3\x9F\x65 \xF0\x9F\x9A\x80\n#1 DONE 0.2s\n";
        const BuildEventParser p = parse(stream, 1);
        QCOMPARE(p.steps().size(), 1);
        QCOMPARE(p.steps().constFirst().log, u"grüße 🚀\n"_s);
        QCOMPARE(p.steps().constFirst().durationMs(), 200);
    }

    void warnings()
    {
        const QByteArray stream = "{\"warnings\":[{\"vertex\":\"sha256:1\",\"level\":1,\"short\":\""
                                  + QByteArray("FromAsCasing: 'as' and 'FROM' keywords' casing do not match").toBase64()
                                  + "\",\"detail\":[\"" + QByteArray("line 3").toBase64() + "\"],\"url\":\"https://docs.docker.com/go/x\"}]}";
        BuildEventParser p;
        p.feed(stream);
        p.finish();
        QCOMPARE(p.warnings().size(), 1);
        QCOMPARE(p.warnings().constFirst().text, u"FromAsCasing: 'as' and 'FROM' keywords' casing do not match: line 3"_s);
        QCOMPARE(p.warnings().constFirst().url, u"https://docs.docker.com/go/x"_s);
    }

    void changesAreReportedOnce()
    {
        BuildEventParser p;
        const QByteArray data = fixture(u"cached-amd64.rawjson"_s);
        p.feed(QByteArrayView(data).first(data.size() / 2));
        const auto first = p.takeChanges();
        QVERIFY(!first.steps.isEmpty());
        QVERIFY(p.takeChanges().isEmpty());
        p.feed(QByteArrayView(data).sliced(data.size() / 2));
        p.finish();
        const auto second = p.takeChanges();
        QVERIFY(!second.steps.isEmpty());
        for (int i : second.steps)
            QVERIFY(i >= 0 && i < p.steps().size());
    }

    void failingRustc_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("rawjson") << u"failing-rustc.rawjson"_s;
        QTest::newRow("plain") << u"failing-rustc.plain"_s;
    }
    void failingRustc()
    {
        QFETCH(QString, file);
        const BuildEventParser p = parse(fixture(file));
        const int failed = p.failedStepIndex();
        QVERIFY(failed >= 0);
        const BuildStep &step = p.steps().at(failed);
        QCOMPARE(step.stage, u"backend"_s);
        QCOMPARE(step.index, 5);
        QVERIFY(step.command.startsWith(u"RUN"_s));
        QVERIFY2(step.log.contains(u"error[E0308]"_s), qPrintable(step.log.right(800)));
        QVERIFY(step.error.contains(u"exit code: 101"_s));
        QVERIFY(p.textLines().join(u'\n').contains(u"ERROR: failed to solve"_s));

        const BuildFailure f = classifyBuildFailure(p.steps(), failed, p.textLines(), {u"linux/amd64"_s});
        QCOMPARE(toString(f.errorClass), toString(ErrorClass::CompileError));
        QCOMPARE(f.stepIndex, failed);
        // The step is named by stage and number, its script never quoted whole (issue 12).
        QVERIFY2(f.cause.contains(shortStepName(step.name)), qPrintable(f.cause));
        QVERIFY2(!f.cause.contains(u'\n'), qPrintable(f.cause));
        QVERIFY2(step.name.size() <= 80 || !f.cause.contains(step.name), qPrintable(f.cause));
        QVERIFY2(f.cause.contains(u"src/main.rs:18"_s), qPrintable(f.cause));
        QVERIFY(!f.compilerLines.isEmpty());
        QVERIFY2(f.compilerLines.constFirst().startsWith(u"error[E0308]: mismatched types"_s), qPrintable(f.compilerLines.join(u'\n')));
        const QString lines = f.compilerLines.join(u'\n');
        QVERIFY(lines.contains(u"src/main.rs:18"_s));
        QVERIFY(lines.contains(u"status: 42"_s));
        QVERIFY(!lines.contains(u"Compiling "_s)); // only the compiler's error lines
    }

    void missingBaseImage()
    {
        const BuildEventParser p = parse(fixture(u"missing-base.rawjson"_s));
        const BuildFailure f = classifyBuildFailure(p.steps(), p.failedStepIndex(), p.textLines(), {});
        QCOMPARE(toString(f.errorClass), toString(ErrorClass::BaseImageMissing));
        QVERIFY2(f.cause.contains(u"docker.io/gantry/does-not-exist:1"_s), qPrintable(f.cause));
        QVERIFY(f.cause.contains(u"no registry is reachable"_s));
    }

    void classifyText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("stepLog");
        QTest::addColumn<int>("kind");
        // What the person reads: the cause names the thing, the fix names the action.
        QTest::addColumn<QString>("causeWord");
        QTest::addColumn<QString>("fixWord");
        QTest::newRow("engine down")
            << u"ERROR: Cannot connect to the Docker daemon at unix:///tmp/x.sock. Is the docker daemon running?"_s << QString()
            << int(ErrorClass::EngineDown) << u"/tmp/x.sock"_s << u"Start Docker"_s;
        QTest::newRow("buildx missing")
            << u"docker: 'buildx' is not a docker command.\nSee 'docker --help'"_s << QString() << int(ErrorClass::BuildxMissing) << u"buildx"_s << u"docker-buildx"_s;
        QTest::newRow("exec format")
            << u"ERROR: failed to solve: process \"/bin/sh -c npm run build\" did not complete successfully: exit code: 1"_s
            << u"exec /bin/sh: exec format error\n"_s << int(ErrorClass::ExecFormat) << u"linux/arm64"_s << u"QEMU"_s;
        QTest::newRow("dockerfile")
            << u"ERROR: failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory"_s << QString()
            << int(ErrorClass::DockerfileError) << u"open Dockerfile"_s << u"gantry init"_s;
        QTest::newRow("gcc")
            << u"ERROR: failed to solve: exit code: 1"_s << u"main.c:3:5: error: expected ';' before 'return'\n    3 | x\n\n"_s
            << int(ErrorClass::CompileError) << u"main.c:3:5: expected ';'"_s << u"Fix the code"_s;
        QTest::newRow("tsc")
            << u"ERROR: failed to solve: exit code: 2"_s
            << u"src/App.tsx(3,5): error TS2322: Type 'number' is not assignable to type 'string'.\n\n"_s
            << int(ErrorClass::CompileError) << u"src/App.tsx:3:5: TS2322"_s << u"Fix the code"_s;
        QTest::newRow("other step")
            << u"ERROR: failed to solve: exit code: 2"_s << u"make: *** No rule to make target 'all'.  Stop.\n"_s
            << int(ErrorClass::BuildStepFailed) << u"No rule to make target"_s << u"step's log"_s;
    }
    void classifyText()
    {
        QFETCH(QString, text);
        QFETCH(QString, stepLog);
        QFETCH(int, kind);
        QFETCH(QString, causeWord);
        QFETCH(QString, fixWord);
        QList<BuildStep> steps;
        int failed = -1;
        if (!stepLog.isEmpty()) {
            BuildStep s;
            s.name = u"[linux/arm64 frontend 4/4] RUN npm run build"_s;
            splitStepName(s);
            s.log = stepLog;
            s.error = u"process did not complete successfully"_s;
            s.state = BuildStep::State::Failed;
            steps << s;
            failed = 0;
        }
        const BuildFailure f = classifyBuildFailure(steps, failed, text.split(u'\n'), {u"linux/arm64"_s});
        QCOMPARE(int(f.errorClass), kind);
        QVERIFY2(f.cause.contains(causeWord), qPrintable(f.cause));
        QVERIFY2(f.fix.contains(fixWord), qPrintable(f.fix));
    }

    void cancelledStreamEndsCancelled()
    {
        // Cut the cold build in the middle of the cargo step, as a cancel would.
        const QByteArray data = fixture(u"cold-arm64.rawjson"_s);
        const qsizetype cut = data.lastIndexOf("\"logs\""); // cargo's last output: it is running there
        QVERIFY(cut > 0);
        BuildEventParser p;
        p.feed(QByteArrayView(data).first(cut));
        p.finish(true);
        bool anyCancelled = false;
        for (const BuildStep &s : p.steps()) {
            QVERIFY2(s.state != BuildStep::State::Running, qPrintable(s.name));
            anyCancelled |= s.state == BuildStep::State::Cancelled;
        }
        QVERIFY(anyCancelled);
    }

    void hugeStepTimeIsBounded()
    {
        // Found by fuzz_build_progress: "DONE <a 117-digit number>s" overflowed the conversion
        // to milliseconds (undefined behaviour, reported by UBSan in the sanitizer pass).
        const QByteArray data = "#1 [internal] load build definition from Dockerfile\n#1 DONE "
                                + QByteArray(117, '3') + "s\n";
        const BuildEventParser p = parse(data);
        QCOMPARE(p.steps().size(), 1);
        const BuildStep &s = p.steps().constFirst();
        QVERIFY(s.completed.isValid());
        QVERIFY(s.started.msecsTo(s.completed) <= qint64(366) * 24 * 3600 * 1000);
        QVERIFY(s.started.msecsTo(s.completed) >= 0);
    }

    void fuzzRegressions()
    {
        // Every input a fuzzer ever crashed on, fed as fuzz/fuzz_build_progress.cpp feeds it
        // (chunk size from the first byte); the sanitizer pass turns any relapse into a failure.
        const QDir dir(QStringLiteral(GANTRY_TEST_DATA_DIR) + u"/build/regressions"_s);
        const QStringList files = dir.entryList(QDir::Files);
        QVERIFY(!files.isEmpty());
        for (const QString &name : files) {
            const QByteArray data = fixture(u"regressions/"_s + name);
            QVERIFY(!data.isEmpty());
            const int chunk = int(quint8(data.at(0)) % 64) + 1;
            BuildEventParser p;
            for (qsizetype at = 1; at < data.size(); at += chunk)
                p.feed(QByteArrayView(data).sliced(at, std::min<qsizetype>(chunk, data.size() - at)));
            p.finish(quint8(data.at(0)) & 0x80);
            QVERIFY2(p.failedStepIndex() < p.steps().size(), qPrintable(name));
        }
    }
};

QTEST_GUILESS_MAIN(TestBuildParser)
#include "tst_build_parser.moc"
