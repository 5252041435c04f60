// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

/// True for exactly "sha256:" and 64 lowercase hex digits: the only digest Gantry accepts
/// from an archive (digests name files and go into remote scripts).
bool isSha256Digest(const QString &digest);

/// The hex part of a digest ("sha256:ab12…" → "ab12…"); the name of a blob file.
inline QString hexOf(const QString &digest) { return digest.section(u':', -1); }

} // namespace Gantry
