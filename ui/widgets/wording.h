// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

/// "1 member" / "3 members": the noun agrees with the number (no "member(s)"). one and
/// many are whole phrases with %1 for the number, already translated by the caller.
inline QString counted(qsizetype n, const QString &one, const QString &many)
{
    return (n == 1 ? one : many).arg(n);
}

} // namespace Gantry
