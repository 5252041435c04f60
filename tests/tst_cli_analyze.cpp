// SPDX-License-Identifier: MIT
// `gantry analyze` and `gantry diff` as a user runs them: a separate process, real
// archives, a real image from the engine (built from the example, read with docker save).
#include "failuretext.h"
#include "image/imagearchive.h"
#include "testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

QString dive(const QString &name)
{
    return QStringLiteral(GANTRY_CONFORMANCE_DIR) + u"/dive/"_s + name;
}

const QString helloImage = u"gantry-test-image-hello"_s;

} // namespace

class TestCliAnalyze : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void jsonHasTheStableKeys()
    {
        const auto r = GantryTest::runGantry({u"analyze"_s, dive(u"test-docker-image.tar"_s), u"--json"_s});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const QJsonObject o = QJsonDocument::fromJson(r.standardOutput).object();
        QCOMPARE(o.value(u"sizeBytes").toInteger(), 1220598);
        QCOMPARE(o.value(u"userSizeBytes").toInteger(), 66237);
        QCOMPARE(o.value(u"wastedBytes").toInteger(), 32025);
        QCOMPARE(o.value(u"efficiency").toDouble(), 0.9844212134184309);
        QCOMPARE(o.value(u"userWastedPercent").toDouble(), 0.4834911001404049);
        QCOMPARE(o.value(u"reclaimableBytes").toInteger(), 32025);
        const QJsonArray layers = o.value(u"layers").toArray();
        QCOMPARE(layers.size(), 14);
        QCOMPARE(layers.at(10).toObject().value(u"size").toInteger(), 2187);
    }

    void textReport()
    {
        const auto r = GantryTest::runGantry({u"analyze"_s, dive(u"test-kaniko-image.tar"_s)});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const QString out = r.stdoutText();
        QVERIFY2(out.contains(u"Layers: 14"_s), qPrintable(out));
        QVERIFY2(out.contains(u"RUN chmod +x /root/saved.txt"_s), qPrintable(out));
        QVERIFY2(out.contains(u"/root/example/somefile1.txt"_s), qPrintable(out));
        QVERIFY2(r.stderrText().isEmpty(), qPrintable(r.stderrText()));
    }

    void ciRules()
    {
        // dive's defaults: efficiency ≥ 0.9 passes, 48 % user waste > 10 % fails.
        auto r = GantryTest::runGantry({u"analyze"_s, dive(u"test-docker-image.tar"_s), u"--ci"_s});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"highest-user-wasted-percent"_s), qPrintable(r.stderrText()));
        QVERIFY(!r.stderrText().contains(u"lowest-efficiency"_s));

        r = GantryTest::runGantry({u"analyze"_s, dive(u"test-docker-image.tar"_s), u"--ci"_s,
                                   u"--highest-user-wasted-percent"_s, u"0.5"_s});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY(r.stdoutText().contains(u"CI: all rules pass."_s));

        r = GantryTest::runGantry({u"analyze"_s, dive(u"test-docker-image.tar"_s), u"--ci"_s, u"--lowest-efficiency"_s, u"0.99"_s,
                                   u"--highest-wasted-bytes"_s, u"30kB"_s, u"--highest-user-wasted-percent"_s, u"60%"_s,
                                   u"--max-size"_s, u"1MB"_s, u"--json"_s});
        QCOMPARE(r.exitCode, 1);
        const QString err = r.stderrText();
        QVERIFY2(err.contains(u"lowest-efficiency"_s) && err.contains(u"highest-wasted-bytes"_s) && err.contains(u"max-size"_s), qPrintable(err));
        QVERIFY(!err.contains(u"highest-user-wasted-percent"_s));
        const QJsonObject ci = QJsonDocument::fromJson(r.standardOutput).object().value(u"ci").toObject();
        QCOMPARE(ci.value(u"passed").toBool(true), false);
        QCOMPARE(ci.value(u"failures").toArray().size(), 3);
    }

    void usageErrors()
    {
        QCOMPARE(GantryTest::runGantry({u"analyze"_s}).exitCode, 2);
        QCOMPARE(GantryTest::runGantry({u"analyze"_s, dive(u"test-docker-image.tar"_s), u"--ci"_s, u"--max-size"_s, u"huge"_s}).exitCode, 2);
        QCOMPARE(GantryTest::runGantry({u"analyze"_s, dive(u"test-docker-image.tar"_s), u"--max-size"_s, u"1MB"_s}).exitCode, 2);
        QCOMPARE(GantryTest::runGantry({u"diff"_s, dive(u"test-docker-image.tar"_s)}).exitCode, 2);
    }

    void unknownImage()
    {
        const auto r = GantryTest::runGantry({u"analyze"_s, u"gantry-test-image-does-not-exist:nope"_s});
        QCOMPARE(r.exitCode, 1);
        const QString err = r.stderrText();
        QVERIFY2(err.startsWith(u"gantry analyze: The engine has no image “gantry-test-image-does-not-exist:nope”. Build it first"_s),
                 qPrintable(err));
        QCOMPARE(err.count(u'\n'), 0);
        const auto missing = GantryTest::runGantry({u"analyze"_s, u"/nonexistent/image.tar"_s});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.stderrText().contains(u"There is no archive file “/nonexistent/image.tar”"_s), qPrintable(missing.stderrText()));
    }

    void diffTwoArchives()
    {
        const auto r = GantryTest::runGantry({u"diff"_s, dive(u"test-docker-image.tar"_s), dive(u"test-kaniko-image.tar"_s), u"--json"_s});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const QJsonObject o = QJsonDocument::fromJson(r.standardOutput).object();
        QCOMPARE(o.value(u"sizeBytesA").toInteger(), 1220598);
        QCOMPARE(o.value(u"sizeChange").toInteger(), o.value(u"sizeBytesB").toInteger() - 1220598);
        QCOMPARE(o.value(u"layers").toArray().size(), 14);
        // somefile.txt is 6405 bytes in one image, 9249 in the other.
        bool found = false;
        for (const QJsonValue &v : o.value(u"paths").toArray()) {
            const QJsonObject p = v.toObject();
            if (p.value(u"path").toString() == u"/somefile.txt") {
                found = true;
                QCOMPARE(p.value(u"sizeA").toInteger(), 6405);
                QCOMPARE(p.value(u"sizeB").toInteger(), 9249);
                QCOMPARE(p.value(u"change").toInteger(), 9249 - 6405);
            }
        }
        QVERIFY(found);
    }

    void realImageFromTheEngine()
    {
        // The example, built with the build cache (seconds when warm).
        const auto built = GantryTest::runDocker({u"buildx"_s, u"build"_s, u"--load"_s, u"-t"_s, helloImage, u"-f"_s,
                                                  GantryTest::sourceDir() + u"/tests/data/hello-stack.Dockerfile"_s,
                                                  GantryTest::sourceDir() + u"/examples/hello-stack"_s},
                                                 600000);
        QVERIFY2(built.ok(), qPrintable(built.stderrText().right(2000)));
        auto cleanup = qScopeGuard([] { GantryTest::runDocker({u"rmi"_s, helloImage}); });

        QTemporaryDir tmp;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(u"TMPDIR"_s, tmp.path());
        const auto r = GantryTest::runGantry({u"analyze"_s, helloImage, u"--json"_s}, env);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        // The temporary `docker save` archive is gone.
        QCOMPARE(QDir(tmp.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList());
        const QJsonObject o = QJsonDocument::fromJson(r.standardOutput).object();
        QCOMPARE(o.value(u"payloadPaths").toArray().toVariantList(),
                 (QVariantList{u"/app/hello-backend"_s, u"/app/public"_s}));

        // The core reads docker save's stream with progress that only grows and ends at its
        // total; a cancel stops it with "Cancelled." and leaves no docker save running.
        {
            QList<QPair<qint64, qint64>> steps;
            Gantry::ImageArchive::Options options;
            options.progress = [&steps](qint64 done, qint64 total) { steps.append({done, total}); };
            const Gantry::Result<Gantry::ImageData> image = Gantry::ImageArchive::readFromEngine(u"docker"_s, helloImage, options);
            QVERIFY2(image, qPrintable(GantryTest::failureText(image)));
            QCOMPARE(image->layers.size(), o.value(u"layers"_s).toArray().size());
            QVERIFY(steps.size() >= 2);
            for (qsizetype i = 1; i < steps.size(); ++i) {
                QVERIFY2(steps.at(i).first >= steps.at(i - 1).first, "progress went backwards");
                QCOMPARE(steps.at(i).second, steps.first().second);
            }
            QVERIFY(steps.first().second > 0);
            QVERIFY(steps.last().first <= steps.last().second);
            QVERIFY(steps.last().first >= steps.last().second * 9 / 10);

            std::atomic_bool cancel = false;
            options.cancel = &cancel;
            options.progress = [&cancel](qint64, qint64) { cancel = true; };
            const Gantry::Result<Gantry::ImageData> cancelled = Gantry::ImageArchive::readFromEngine(u"docker"_s, helloImage, options);
            QVERIFY(!cancelled);
            QCOMPARE(cancelled.failure().sentence(), u"Cancelled."_s);
            QCOMPARE(GantryTest::processesMentioning(u"save "_s + helloImage), QStringList());
        }

        // The oracle: the files of a container made from the image, listed by the system tar.
        const auto created = GantryTest::runDocker({u"create"_s, u"--name"_s, u"gantry-test-image-hello-c"_s, helloImage});
        QVERIFY2(created.ok(), qPrintable(created.stderrText()));
        auto removeContainer = qScopeGuard([] { GantryTest::runDocker({u"rm"_s, u"-f"_s, u"gantry-test-image-hello-c"_s}); });
        const QString exported = tmp.filePath(u"export.tar"_s);
        QVERIFY(GantryTest::runDocker({u"export"_s, u"-o"_s, exported, u"gantry-test-image-hello-c"_s}).ok());
        const auto listing = Gantry::runProcess(u"tar"_s, {u"-tvf"_s, exported});
        QVERIFY(listing.ok());
        qint64 appBytes = 0, allBytes = 0;
        int appFiles = 0;
        for (const QString &line : listing.stdoutText().split(u'\n')) {
            const QStringList f = line.simplified().split(u' ');
            if (f.size() < 6 || !f.at(0).startsWith(u'-'))
                continue;
            const qint64 size = f.at(2).toLongLong();
            allBytes += size;
            if (f.at(5).startsWith(u"app/"_s)) {
                appBytes += size;
                ++appFiles;
            }
        }
        QFile::remove(exported);
        QVERIFY(appFiles >= 2);
        QCOMPARE(o.value(u"payloadBytes").toInteger(), appBytes);
        QCOMPARE(o.value(u"payloadFiles").toInt(), appFiles);
        QCOMPARE(o.value(u"finalSizeBytes").toInteger(), allBytes);
        QCOMPARE(o.value(u"overheadBytes").toInteger(), allBytes - appBytes); // the CA certificates
        QVERIFY(o.value(u"overheadBytes").toInteger() > 0);
        QCOMPARE(o.value(u"layers").toArray().size(), 3);
        QCOMPARE(o.value(u"efficiency").toDouble(), 1.0);
    }
};

QTEST_GUILESS_MAIN(TestCliAnalyze)
#include "tst_cli_analyze.moc"
