// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

/// Quotes s for a POSIX shell: one single-quoted word, whatever it contains.
QString shellQuote(const QString &s);
/// A remote directory as a shell word: a relative path (or "~/x") is under the login's $HOME.
QString shellPath(const QString &path);
/// "1.4 MB", "812 KB", "17 B" (decimal units, as Finder and docker show them).
QString formatBytes(qint64 bytes);

} // namespace Gantry
