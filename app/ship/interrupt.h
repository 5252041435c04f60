// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>

namespace Gantry {

/// For the CLI: the first Ctrl-C (SIGINT/SIGTERM) sets the returned flag, so a job can
/// stop and clean up; a second one ends the process at once.
const std::atomic_bool *installInterruptFlag();

} // namespace Gantry
