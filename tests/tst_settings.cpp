// SPDX-License-Identifier: MIT
// Preferences: stored values, recent projects, validation, and that the chosen docker
// program is the one every part of Gantry runs.
#include "docker/dockerenvironment.h"
#include "settings/preferences.h"
#include "settings/toolpaths.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

class TestSettings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTrip()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"gantry.ini"_s), QSettings::IniFormat);
        Preferences p;
        p.dockerPath = u"/opt/docker/bin/docker"_s;
        p.defaultPlatform = u"linux/arm64"_s;
        p.defaultRuntime = u"alpine"_s;
        p.defaultCompression = u"xz"_s;
        p.exportDirectory = dir.path();
        p.reopenLastProject = false;
        p.save(settings);
        const Preferences back = Preferences::load(settings);
        QCOMPARE(back.dockerPath, p.dockerPath);
        QCOMPARE(back.defaultPlatform, u"linux/arm64"_s);
        QCOMPARE(back.defaultRuntime, u"alpine"_s);
        QCOMPARE(back.defaultCompression, u"xz"_s);
        QCOMPARE(back.exportDirectory, dir.path());
        QCOMPARE(back.reopenLastProject, false);
    }

    void badStoredValuesFallBack()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(u"gantry.ini"_s), QSettings::IniFormat);
        settings.setValue(u"defaults/platform"_s, u"windows/sparc"_s);
        settings.setValue(u"defaults/runtime"_s, 42);
        settings.setValue(u"defaults/compression"_s, u"rar"_s);
        const Preferences p = Preferences::load(settings);
        QCOMPARE(p.defaultPlatform, u"linux/amd64"_s);
        QCOMPARE(p.defaultRuntime, u"scratch"_s);
        QCOMPARE(p.defaultCompression, u"zstd"_s);
    }

    void recentProjects()
    {
        QTemporaryDir dir;
        Preferences p;
        QStringList folders;
        for (int i = 0; i < 10; ++i) {
            folders << dir.filePath(u"project %1 ü"_s.arg(i));
            QVERIFY(QDir().mkpath(folders.last()));
            p.addRecentProject(folders.last());
        }
        QCOMPARE(p.recentProjects.size(), Preferences::maxRecentProjects);
        QCOMPARE(p.recentProjects.first(), folders.last());
        p.addRecentProject(folders.at(5) + u"/"_s); // same folder, other spelling: moves to the top
        QCOMPARE(p.recentProjects.first(), folders.at(5));
        QCOMPARE(p.recentProjects.count(folders.at(5)), 1);
        QVERIFY(QDir(folders.at(9)).removeRecursively());
        p.addRecentProject(folders.at(8));
        QVERIFY(!p.recentProjects.contains(folders.at(9))); // a deleted folder drops out
    }

    void validation()
    {
        Preferences p;
        QVERIFY(p.validate().isEmpty());
        p.dockerPath = u"/nonexistent/docker"_s;
        p.exportDirectory = u"/nonexistent/exports"_s;
        const QStringList problems = p.validate();
        QCOMPARE(problems.size(), 2);
        QVERIFY(problems.at(0).contains(u"/nonexistent/docker does not exist"_s));
        QVERIFY(problems.at(1).contains(u"export folder /nonexistent/exports does not exist"_s));
    }

    void chosenDockerIsTheOneThatRuns()
    {
        // A wrapper that logs each call and then runs the real client: the preference
        // points at it, and every docker call Gantry makes must go through it.
        const QString realDocker = GantryTest::dockerExecutable();
        QVERIFY(!realDocker.isEmpty());
        QTemporaryDir dir;
        const QString wrapper = dir.filePath(u"my-docker"_s);
        const QString log = dir.filePath(u"calls.log"_s);
        QFile script(wrapper);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write(u"#!/bin/sh\necho \"$*\" >> '%1'\nexec '%2' \"$@\"\n"_s.arg(log, realDocker).toUtf8());
        script.close();
        QVERIFY(script.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));

        Preferences p;
        p.dockerPath = wrapper;
        const ToolPaths tools = applyToolPreferences(p);
        QCOMPARE(tools.docker, wrapper);
        QVERIFY(qEnvironmentVariable("PATH").startsWith(tools.binDir));

        // The probe looks docker up by name, as every other part of Gantry does.
        const DockerEnvironment env = probeDockerEnvironment();
        QVERIFY2(env.engineReachable, qPrintable(env.report()));
        QCOMPARE(env.clientPath, wrapper);
        const auto viaName = runProcess(u"docker"_s, {u"version"_s, u"--format"_s, u"{{.Client.Version}}"_s});
        QVERIFY(viaName.ok());
        QFile calls(log);
        QVERIFY(calls.open(QIODevice::ReadOnly));
        const QString logged = QString::fromUtf8(calls.readAll());
        QVERIFY2(logged.contains(u"version --format {{json .}}"_s), qPrintable(logged));
        QVERIFY2(logged.contains(u"buildx version"_s), qPrintable(logged));
        QVERIFY2(logged.contains(u"version --format {{.Client.Version}}"_s), qPrintable(logged));

        // Back to automatic: the real client again.
        const ToolPaths automatic = applyToolPreferences(Preferences());
        QCOMPARE(QFileInfo(automatic.docker).canonicalFilePath(), QFileInfo(realDocker).canonicalFilePath());
    }
};

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
