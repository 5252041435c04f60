// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QByteArray>
#include <QString>

namespace Gantry {

/// Reads a small file of a repository (a manifest, a tool config) that may be hostile: only
/// a regular file (or a link to one) is read, never a FIFO, device or socket (a link to
/// /dev/zero or a FIFO would otherwise hang the scan or fill the memory); it is opened
/// without blocking and at most cap bytes are read, whatever its size claims.
/// Failures: Unreadable (not a regular file, no permission), ManifestTooLarge (over cap).
Result<QByteArray> readBoundedFile(const QString &path, qint64 cap);

} // namespace Gantry
