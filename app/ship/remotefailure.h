// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"
#include "util/processrunner.h"

#include <QString>

#include <optional>

namespace Gantry {

class SshConnection;

/// One classifier for a remote command of a ship that failed (what was the pair
/// remoteError()/remoteErrorClass()): the class, the cause — the link timed out or broke,
/// the disk is full, or what the server printed ("gantry: " prefixes dropped, its lines
/// joined) — and the fix for that class. `what` names the step ("docker load").
Failure remoteFailure(const ProcessResult &r, const SshConnection &ssh, const QString &what);

/// The server's disk (or quota) is full, from a remote command's stderr: a Failure naming
/// Gantry's folder there; nothing when that is not what happened.
std::optional<Failure> remoteDiskFull(const QString &stderrText, const SshConnection &ssh);

/// The same classifier for a remote command that ran outside ProcessRunner (the upload's own
/// ssh): the class from its exit code and stderr, `cause` as the cause (a full disk has its
/// own), and the fix for that class (else `fallbackFix`).
Failure remoteFailure(int exitCode, const QString &stderrText, const SshConnection &ssh, const QString &cause,
                      const QString &fallbackFix = {});

} // namespace Gantry
