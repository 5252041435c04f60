// SPDX-License-Identifier: MIT
#include "textdiff.h"

#include <QList>
#include <QStringList>

#include <vector>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QStringList splitLines(const QString &text)
{
    if (text.isEmpty())
        return {};
    QStringList lines = text.split(u'\n');
    if (text.endsWith(u'\n'))
        lines.removeLast();
    return lines;
}

struct Op
{
    char kind; // ' ', '-', '+'
    int a;     // index in before (for ' ' and '-')
    int b;     // index in after (for ' ' and '+')
};

} // namespace

QString unifiedDiff(const QString &before, const QString &after, const QString &beforeLabel,
                    const QString &afterLabel, int context)
{
    if (before == after)
        return {};
    const QStringList a = splitLines(before);
    const QStringList b = splitLines(after);
    const int n = int(a.size());
    const int m = int(b.size());
    // Longest common subsequence table (Dockerfiles are small: n*m stays tiny).
    std::vector<std::vector<int>> lcs(size_t(n + 1), std::vector<int>(size_t(m + 1), 0));
    for (int i = n - 1; i >= 0; --i)
        for (int j = m - 1; j >= 0; --j)
            lcs[size_t(i)][size_t(j)] = a.at(i) == b.at(j) ? lcs[size_t(i + 1)][size_t(j + 1)] + 1
                                                           : std::max(lcs[size_t(i + 1)][size_t(j)], lcs[size_t(i)][size_t(j + 1)]);
    QList<Op> ops;
    int i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a.at(i) == b.at(j)) {
            ops.append({' ', i++, j++});
        } else if (i < n && (j == m || lcs[size_t(i + 1)][size_t(j)] >= lcs[size_t(i)][size_t(j + 1)])) {
            ops.append({'-', i++, j}); // removals before additions, as diff -u prints them
        } else {
            ops.append({'+', i, j++});
        }
    }

    QString out = u"--- "_s + beforeLabel + u"\n+++ "_s + afterLabel + u'\n';
    const int count = int(ops.size());
    int k = 0;
    while (k < count) {
        // Find the next change.
        while (k < count && ops.at(k).kind == ' ')
            ++k;
        if (k >= count)
            break;
        int start = std::max(0, k - context);
        // Extend the hunk while changes are closer than 2*context apart.
        int end = k;
        int lastChange = k;
        while (end < count) {
            if (ops.at(end).kind != ' ')
                lastChange = end;
            else if (end - lastChange > 2 * context)
                break;
            ++end;
        }
        end = std::min(count, lastChange + context + 1);
        int aStart = ops.at(start).a, bStart = ops.at(start).b, aLen = 0, bLen = 0;
        QString body;
        for (int x = start; x < end; ++x) {
            const Op &op = ops.at(x);
            if (op.kind == ' ') {
                body += u' ' + a.at(op.a) + u'\n';
                ++aLen;
                ++bLen;
            } else if (op.kind == '-') {
                body += u'-' + a.at(op.a) + u'\n';
                ++aLen;
            } else {
                body += u'+' + b.at(op.b) + u'\n';
                ++bLen;
            }
        }
        auto range = [](int startIndex, int len) {
            const int first = len == 0 ? startIndex : startIndex + 1;
            return len == 1 ? QString::number(first) : u"%1,%2"_s.arg(first).arg(len);
        };
        out += u"@@ -"_s + range(aStart, aLen) + u" +"_s + range(bStart, bLen) + u" @@\n"_s + body;
        k = end;
    }
    return out;
}

} // namespace Gantry
