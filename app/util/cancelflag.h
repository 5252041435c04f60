// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>

namespace Gantry {

/// True when a job's optional cancel flag is set (nullptr: the job cannot be cancelled).
inline bool isCancelled(const std::atomic_bool *cancel) { return cancel && cancel->load(); }

} // namespace Gantry
