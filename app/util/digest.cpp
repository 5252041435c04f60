// SPDX-License-Identifier: MIT
#include "digest.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

bool isSha256Digest(const QString &digest)
{
    static const QRegularExpression rx(QRegularExpression::anchoredPattern(u"sha256:[0-9a-f]{64}"_s));
    return rx.match(digest).hasMatch();
}

} // namespace Gantry
