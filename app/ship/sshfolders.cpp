// SPDX-License-Identifier: MIT
#include "sshfolders.h"

#include "util/processrunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <signal.h>
#include <sys/types.h>

using namespace Qt::StringLiterals;

namespace Gantry::SshFolders {

QString baseFor(const QString &tempPath)
{
    // <base>/gantry-ssh-XXXXXX/cm.<16 random>: the longest socket inside the folder.
    const qsizetype longest = QDir::cleanPath(tempPath).toLocal8Bit().size() + qsizetype(sizeof("/gantry-ssh-XXXXXX/cm") - 1)
        + sshTemporarySuffix;
    return longest <= socketPathLimit ? QDir::cleanPath(tempPath) : u"/tmp"_s;
}

bool markOwned(const QString &dir)
{
    QFile f(QDir(dir).filePath(ownerFileName()));
    return f.open(QIODevice::WriteOnly) && f.write(QByteArray::number(QCoreApplication::applicationPid())) > 0;
}

bool processRuns(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

QList<Leftover> findLeftovers(const QStringList &bases, const std::function<bool(qint64)> &isRunning)
{
    QList<Leftover> out;
    QStringList seen;
    for (const QString &base : bases) {
        const QDir dir(base);
        for (const QFileInfo &fi : dir.entryInfoList({u"gantry-ssh-*"_s}, QDir::Dirs | QDir::NoDotAndDotDot | QDir::NoSymLinks)) {
            const QString folder = fi.canonicalFilePath();
            if (folder.isEmpty() || seen.contains(folder) || !fi.isWritable())
                continue;
            seen << folder;
            QFile owner(QDir(folder).filePath(ownerFileName()));
            if (!owner.open(QIODevice::ReadOnly))
                continue; // not ours to judge (an older Gantry, or being made right now)
            bool number = false;
            const qint64 pid = owner.readAll().trimmed().toLongLong(&number);
            if (!number || isRunning(pid))
                continue;
            const QString socket = QDir(folder).filePath(u"cm"_s);
            out.append({folder, QFileInfo::exists(socket) ? socket : QString()});
        }
    }
    return out;
}

int closeLeftovers(const QList<Leftover> &leftovers)
{
    int closed = 0;
    for (const Leftover &l : leftovers) {
        if (!l.controlSocket.isEmpty()) {
            // The host name is not used: the control socket decides which master is asked.
            const ProcessResult r = runProcess(u"ssh"_s, {u"-o"_s, u"ControlPath=%1"_s.arg(l.controlSocket), u"-O"_s, u"exit"_s,
                                                          u"gantry-leftover"_s},
                                               QProcessEnvironment::systemEnvironment(), 5000);
            if (r.ok())
                ++closed;
        }
        QDir(l.folder).removeRecursively();
    }
    return closed;
}

int closeLeftoversAtStart()
{
    const QStringList bases{baseFor(QDir::tempPath()), QDir::tempPath(), u"/tmp"_s};
    return closeLeftovers(findLeftovers(bases, processRuns));
}

} // namespace Gantry::SshFolders
