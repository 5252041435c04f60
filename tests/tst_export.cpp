// SPDX-License-Identifier: MIT
// Exporter against the real engine: archives that `docker load` takes back, a sha256 file
// that matches, and nothing half-written after a cancel or a full disk.
#include "failuretext.h"
#include "ship/exporter.h"
#include "sshserver.h"
#include "testsupport.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;
using Gantry::Compression;

class TestExport : public QObject
{
    Q_OBJECT
    QString m_image;
    QString m_imageId;

private Q_SLOTS:
    void initTestCase()
    {
        const QString token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_image = u"gantry-test-ship-export-%1:latest"_s.arg(token);
        QString error;
        QVERIFY2(ShipFixtures::buildExampleImage(m_image, token, false, &error), qPrintable(error));
        m_imageId = runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_image}).stdoutText();
        QVERIFY(m_imageId.startsWith(u"sha256:"_s));
    }

    void cleanupTestCase() { runDocker({u"rmi"_s, u"-f"_s, m_image}); }

    void roundTripThroughDockerLoad_data()
    {
        QTest::addColumn<Compression>("compression");
        QTest::newRow("plain") << Compression::None;
        QTest::newRow("zstd") << Compression::Zstd;
        QTest::newRow("gzip") << Compression::Gzip;
        QTest::newRow("xz") << Compression::Xz;
    }

    void roundTripThroughDockerLoad()
    {
        QFETCH(Compression, compression);
        QTemporaryDir dir;
        const QString file = dir.filePath(u"image"_s + Gantry::compressionSuffix(compression));
        QList<Gantry::ExportProgress> steps;
        const auto r = Gantry::exportImage({m_image, file, compression}, [&](const Gantry::ExportProgress &p) { steps << p; });
        QVERIFY2(r, qPrintable(GantryTest::failureText(r)));
        QCOMPARE(r->path, file);
        QVERIFY(QFile::exists(file));
        QCOMPARE(QFileInfo(file).size(), r->archiveBytes);
        if (compression != Compression::None)
            QVERIFY(r->archiveBytes < r->imageBytes);
        // The .sha256 beside it is what sha256sum -c expects, and it is right.
        QCOMPARE(r->sha256, GantryTest::sha256Of(file));
        // sha256sum -c resolves the name against the working folder.
        const auto verify = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"cd \"$1\" && sha256sum -c \"$2\""_s, u"sh"_s, dir.path(),
                                                         QFileInfo(file).fileName() + u".sha256"_s});
        QVERIFY2(verify.ok(), qPrintable(verify.stdoutText() + verify.stderrText()));
        // Progress went up to the whole stream, never backwards.
        QVERIFY(!steps.isEmpty());
        qint64 last = -1;
        for (const auto &p : steps) {
            if (p.phase == Gantry::ExportProgress::Saving) {
                QVERIFY(p.done >= last);
                last = p.done;
            }
        }
        QVERIFY(last > 0 && last <= r->imageBytes);
        // Nothing else is left in the folder (no temporary file).
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 2);
        // The archive loads back into an engine that no longer has the image.
        QVERIFY(runDocker({u"rmi"_s, m_image}).ok());
        QVERIFY(!runDocker({u"image"_s, u"inspect"_s, m_image}).ok());
        const auto load = runDocker({u"load"_s, u"-i"_s, file});
        QVERIFY2(load.ok(), qPrintable(load.stderrText()));
        QCOMPARE(runDocker({u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}}"_s, m_image}).stdoutText(), m_imageId);
    }

    void cancelLeavesNothingBehind()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"cancelled.tar.zst"_s);
        std::atomic_bool cancel{false};
        const auto r = Gantry::exportImage({m_image, file, Compression::Zstd}, [&](const Gantry::ExportProgress &) { cancel = true; }, &cancel);
        QVERIFY(!r);
        QVERIFY(r.failure().cancelled());
        QVERIFY2(r.failure().sentence().contains(u"cancelled"_s), qPrintable(GantryTest::failureText(r)));
        QVERIFY(!QFile::exists(file));
        QVERIFY(!QFile::exists(file + u".sha256"_s));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System).isEmpty());
    }

    void fullDiskLeavesNothingBehind()
    {
        QTemporaryDir dir;
        // A real full disk: a 512 KiB tmpfs (the toolbox runs privileged, as root).
        const auto mount = Gantry::runProcess(u"mount"_s, {u"-t"_s, u"tmpfs"_s, u"-o"_s, u"size=512k"_s, u"gantry-test-full"_s, dir.path()});
        if (!mount.ok())
            QSKIP(qPrintable(u"cannot mount a small tmpfs here (needs root): "_s + mount.stderrText()));
        const QString file = dir.filePath(u"full.tar"_s);
        const auto r = Gantry::exportImage({m_image, file, Compression::None});
        const QStringList left = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System);
        Gantry::runProcess(u"umount"_s, {dir.path()});
        QVERIFY(!r);
        QVERIFY(!r.failure().cancelled());
        QVERIFY2(r.failure().sentence().contains(u"disk full"_s), qPrintable(GantryTest::failureText(r)));
        QVERIFY2(left.isEmpty(), qPrintable(left.join(u", "_s)));
    }

    void unknownImageSaysSo()
    {
        QTemporaryDir dir;
        const auto r = Gantry::exportImage({u"gantry-test-ship-no-such-image:latest"_s, dir.filePath(u"x.tar"_s), Compression::None});
        QVERIFY(!r);
        QVERIFY2(r.failure().cause.contains(u"The engine has no image"_s), qPrintable(GantryTest::failureText(r)));
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }

    void missingFolderSaysSo()
    {
        const auto r = Gantry::exportImage({m_image, u"/nonexistent-gantry-folder/x.tar"_s, Compression::None});
        QVERIFY(!r);
        QVERIFY2(r.failure().sentence().contains(u"does not exist"_s), qPrintable(GantryTest::failureText(r)));
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_export.moc"
