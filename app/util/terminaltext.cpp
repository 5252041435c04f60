// SPDX-License-Identifier: MIT
#include "terminaltext.h"

using namespace Qt::StringLiterals;

namespace Gantry {

QString terminalSafe(const QString &text, bool keepNewlines)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (keepNewlines && (u == u'\n' || u == u'\t')) {
            out += c;
            continue;
        }
        const bool control = u < 0x20 || u == 0x7f || (u >= 0x80 && u <= 0x9f);
        const bool bidi = (u >= 0x202a && u <= 0x202e) || (u >= 0x2066 && u <= 0x2069) || u == 0x200e || u == 0x200f;
        if (control || bidi)
            out += u <= 0xff ? u"\\x%1"_s.arg(int(u), 2, 16, QLatin1Char('0')) : u"\\u%1"_s.arg(int(u), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

} // namespace Gantry
