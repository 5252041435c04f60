// SPDX-License-Identifier: MIT
#include "layerlabel.h"

#include "util/format.h"

#include <QHash>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

constexpr double dominantShare = 0.8; ///< a path "holds" a layer when it has this much of its bytes

QString instructionTarget(const QString &createdBy)
{
    // COPY/ADD: the destination (the last word); WORKDIR: its folder.
    QString s = createdBy;
    s.remove(u" # buildkit"_s);
    static const QRegularExpression copy(uR"((?:^|\s)(?:COPY|ADD)\s.*\s(\S+)\s*$)"_s);
    static const QRegularExpression workdir(uR"((?:^|\s)WORKDIR\s+(\S+))"_s);
    if (const auto m = copy.match(s); m.hasMatch())
        return m.captured(1);
    if (const auto m = workdir.match(s); m.hasMatch())
        return m.captured(1);
    return {};
}

} // namespace

QString layerContentPath(const ImageReport &report, int layer)
{
    if (layer < 0 || layer >= report.image.layers.size() || !report.image.paths)
        return {};
    const PathTable &paths = *report.image.paths;
    const ImageLayer &l = report.image.layers.at(layer);
    QHash<int, qint64> bytes; // bytes of this layer's files under each path
    qint64 total = 0;
    for (const LayerEntry &e : l.entries) {
        if (e.kind != LayerEntry::Kind::File || e.size <= 0)
            continue;
        total += e.size;
        for (int id = e.path; id >= 0; id = id == PathTable::Root ? -1 : paths.parent(id))
            bytes[id] += e.size;
    }
    if (total == 0) {
        const QString target = instructionTarget(l.createdBy.isEmpty() && layer < report.layers.size() ? report.layers.at(layer).createdBy
                                                                                                       : l.createdBy);
        return target.isEmpty() ? u"/"_s : target;
    }
    int current = PathTable::Root;
    for (bool descended = true; descended;) {
        descended = false;
        for (int child : paths.children(current)) {
            if (bytes.value(child) >= qint64(dominantShare * double(total))) {
                current = child;
                descended = true;
                break;
            }
        }
    }
    return current == PathTable::Root ? u"/"_s : paths.path(current);
}

QString layerLabel(const ImageReport &report, int layer)
{
    if (layer < 0 || layer >= report.layers.size())
        return {};
    return u"%1 · %2"_s.arg(layerContentPath(report, layer), formatBytes(report.layers.at(layer).size));
}

} // namespace Gantry
