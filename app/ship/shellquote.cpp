// SPDX-License-Identifier: MIT
#include "shellquote.h"

using namespace Qt::StringLiterals;

namespace Gantry {

QString shellQuote(const QString &s)
{
    QString quoted = s;
    quoted.replace(u"'"_s, u"'\\''"_s);
    return u'\'' + quoted + u'\'';
}

QString shellPath(const QString &path)
{
    QString p = path.trimmed();
    if (p.isEmpty() || p == u"~")
        return u"\"$HOME\""_s;
    if (p.startsWith(u"~/"_s))
        p = p.mid(2);
    if (p.startsWith(u'/'))
        return shellQuote(p);
    return u"\"$HOME\"/"_s + shellQuote(p);
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 1000)
        return u"%1 B"_s.arg(bytes);
    if (bytes < 1000 * 1000)
        return u"%1 KB"_s.arg(double(bytes) / 1000.0, 0, 'f', 1);
    if (bytes < 1000LL * 1000 * 1000)
        return u"%1 MB"_s.arg(double(bytes) / 1e6, 0, 'f', 1);
    return u"%1 GB"_s.arg(double(bytes) / 1e9, 0, 'f', 2);
}

} // namespace Gantry
