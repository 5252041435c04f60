// SPDX-License-Identifier: MIT
// `gantry export` as a user runs it: a separate process, the real engine, real files.
#include "sshserver.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace GantryTest;

class TestCliExport : public QObject
{
    Q_OBJECT
    QString m_image;

private Q_SLOTS:
    void initTestCase()
    {
        const QString token = QUuid::createUuid().toString(QUuid::Id128).left(12);
        m_image = u"gantry-test-ship-cliexport-%1:latest"_s.arg(token);
        QString error;
        QVERIFY2(ShipFixtures::buildExampleImage(m_image, token, false, &error), qPrintable(error));
    }

    void cleanupTestCase() { runDocker({u"rmi"_s, u"-f"_s, m_image}); }

    void compressionFromTheSuffix()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"hello.tar.xz"_s);
        const auto r = runGantry({u"export"_s, m_image, u"-o"_s, file});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY2(r.stdoutText().contains(u"(xz, "_s), qPrintable(r.stdoutText()));
        QVERIFY(Gantry::runProcess(u"xz"_s, {u"-t"_s, file}).ok());
        const auto sum = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"cd \"$1\" && sha256sum -c hello.tar.xz.sha256"_s, u"sh"_s, dir.path()});
        QVERIFY2(sum.ok(), qPrintable(sum.stdoutText() + sum.stderrText()));
        QVERIFY(r.stdoutText().contains(u"sha256 "_s));
    }

    void explicitCompressionLoads()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(u"hello.archive"_s);
        const auto r = runGantry({u"export"_s, m_image, u"-o"_s, file, u"--compress"_s, u"zstd"_s});
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY(Gantry::runProcess(u"zstd"_s, {u"-t"_s, u"-q"_s, file}).ok());
        const auto load = runDocker({u"load"_s, u"-i"_s, file});
        QVERIFY2(load.ok(), qPrintable(load.stderrText()));
        QVERIFY2(load.stdoutText().contains(m_image), qPrintable(load.stdoutText()));
    }

    void withoutOutputItGoesToTheExportFolder()
    {
        // The export folder set in Preferences (the GUI's settings file, read by the CLI too).
        QTemporaryDir config, exports, elsewhere;
        {
            QSettings settings(config.filePath(u"Gantry/Gantry.conf"_s), QSettings::IniFormat);
            settings.setValue(u"export/directory"_s, exports.path());
            settings.sync();
            QCOMPARE(settings.status(), QSettings::NoError);
        }
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_CONFIG_HOME"_s, config.path());
        auto r = runGantry({u"export"_s, m_image}, env);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        const QString name = QString(m_image).replace(u':', u'-') + u".tar.zst"_s;
        const QStringList all = QDir(exports.path()).entryList(QDir::Files | QDir::Hidden, QDir::Name);
        QCOMPARE(all, QStringList({name, name + u".sha256"_s})); // nothing half-written beside it
        const auto sum = Gantry::runProcess(u"sh"_s, {u"-c"_s, u"cd \"$1\" && sha256sum -c \"$2.sha256\""_s, u"sh"_s, exports.path(), name});
        QVERIFY2(sum.ok(), qPrintable(sum.stdoutText() + sum.stderrText()));

        // An explicit path still wins.
        const QString file = elsewhere.filePath(u"mine.tar.gz"_s);
        r = runGantry({u"export"_s, m_image, u"-o"_s, file}, env);
        QVERIFY2(r.ok(), qPrintable(r.stderrText()));
        QVERIFY(QFile::exists(file));
        QCOMPARE(QDir(exports.path()).entryList(QDir::Files | QDir::Hidden, QDir::Name), all);
    }

    void badInputGetsOneClearSentence()
    {
        QTemporaryDir dir;
        auto r = runGantry({u"export"_s, m_image, u"-o"_s, dir.filePath(u"x.tar"_s), u"--compress"_s, u"rar"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.stderrText().contains(u"unknown compression 'rar': use none, gzip, zstd or xz."_s), qPrintable(r.stderrText()));
        r = runGantry({u"export"_s, u"gantry-test-ship-nothing-here:latest"_s, u"-o"_s, dir.filePath(u"x.tar"_s)});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.stderrText().contains(u"The engine has no image"_s), qPrintable(r.stderrText()));
        r = runGantry({u"export"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCliExport)
#include "tst_cli_export.moc"
