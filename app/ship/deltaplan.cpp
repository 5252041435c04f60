// SPDX-License-Identifier: MIT
#include "deltaplan.h"

#include "util/format.h"

#include <QRegularExpression>

#include <cmath>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

int sharedPathCount(const QSet<QString> &target, const QStringList &candidate)
{
    int n = 0;
    for (const QString &p : candidate)
        n += target.contains(p) ? 1 : 0;
    return n;
}

/// The best reference for target among candidates (index), or -1.
int bestReference(const DeltaLayer &target, const QList<DeltaLayer> &candidates, int *shared)
{
    const QSet<QString> paths(target.paths.cbegin(), target.paths.cend());
    int best = -1;
    *shared = 0;
    for (int i = 0; i < candidates.size(); ++i) {
        const DeltaLayer &c = candidates.at(i);
        if (c.diffId == target.diffId)
            continue;
        const int n = sharedPathCount(paths, c.paths);
        if (n == 0)
            continue;
        const bool better = n > *shared
            || (n == *shared && best >= 0 && qAbs(c.size - target.size) < qAbs(candidates.at(best).size - target.size));
        if (better) {
            best = i;
            *shared = n;
        }
    }
    return best;
}

} // namespace

int deltaWindowLog(qint64 referenceSize, qint64 targetSize, int maxWindowLog)
{
    const qint64 total = qMax<qint64>(1, referenceSize) + qMax<qint64>(0, targetSize);
    int log = 20;
    while (log < 62 && (qint64(1) << log) < total)
        ++log;
    return log > maxWindowLog ? 0 : log;
}

int deltaLevel(qint64 referenceSize, qint64 targetSize)
{
    const qint64 total = referenceSize + targetSize;
    if (total <= qint64(128) << 20)
        return 19;
    if (total <= qint64(512) << 20)
        return 12;
    return 6;
}

bool zstdHasPatchFrom(const QString &versionLine)
{
    static const QRegularExpression version(u"v(\\d+)\\.(\\d+)\\.(\\d+)"_s);
    const auto m = version.match(versionLine);
    if (!m.hasMatch())
        return false;
    const int major = m.captured(1).toInt(), minor = m.captured(2).toInt(), patch = m.captured(3).toInt();
    return major > 1 || (major == 1 && (minor > 4 || (minor == 4 && patch >= 5)));
}

QString deltaNotWorthIt(qint64 patchSize, qint64 wholeSize, const DeltaLimits &limits)
{
    if (wholeSize > 0 && double(patchSize) <= limits.maxPatchRatio * double(wholeSize))
        return {};
    return u"the delta (%1) would save too little against the whole layer (%2)"_s.arg(formatBytes(patchSize), formatBytes(wholeSize));
}

QList<DeltaChoice> planDeltas(const DeltaPlanInput &input, const DeltaLimits &limits)
{
    QList<DeltaLayer> candidates;
    for (const DeltaLayer &c : input.clientLayers)
        if (input.serverBlobs.contains(c.diffId))
            candidates << c;
    const bool zstdOk = zstdHasPatchFrom(input.serverZstd);
    QList<DeltaChoice> plan;
    for (const DeltaLayer &t : input.toSend) {
        DeltaChoice c;
        c.diffId = t.diffId;
        if (input.serverZstd.trimmed().isEmpty()) {
            c.whyWhole = u"the server has no zstd (install its zstd package for deltas)"_s;
        } else if (!zstdOk) {
            c.whyWhole = u"the server's zstd is older than 1.4.5 and cannot apply patches (%1)"_s.arg(input.serverZstd.trimmed());
        } else if (t.wholeSize < limits.minWholeSize) {
            c.whyWhole = u"the layer is too small for a delta to pay"_s;
        } else {
            const int ref = bestReference(t, candidates, &c.sharedPaths);
            if (ref < 0) {
                c.whyWhole = u"no earlier version of its files is on both the server and this machine"_s;
            } else {
                const DeltaLayer &r = candidates.at(ref);
                c.windowLog = deltaWindowLog(r.size, t.size, limits.maxWindowLog);
                if (c.windowLog == 0) {
                    c.whyWhole = u"the layer and its earlier version together exceed the %1 delta window"_s.arg(
                        formatBytes(qint64(1) << limits.maxWindowLog));
                } else {
                    c.delta = true;
                    c.referenceDiffId = r.diffId;
                    c.level = deltaLevel(r.size, t.size);
                }
            }
        }
        plan << c;
    }
    return plan;
}

} // namespace Gantry
