// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QString>

namespace Gantry {

/// A Failure for a label or a message bar: the cause on the first line and the fix on a
/// second line (the CLI prints sentence(), one line). The cause keeps its full stop, so the
/// two lines read as the same words as the sentence.
inline QString failureText(const Failure &f)
{
    if (f.fix.trimmed().isEmpty())
        return f.cause.trimmed();
    const QString cause = f.causeWithStop();
    return cause.isEmpty() ? f.fix.trimmed() : cause + u'\n' + f.fix.trimmed();
}

} // namespace Gantry
