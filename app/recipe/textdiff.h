// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

/// The unified difference (as `diff -u` prints it, 3 lines of context) between two texts;
/// empty when they are equal. Labels name the two sides in the --- / +++ lines.
QString unifiedDiff(const QString &before, const QString &after, const QString &beforeLabel,
                    const QString &afterLabel, int context = 3);

} // namespace Gantry
