// SPDX-License-Identifier: MIT
#include "deltaremote.h"

#include "util/digest.h"

#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

/// Only hex digests reach a script (they come from the image's config, which is data).
bool isHex(const QString &s)
{
    static const QRegularExpression hex(u"^[0-9a-f]{64}$"_s);
    return hex.match(s).hasMatch();
}

} // namespace

QString deltaInventoryScript()
{
    return u"if command -v zstd >/dev/null 2>&1; then echo \"zstd $(zstd -V 2>/dev/null | head -n 1)\"; else echo 'zstd none'; fi; "
           "for f in \"$dir\"/blobs/*.tar.gz; do [ -f \"$f.sha256\" ] || continue; b=${f##*/}; echo \"cached ${b%.tar.gz}\"; done; "_s;
}

bool parseDeltaInventoryLine(const QString &line, ServerDeltaFacts &facts)
{
    if (line.startsWith(u"zstd "_s)) {
        const QString v = line.mid(5).trimmed();
        facts.zstd = v == u"none" ? QString() : v;
        return true;
    }
    if (line.startsWith(u"cached "_s)) {
        const QString hex = line.mid(7).trimmed();
        if (isHex(hex))
            facts.blobs.insert(u"sha256:"_s + hex);
        return true;
    }
    return false;
}

QString remotePatchFile(const QString &diffId, const QString &referenceDiffId)
{
    return u"\"$dir/patches/%1.from-%2.zst\""_s.arg(hexOf(diffId), hexOf(referenceDiffId));
}

QString receivePatchCommand(const QString &diffId, const QString &referenceDiffId, const QString &sha256, qint64 size, bool append)
{
    if (!isHex(hexOf(diffId)) || !isHex(hexOf(referenceDiffId)) || !isHex(sha256))
        return u"echo 'gantry: not a digest' >&2; exit 2"_s;
    return u"f="_s + remotePatchFile(diffId, referenceDiffId) + u"; mkdir -p \"$dir/patches\" || exit 3; cat "_s
        + (append ? u">>"_s : u">"_s) + u" \"$f.partial\" || exit 3; n=$(wc -c < \"$f.partial\"); if [ \"$n\" -lt "_s
        + QString::number(size) + u" ]; then echo \"gantry: only $n of "_s + QString::number(size)
        + u" bytes arrived\" >&2; exit 6; fi; h=$(sha256sum < \"$f.partial\" | cut -d' ' -f1); if [ \"$h\" = "_s + sha256
        + u" ]; then mv -f \"$f.partial\" \"$f\" || exit 3; echo verified; else rm -f \"$f.partial\"; echo \"mismatch $h\"; fi"_s;
}

QString applyPatchCommand(const QString &diffId, const QString &referenceDiffId, int windowLog, const QString &token)
{
    const QString h = hexOf(diffId), r = hexOf(referenceDiffId);
    if (!isHex(h) || !isHex(r) || !QRegularExpression(u"^[0-9A-Za-z-]+$"_s).match(token).hasMatch())
        return u"echo 'gantry: not a digest' >&2; exit 2"_s;
    QString s = u"p="_s + remotePatchFile(diffId, referenceDiffId) + u"; t=\"$dir/tmp/delta-"_s + token
        + u"\"; b=\"$dir/blobs/"_s + h + u".tar.gz\"; mkdir -p \"$t\" || exit 3; trap 'rm -rf \"$t\" \"$p\"' EXIT; "_s;
    s += u"command -v zstd >/dev/null 2>&1 || { echo 'delta whole no-zstd'; exit 0; }; "_s;
    // The reference, as the client used it: the uncompressed layer whose sha256 is its diff id.
    s += u"gzip -dc \"$dir/blobs/"_s + r + u".tar.gz\" > \"$t/ref\" 2>/dev/null; "
         "[ \"$(sha256sum < \"$t/ref\" | cut -d' ' -f1)\" = "_s + r + u" ] || { echo 'delta whole reference-damaged'; exit 0; }; "_s;
    s += u"zstd -q -d --long="_s + QString::number(windowLog)
        + u" --patch-from=\"$t/ref\" \"$p\" -o \"$t/new\" 2>\"$t/err\" || { echo \"delta whole zstd-failed $(head -c 200 \"$t/err\" | tr '\\n' ' ')\"; exit 0; }; "_s;
    // The rebuilt layer must be the layer: its sha256 is the diff id, or it is never loaded.
    s += u"[ \"$(sha256sum < \"$t/new\" | cut -d' ' -f1)\" = "_s + h + u" ] || { echo 'delta whole mismatch'; exit 0; }; "_s;
    s += u"gzip -c < \"$t/new\" > \"$t/blob\" || exit 3; rm -f \"$t/new\" \"$t/ref\"; s=$(sha256sum < \"$t/blob\" | cut -d' ' -f1); "
         "{ echo \"$s\" > \"$b.sha256.partial\" && mv -f \"$b.sha256.partial\" \"$b.sha256\" && mv -f \"$t/blob\" \"$b\"; } || exit 3; "
         "echo 'delta ok'"_s;
    return s;
}

QString applyOutcome(const QString &output)
{
    for (const QString &line : output.split(u'\n', Qt::SkipEmptyParts)) {
        const QString l = line.trimmed();
        if (l == u"delta ok")
            return {};
        if (!l.startsWith(u"delta whole "_s))
            continue;
        const QString why = l.mid(12);
        if (why == u"no-zstd")
            return u"the server has no zstd"_s;
        if (why == u"reference-damaged")
            return u"the server's copy of the earlier layer does not match its digest (damaged)"_s;
        if (why == u"mismatch")
            return u"the layer rebuilt on the server did not match its digest"_s;
        if (why.startsWith(u"zstd-failed"_s))
            return u"zstd on the server could not apply the delta (%1)"_s.arg(why.mid(12).trimmed());
        return why;
    }
    return u"the server did not say whether the delta applied"_s;
}

} // namespace Gantry
