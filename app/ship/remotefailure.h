// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"
#include "util/processrunner.h"

#include <QString>

namespace Gantry {

class SshConnection;

/// One classifier for a remote command of a ship that failed (what was the pair
/// remoteError()/remoteErrorClass()): the class, the cause — the link timed out or broke,
/// the disk is full, or what the server printed ("gantry: " prefixes dropped, its lines
/// joined) — and the fix for that class. `what` names the step ("docker load").
Failure remoteFailure(const ProcessResult &r, const SshConnection &ssh, const QString &what);

} // namespace Gantry
