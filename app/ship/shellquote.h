// SPDX-License-Identifier: MIT
#pragma once

#include "util/format.h" // formatBytes()

#include <QString>

namespace Gantry {

/// Quotes s for a POSIX shell: one single-quoted word, whatever it contains.
QString shellQuote(const QString &s);
/// A remote directory as a shell word: a relative path (or "~/x") is under the login's $HOME.
QString shellPath(const QString &path);

} // namespace Gantry
