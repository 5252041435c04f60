// SPDX-License-Identifier: MIT
#pragma once

class QProcess;

namespace Gantry {

/// ssh processes end with Gantry, even when it crashes: an orphaned master would keep the
/// login (and a socket that answers for it) open indefinitely. (Internal to the ssh transport.)
void endWithParent(QProcess &process);

} // namespace Gantry
