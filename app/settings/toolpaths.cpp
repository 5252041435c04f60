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

#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

/// A new folder under base from mkdtemp, checked to be a real folder (no link) owned by
/// this user with mode 0700; empty when no such folder can be made.
QString makePrivateDir(const QString &base)
{
    QByteArray templ = QFile::encodeName(base + u"/gantry-tools-XXXXXX"_s);
    if (!::mkdtemp(templ.data()))
        return {};
    struct stat st {};
    if (::lstat(templ.constData(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::geteuid() || (st.st_mode & 077) != 0) {
        ::rmdir(templ.constData());
        return {};
    }
    return QFile::decodeName(templ);
}

QString originalPath()
{
    // PATH as Gantry was started with, before any earlier call prepended to it.
    static const QString path = qEnvironmentVariable("PATH");
    return path;
}

QString privateBinDir()
{
    // Made once per process with mkdtemp (a fresh, unguessable name, 0700, ours): a folder
    // with a predictable name (gantry-tools-<pid>) in a shared /tmp could be made first by
    // another user, and whatever it holds would then come first on PATH.
    static const QString dir = makePrivateDir(qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")
                                                  ? QDir::tempPath()
                                                  : QStandardPaths::writableLocation(QStandardPaths::RuntimeLocation));
    return dir;
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
    if (!cleanupRegistered && !tools.binDir.isEmpty()) {
        cleanupRegistered = true;
        qAddPostRoutine([] { QDir(privateBinDir()).removeRecursively(); });
    }
    if (!tools.binDir.isEmpty()) {
        linkInto(tools.binDir, u"docker"_s, tools.docker);
        linkInto(tools.binDir, u"ssh"_s, tools.ssh);
    }

    // The links come first (when the private folder could be made; else the programs'
    // own folders, which is all the links would have given). Docker's own folder follows because its helpers (credential
    // helpers such as docker-credential-desktop) live beside it; ssh's folder is not added,
    // or a docker that is not on PATH would be found through it after all.
    QStringList path;
    if (!tools.binDir.isEmpty())
        path << tools.binDir;
    else if (!tools.ssh.isEmpty())
        path << QFileInfo(tools.ssh).absolutePath();
    if (!tools.docker.isEmpty())
        path << QFileInfo(tools.docker).absolutePath();
    path << originalPath().split(QDir::listSeparator(), Qt::SkipEmptyParts);
    path.removeDuplicates();
    qputenv("PATH", path.join(QDir::listSeparator()).toLocal8Bit());
    return tools;
}

} // namespace Gantry
