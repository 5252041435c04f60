// SPDX-License-Identifier: MIT
// The doctor's fixes in a Mac's words (issue 18), checked on Linux by asking for them
// with HostSystem::MacOS: Docker Desktop instead of `usermod` and systemctl, Homebrew's
// buildx with the plugin folder docker must be told about, Rosetta for amd64 images.
// The Linux words stay as they were.
#include "docker/dockerenvironment.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {
const QString permissionDenied = u"permission denied while trying to connect to the Docker daemon socket at "
                                 "unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.24/version\": dial unix "
                                 "/var/run/docker.sock: connect: permission denied"_s;
const QString daemonDown = u"Cannot connect to the Docker daemon at unix:///Users/me/.docker/run/docker.sock. Is the docker daemon running?"_s;
} // namespace

class TestDoctorWords : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aSocketPermissionProblemOnAMac()
    {
        const DockerProblem mac = classifyEngineError(permissionDenied, HostSystem::MacOS);
        QCOMPARE(toString(mac.errorClass), toString(ErrorClass::EnginePermission));
        QVERIFY2(mac.fix.contains(u"Docker Desktop"_s) && mac.fix.contains(u"docker context use"_s), qPrintable(mac.fix));
        QVERIFY2(!mac.sentence().contains(u"usermod"_s) && !mac.sentence().contains(u"docker group"_s), qPrintable(mac.sentence()));
        const DockerProblem onLinux = classifyEngineError(permissionDenied, HostSystem::Linux);
        QVERIFY2(onLinux.fix.contains(u"usermod -aG docker"_s), qPrintable(onLinux.fix));
    }

    void anEngineThatIsDownOnAMac()
    {
        const DockerProblem mac = classifyEngineError(daemonDown, HostSystem::MacOS);
        QCOMPARE(toString(mac.errorClass), toString(ErrorClass::EngineDown));
        QVERIFY2(mac.fix.contains(u"open -a Docker"_s) && mac.fix.contains(u"colima start"_s), qPrintable(mac.fix));
        QVERIFY2(!mac.fix.contains(u"systemctl"_s), qPrintable(mac.fix));
        QVERIFY(classifyEngineError(daemonDown, HostSystem::Linux).fix.contains(u"systemctl start docker"_s));
    }

    void homebrewsBuildxNeedsItsFolderConfigured()
    {
        // Installed where Homebrew puts it (a real file in a Homebrew-shaped folder): the
        // problem names that folder and the setting that makes docker look there.
        QTemporaryDir prefix;
        const QString plugins = prefix.filePath(u"lib/docker/cli-plugins"_s);
        QVERIFY(QDir().mkpath(plugins));
        QFile plugin(plugins + u"/docker-buildx"_s);
        QVERIFY(plugin.open(QIODevice::WriteOnly));
        plugin.close();
        const QString found = homebrewBuildxPlugin({prefix.filePath(u"nowhere/docker-buildx"_s), plugin.fileName()});
        QCOMPARE(found, plugin.fileName());
        const DockerProblem p = buildxMissingProblem(HostSystem::MacOS, found);
        QCOMPARE(toString(p.errorClass), toString(ErrorClass::BuildxMissing));
        QCOMPARE(p.fix, u"Add \"cliPluginsExtraDirs\": [\"%1\"] to ~/.docker/config.json (as `brew info docker-buildx` says), then check again."_s
                            .arg(plugins));
        QVERIFY(p.cause.contains(plugin.fileName()));
        // Not installed at all: how to get it on a Mac, with the same setting.
        QVERIFY(homebrewBuildxPlugin({prefix.filePath(u"nowhere/docker-buildx"_s)}).isEmpty());
        const DockerProblem none = buildxMissingProblem(HostSystem::MacOS, {});
        QVERIFY2(none.fix.contains(u"brew install docker-buildx"_s) && none.fix.contains(u"cliPluginsExtraDirs"_s), qPrintable(none.fix));
        QVERIFY2(!none.fix.contains(u"apt install"_s), qPrintable(none.fix));
        QVERIFY(buildxMissingProblem(HostSystem::Linux, {}).fix.contains(u"apt install docker-buildx"_s));
    }

    void amd64OnAppleSiliconMeansRosetta()
    {
        DockerEnvironment env;
        env.engineOs = u"linux"_s;
        env.engineArch = u"arm64"_s;
        env.platforms = {u"linux/arm64"_s};
        const auto mac = emulationProblems(env, {u"linux/amd64"_s}, HostSystem::MacOS);
        QCOMPARE(mac.size(), 1);
        QVERIFY2(mac.first().fix.contains(u"Use Rosetta for x86_64/amd64 emulation on Apple Silicon"_s), qPrintable(mac.first().fix));
        QVERIFY2(!mac.first().fix.contains(u"qemu-user-static"_s), qPrintable(mac.first().fix));
        const auto onLinux = emulationProblems(env, {u"linux/amd64"_s}, HostSystem::Linux);
        QVERIFY(onLinux.first().fix.contains(u"qemu-user-static"_s));
    }
};

QTEST_GUILESS_MAIN(TestDoctorWords)
#include "tst_doctor_words.moc"
