// SPDX-License-Identifier: MIT
#include "toolpaths.h"

#include "docker/dockerenvironment.h"
#include "preferences.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString originalPath()
{
    // PATH as Gantry was started with, before any earlier call prepended to it.
    static const QString path = qEnvironmentVariable("PATH");
    return path;
}

QString privateBinDir()
{
    // XDG_RUNTIME_DIR where there is one (asking QStandardPaths without it only warns).
    const QString base = qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")
        ? QDir::tempPath() : QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation);
    return base + u"/gantry-tools-%1"_s.arg(QCoreApplication::applicationPid());
}

bool linkInto(const QString &dir, const QString &name, const QString &target)
{
    const QString link = dir + u'/' + name;
    QFile::remove(link);
    return target.isEmpty() || QFile::link(target, link);
}

} // namespace

QString findSshExecutable(const QString &preferred)
{
    if (!preferred.isEmpty()) {
        const QFileInfo fi(preferred);
        return fi.isFile() && fi.isExecutable() ? fi.absoluteFilePath() : QString();
    }
    const QString found = QStandardPaths::findExecutable(u"ssh"_s, originalPath().split(QDir::listSeparator(), Qt::SkipEmptyParts));
    if (!found.isEmpty())
        return found;
    for (const QString &p : {u"/usr/bin/ssh"_s, u"/opt/homebrew/bin/ssh"_s, u"/usr/local/bin/ssh"_s})
        if (QFileInfo(p).isExecutable())
            return p;
    return {};
}

ToolPaths applyToolPreferences(const Preferences &preferences)
{
    ToolPaths tools;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"PATH"_s, originalPath());
    env.remove(u"GANTRY_DOCKER"_s);
    const QString fromEnv = qEnvironmentVariable("GANTRY_DOCKER");
    tools.docker = findDockerExecutable(preferences.dockerPath.isEmpty() ? fromEnv : preferences.dockerPath, env);
    tools.ssh = findSshExecutable(preferences.sshPath);
    tools.binDir = privateBinDir();

    static bool cleanupRegistered = false;
    if (!cleanupRegistered) {
        cleanupRegistered = true;
        qAddPostRoutine([] { QDir(privateBinDir()).removeRecursively(); });
    }
    QDir().mkpath(tools.binDir);
    QFile::setPermissions(tools.binDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    linkInto(tools.binDir, u"docker"_s, tools.docker);
    linkInto(tools.binDir, u"ssh"_s, tools.ssh);

    // The links come first. Docker's own folder follows because its helpers (credential
    // helpers such as docker-credential-desktop) live beside it; ssh's folder is not added,
    // or a docker that is not on PATH would be found through it after all.
    QStringList path{tools.binDir};
    if (!tools.docker.isEmpty())
        path << QFileInfo(tools.docker).absolutePath();
    path << originalPath().split(QDir::listSeparator(), Qt::SkipEmptyParts);
    path.removeDuplicates();
    qputenv("PATH", path.join(QDir::listSeparator()).toLocal8Bit());
    return tools;
}

} // namespace Gantry
