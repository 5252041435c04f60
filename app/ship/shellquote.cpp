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


} // namespace Gantry
