// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

/// Bytes for people, in SI units as Finder and docker show them ("2.8 MB"); negative
/// values (size changes) get a minus sign.
QString formatBytes(qint64 bytes);

} // namespace Gantry
