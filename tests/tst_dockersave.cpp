// SPDX-License-Identifier: MIT
// The one `docker save` reader that Inspect, Export and Ship share, against the real
// engine: the stream it hands over is byte for byte what docker sends; a missing image, a
// stopped engine and a missing client each get their sentence; cancel and a refusing sink
// leave no docker process behind. A stuck engine cannot be produced for real without
// freezing the shared engine, so that one case uses a named fake: a "docker" script that
// never writes.
#include "docker/dockersave.h"
#include "failuretext.h"
#include "testsupport.h"

#include <KArchiveDirectory>
#include <KArchiveFile>
#include <KTar>

#include <QBuffer>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QMap>

#include <algorithm>
#include <functional>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {
const QString image = u"gantry-test-dockersave:latest"_s;
}

class TestDockerSave : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(GantryTest::runDocker({u"version"_s}).ok(), "the Docker engine must be running (scripts/setup starts it)");
        // A small image with 3 MiB of incompressible content: several 1 MiB chunks.
        QVERIFY(m_dir.isValid());
        QFile payload(m_dir.filePath(u"root/payload.bin"_s));
        QVERIFY(QDir().mkpath(m_dir.filePath(u"root"_s)));
        QVERIFY(payload.open(QIODevice::WriteOnly));
        QByteArray bytes(3 * 1024 * 1024, Qt::Uninitialized);
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
        payload.write(bytes);
        payload.close();
        const auto r = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"tar -C \"$1\" -c . | docker import - \"$2\""_s, u"sh"_s, m_dir.filePath(u"root"_s), image},
                                          QProcessEnvironment::systemEnvironment(), 120000);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
    }

    void cleanupTestCase() { GantryTest::runDocker({u"rmi"_s, u"-f"_s, image}); }

    void theStreamIsWhatDockerSends()
    {
        // docker save stamps some of its own entries with the time of the save, so two saves
        // differ in bytes: compare what they hold (every entry's name and content) instead.
        const QString reference = m_dir.filePath(u"reference.tar"_s);
        const auto saved = GantryTest::runDocker({u"save"_s, u"-o"_s, reference, image});
        QVERIFY2(saved.ok(), qPrintable(saved.stderrText()));
        QByteArray stream;
        int chunks = 0;
        qint64 largest = 0;
        const auto r = Gantry::streamDockerSave(u"docker"_s, image, [&](QByteArrayView chunk) {
            stream.append(chunk);
            ++chunks;
            largest = qMax<qint64>(largest, chunk.size());
            return Gantry::Status();
        });
        QVERIFY2(r, qPrintable(GantryTest::failureText(r)));
        QCOMPARE(*r, qint64(stream.size()));
        QCOMPARE(*r, QFileInfo(reference).size());
        QBuffer buffer(&stream);
        const QMap<QString, QByteArray> got = contents(&buffer), expected = contents(reference);
        QVERIFY(expected.size() >= 3); // manifest.json, the config, the layer at least
        QCOMPARE(got, expected);
        QVERIFY2(*r > 3 * 1024 * 1024, qPrintable(QString::number(*r)));
        QVERIFY(chunks >= 3);
        QVERIFY(largest <= 1024 * 1024);
    }

    void inspectGivesTheIdAndSize()
    {
        const auto info = Gantry::inspectEngineImage(u"docker"_s, image);
        QVERIFY2(info, qPrintable(GantryTest::failureText(info)));
        QCOMPARE(info->id, GantryTest::runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, image}).stdoutText());
        QVERIFY2(info->id.startsWith(u"sha256:"_s), qPrintable(info->id));
        QVERIFY2(info->size >= 3 * 1024 * 1024 && info->size < 4 * 1024 * 1024, qPrintable(QString::number(info->size)));
    }

    void aMissingImageIsNamed()
    {
        const QString missing = u"gantry-test-dockersave-missing:nope"_s;
        const auto info = Gantry::inspectEngineImage(u"docker"_s, missing);
        QVERIFY(!info);
        QCOMPARE(info.failure().className(), Gantry::toString(Gantry::ErrorClass::NotFound));
        // Cause and fix apart: what is missing, then what to do.
        QCOMPARE(info.failure().cause, u"The engine has no image “%1”"_s.arg(missing));
        QVERIFY2(info.failure().fix.startsWith(u"Build it first"_s), qPrintable(info.failure().fix));
        bool called = false;
        const auto r = Gantry::streamDockerSave(u"docker"_s, missing, [&](QByteArrayView) {
            called = true;
            return Gantry::Status();
        });
        QVERIFY(!r);
        QVERIFY(!called);
        QCOMPARE(r.failure().className(), Gantry::toString(Gantry::ErrorClass::NotFound));
        QVERIFY2(r.failure().cause.contains(u"has no image"_s), qPrintable(GantryTest::failureText(r)));
    }

    void aStoppedEngineIsNamed()
    {
        const QByteArray old = qgetenv("DOCKER_HOST");
        qputenv("DOCKER_HOST", GantryTest::deadDockerHost().toUtf8());
        const auto info = Gantry::inspectEngineImage(u"docker"_s, image);
        const auto r = Gantry::streamDockerSave(u"docker"_s, image, [](QByteArrayView) { return Gantry::Status(); });
        if (old.isEmpty())
            qunsetenv("DOCKER_HOST");
        else
            qputenv("DOCKER_HOST", old);
        QVERIFY(!info);
        QCOMPARE(info.failure().className(), Gantry::toString(Gantry::ErrorClass::EngineDown));
        QVERIFY2(info.failure().cause.contains(u"The Docker engine is not running"_s), qPrintable(GantryTest::failureText(info)));
        QVERIFY(!r);
        QCOMPARE(r.failure().className(), Gantry::toString(Gantry::ErrorClass::EngineDown));
        QVERIFY2(r.failure().fix.contains(u"Start Docker"_s), qPrintable(GantryTest::failureText(r)));
    }

    void aMissingClientIsNamed()
    {
        const QString nowhere = m_dir.filePath(u"no-such-docker"_s);
        const auto info = Gantry::inspectEngineImage(nowhere, image);
        QVERIFY(!info);
        QCOMPARE(info.failure().className(), Gantry::toString(Gantry::ErrorClass::DockerMissing));
        QVERIFY2(info.failure().fix.contains(u"Install Docker"_s), qPrintable(GantryTest::failureText(info)));
        const auto r = Gantry::streamDockerSave(nowhere, image, [](QByteArrayView) { return Gantry::Status(); });
        QVERIFY(!r);
        QCOMPARE(r.failure().className(), Gantry::toString(Gantry::ErrorClass::DockerMissing));
        QVERIFY2(r.failure().fix.contains(u"Install Docker"_s), qPrintable(GantryTest::failureText(r)));
    }

    void cancelLeavesNoProcess()
    {
        std::atomic_bool cancel = false;
        qint64 seen = 0;
        const auto r = Gantry::streamDockerSave(u"docker"_s, image, [&](QByteArrayView chunk) {
            seen += chunk.size();
            cancel = true;
            return Gantry::Status();
        }, &cancel);
        QVERIFY(!r);
        QVERIFY(r.failure().cancelled());
        QVERIFY(seen > 0);
        QCOMPARE(GantryTest::processesMentioning(u"save "_s + image), QStringList());
    }

    void aRefusingSinkStopsDocker()
    {
        int calls = 0;
        const Gantry::Failure full(Gantry::ErrorClass::Other, u"The sink is full"_s, u"Make room."_s);
        const auto r = Gantry::streamDockerSave(u"docker"_s, image, [&](QByteArrayView) {
            return ++calls < 2 ? Gantry::Status() : Gantry::Status(full);
        });
        QVERIFY(!r);
        QCOMPARE(calls, 2);
        // The sink's own words come back as they are: it knows what it was writing.
        QCOMPARE(r.failure().sentence(), full.sentence());
        QCOMPARE(GantryTest::processesMentioning(u"save "_s + image), QStringList());
    }

    // The one spool (ImageArchive::readFromEngine and ShipCache use it): the file holds the
    // whole stream, flushed; progress rises to the bytes written.
    void theSpoolHoldsTheStreamAndReportsProgress()
    {
        QFile file(m_dir.filePath(u"spool.tar"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QList<qint64> seen;
        const auto r = Gantry::spoolDockerSave(u"docker"_s, image, file, u"the spool"_s, [&](qint64 written) { seen.append(written); });
        QVERIFY2(r, qPrintable(GantryTest::failureText(r)));
        QCOMPARE(QFileInfo(file.fileName()).size(), *r); // flushed: on disk before close()
        file.close();
        QVERIFY(*r > 3 * 1024 * 1024);
        QVERIFY(seen.size() >= 3);
        QVERIFY(std::is_sorted(seen.cbegin(), seen.cend()));
        QCOMPARE(seen.last(), *r);
        QVERIFY(contents(KTar(file.fileName())).size() > 0);
    }

    void aCancelledSpoolStopsDocker()
    {
        QFile file(m_dir.filePath(u"cancelled.tar"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        std::atomic_bool cancel = false;
        const auto r = Gantry::spoolDockerSave(u"docker"_s, image, file, u"the spool"_s, [&](qint64) { cancel = true; }, &cancel);
        QVERIFY(!r);
        QVERIFY(r.failure().cancelled());
        QCOMPARE(GantryTest::processesMentioning(u"save "_s + image), QStringList());
    }

    void aStuckEngineTimesOut()
    {
        // Named fake: a "docker" that starts and never writes (a stuck engine, without
        // freezing the engine every other test shares).
        const QString fake = m_dir.filePath(u"stuck-docker"_s);
        QFile script(fake);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nexec sleep 47\n");
        script.close();
        QVERIFY(script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));
        QElapsedTimer clock;
        clock.start();
        const auto r = Gantry::streamDockerSave(fake, image, [](QByteArrayView) { return Gantry::Status(); }, nullptr, std::chrono::seconds(2));
        QVERIFY(!r);
        QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(r.failure().className(), Gantry::toString(Gantry::ErrorClass::EngineTimeout));
        QVERIFY2(r.failure().cause.contains(u"sent nothing for 2 seconds"_s) && r.failure().fix.contains(u"gantry doctor"_s),
                 qPrintable(GantryTest::failureText(r)));
        QCOMPARE(GantryTest::processesMentioning(u"sleep 47"_s), QStringList());
    }

private:
    /// Every file in a tar: its path and the sha256 of its content (times left out).
    static QMap<QString, QByteArray> contents(KTar &&tar)
    {
        QMap<QString, QByteArray> out;
        if (!tar.open(QIODevice::ReadOnly))
            return out;
        const std::function<void(const KArchiveDirectory *, const QString &)> walk = [&](const KArchiveDirectory *dir, const QString &prefix) {
            for (const QString &name : dir->entries()) {
                const KArchiveEntry *e = dir->entry(name);
                if (e->isDirectory())
                    walk(static_cast<const KArchiveDirectory *>(e), prefix + name + u'/');
                else if (e->isFile())
                    out.insert(prefix + name, QCryptographicHash::hash(static_cast<const KArchiveFile *>(e)->data(), QCryptographicHash::Sha256));
            }
        };
        walk(tar.directory(), QString());
        return out;
    }
    static QMap<QString, QByteArray> contents(QIODevice *device) { return contents(KTar(device)); }
    static QMap<QString, QByteArray> contents(const QString &path) { return contents(KTar(path)); }

    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestDockerSave)
#include "tst_dockersave.moc"
