// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

struct ServerProfile;

/// Where Gantry may keep its files on a server, and the shell text that enforces it there.
/// Pure functions (value in, text out): tests/tst_security.cpp checks them against tables
/// and against a real sshd.
namespace RemotePolicy {

/// Why `remoteDir` cannot be Gantry's folder on a server (one sentence), or empty. Refused:
/// the login's home itself ("~", ".", "$HOME"), "/", system folders (/etc, /usr/..., /tmp,
/// /home, ...), a path that climbs out with "..", shell variables and control characters.
QString folderProblem(const QString &remoteDir);

/// Why `user` cannot be a login name (one sentence), or empty: letters, digits, ".", "_",
/// "-" (not first), an optional trailing "$"; nothing a shell or ssh would interpret.
QString userProblem(const QString &user);

/// The start of every remote script: `umask 077`, $dir (Gantry's folder) and $D (docker),
/// and the checks that the folder is a real folder (not a link) owned by the login user
/// and Gantry's: a folder Gantry did not make is used only when it holds nothing but
/// Gantry's own subfolders, and is then marked with a `.gantry-folder` file. Gantry's
/// subfolders (blobs, archives, tmp) must be real folders too. Exits 3 with a "gantry: "
/// sentence on stderr when a check fails.
QString prelude(const ServerProfile &server);

/// A `case` pattern matching only the archive names Gantry makes in $dir/archives
/// (64 hex digits and an archive suffix), relative to "$dir/archives/".
QString archiveNamePattern();
/// A `find -name` pattern matching only the assembly folders Gantry makes in $dir/tmp
/// (32 hex digits).
QString tokenNamePattern();
/// Shell text that exits 3 when FILE (a shell word, e.g. "$f.partial") is a symbolic link,
/// so that an upload never writes through a link planted in Gantry's folder.
QString refuseLink(const QString &fileWord);

/// `sh -c 'SCRIPT'`: the remote login shell (fish, csh, ...) only starts a POSIX sh.
QString wrapInSh(const QString &script);

} // namespace RemotePolicy

} // namespace Gantry
