// SPDX-License-Identifier: MIT
#pragma once

namespace Gantry {

/// From the first password or passphrase on, a process holds a secret in memory: like
/// ssh-agent, it then writes no core dump (which would carry the secret to disk). Sets the
/// core size limit to 0 (soft and hard, so no child or later call raises it) on every
/// Unix, and on Linux also marks the process not dumpable (which covers a core_pattern
/// that pipes to a program, where the limit does not apply). Safe to call again.
void keepSecretsOutOfCoreDumps();

} // namespace Gantry
