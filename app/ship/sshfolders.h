// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include <functional>

namespace Gantry {

/// Gantry's private SSH folders (gantry-ssh-XXXXXX: the askpass socket and ssh's control
/// socket "cm"), where they are made and what a crashed Gantry left of them.
namespace SshFolders {

/// The longest unix socket path macOS accepts (sun_path is 104 bytes with its NUL; Linux
/// allows 108): Gantry keeps to it on every system.
constexpr int socketPathLimit = 103;
/// ssh binds its control socket as "<ControlPath>.<16 random characters>" before renaming it.
constexpr int sshTemporarySuffix = 17;

/// The folder to make gantry-ssh-XXXXXX in: tempPath when the longest socket path inside
/// fits socketPathLimit, else /tmp (macOS's $TMPDIR alone is ~50 characters, and users
/// and tools set longer ones).
QString baseFor(const QString &tempPath);

/// The file in a private SSH folder that names the Gantry process owning it.
inline QString ownerFileName() { return QStringLiteral("owner.pid"); }

/// Writes this process's id into dir's owner file.
bool markOwned(const QString &dir);

struct Leftover
{
    QString folder;        ///< gantry-ssh-XXXXXX whose owner is gone
    QString controlSocket; ///< its "cm", when a master may still listen there (else empty)
};

/// The private SSH folders under each of bases whose owner process no longer runs
/// (isRunning(pid) false). Folders without an owner file are left alone.
QList<Leftover> findLeftovers(const QStringList &bases, const std::function<bool(qint64)> &isRunning);

/// Closes each leftover's ssh master (`ssh -O exit` on its control socket: the master
/// logs out) and removes the folder. Returns how many masters answered the exit.
int closeLeftovers(const QList<Leftover> &leftovers);

/// At start-up: findLeftovers in the places Gantry makes these folders, then closeLeftovers.
/// Returns how many masters were closed.
int closeLeftoversAtStart();

/// Whether a process with that id runs (kill(pid, 0)).
bool processRuns(qint64 pid);

} // namespace SshFolders

} // namespace Gantry
