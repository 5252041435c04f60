// SPDX-License-Identifier: MIT
#include "format.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace Gantry {

QString formatBytes(qint64 bytes)
{
    if (bytes < 0)
        return u"−"_s + formatBytes(-bytes);
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

} // namespace Gantry
