// SPDX-License-Identifier: MIT
#include "shipplan.h"

#include "shipper.h"
#include "util/digest.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

void parseBlobLine(const QString &line, ServerInventory &inv)
{
    const QStringList parts = line.split(u' ');
    if (parts.size() < 3)
        return;
    inv.blobState.insert(parts.at(1), parts.at(2));
    if (parts.at(2) == u"partial" && parts.size() >= 4)
        inv.blobPartial.insert(parts.at(1), parts.at(3).toLongLong());
}

/// How many layers from the bottom the server's engine already holds as a chain (0 on the
/// containerd store, which wants every layer in a docker-format archive).
int enginePrefixOf(const PreparedImage &image, const ServerInventory &inv)
{
    if (inv.containerdStore)
        return 0;
    int prefix = 0;
    for (const QStringList &ids : inv.engineLayerLists) {
        int k = 0;
        while (k < ids.size() && k < image.layers.size() && ids.at(k) == image.layers.at(k).diffId)
            ++k;
        prefix = qMax(prefix, k);
    }
    return prefix;
}

} // namespace

ServerInventory parseInventory(const QString &stdoutText)
{
    ServerInventory inv;
    for (const QString &line : stdoutText.split(u'\n', Qt::SkipEmptyParts)) {
        if (parseDeltaInventoryLine(line, inv.deltaFacts)) {
            continue;
        } else if (line.startsWith(u"engine "_s)) {
            inv.platform = line.mid(7).trimmed();
        } else if (line.startsWith(u"version "_s)) {
            inv.engineVersion = line.mid(8).trimmed();
        } else if (line.startsWith(u"driver "_s)) {
            inv.containerdStore = line.contains(u"io.containerd.snapshotter"_s);
        } else if (line.startsWith(u"layers "_s)) {
            QStringList ids;
            for (const auto &v : QJsonDocument::fromJson(line.mid(7).toUtf8()).array())
                ids << v.toString();
            inv.engineLayerLists << ids;
        } else if (line.startsWith(u"blob "_s)) {
            parseBlobLine(line, inv);
        } else if (line == u"have") {
            inv.archiveState = ServerInventory::ArchiveState::Have;
        } else if (line == u"missing") {
            inv.archiveState = ServerInventory::ArchiveState::Missing;
        } else if (line.startsWith(u"partial "_s)) {
            inv.archiveState = ServerInventory::ArchiveState::Partial;
            inv.archivePartial = line.mid(8).toLongLong();
        }
    }
    return inv;
}

QString goArch(const QString &arch)
{
    if (arch == u"x86_64")
        return u"amd64"_s;
    if (arch == u"aarch64")
        return u"arm64"_s;
    return arch;
}

Status checkPlatform(const PreparedImage &image, const ServerInventory &inventory, const QString &serverName)
{
    const QString wanted = image.os + u'/' + goArch(image.architecture);
    if (image.architecture.isEmpty() || inventory.platform.isEmpty() || inventory.platform == wanted)
        return {};
    return Failure(ErrorClass::Other, u"The image is built for %1 but %2 runs %3"_s.arg(wanted, serverName, inventory.platform),
                   u"Build it for %1 (Configure → Target, or gantry build --platform %1) or ship it to a server that runs %2."_s
                       .arg(inventory.platform, wanted));
}

QStringList ShipPlan::assembleHexes() const
{
    QStringList hexes;
    for (int i = 0; i < layers.size(); ++i)
        if (layers.at(i).action != Action::InEngine)
            hexes << layerHexes.at(i);
    return hexes;
}

ShipPlan planShip(const PreparedImage &image, const ServerInventory &inventory)
{
    ShipPlan plan;
    const int enginePrefix = enginePrefixOf(image, inventory);
    for (int i = 0; i < image.layers.size(); ++i) {
        const PreparedImage::Layer &l = image.layers.at(i);
        const QString hex = hexOf(l.diffId);
        plan.layerHexes << hex;
        plan.bytesFull += l.blobSize;
        ShipPlan::Layer decided;
        if (inventory.blobState.value(hex) == u"ok") {
            decided.action = ShipPlan::Action::AlreadyThere;
            ++plan.layersPresent;
        } else if (i < enginePrefix) {
            decided.action = ShipPlan::Action::InEngine;
            ++plan.layersPresent;
        } else {
            const qint64 partial = inventory.blobPartial.value(hex);
            decided.resumeFrom = partial > 0 && partial <= l.blobSize ? partial : 0;
            plan.toSend << i;
            plan.bytesWholeLayers += l.blobSize;
        }
        plan.layers << decided;
    }
    return plan;
}

qint64 archiveResumeOffset(const ServerInventory &inventory, qint64 archiveSize)
{
    return inventory.archiveState == ServerInventory::ArchiveState::Partial && inventory.archivePartial <= archiveSize ? inventory.archivePartial : 0;
}

} // namespace Gantry
