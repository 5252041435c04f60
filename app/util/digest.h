// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

/// True for exactly "sha256:" and 64 lowercase hex digits: the only digest Gantry accepts
/// from an archive (digests name files and go into remote scripts).
bool isSha256Digest(const QString &digest);

} // namespace Gantry
