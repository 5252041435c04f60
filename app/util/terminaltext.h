// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

/// Text from outside (a server's output, a keyboard-interactive prompt, a file name) made
/// safe to print on a terminal: escape sequences and other control characters (C0, DEL,
/// C1, bidirectional overrides) become visible "\x1b"-style text, so a hostile server
/// cannot retitle the window, clear the screen, move the cursor or hide text. Newlines and
/// tabs stay when keepNewlines is true.
QString terminalSafe(const QString &text, bool keepNewlines = true);

} // namespace Gantry
