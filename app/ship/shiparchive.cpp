// SPDX-License-Identifier: MIT
#include "shiparchive.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

Result<ShipArchive> openShipArchive(const QString &path, bool withLayers, const std::atomic_bool *cancel,
                                    const std::function<void(qint64, qint64)> &progress)
{
    ShipArchive archive;
    ImageArchive::Options options; // the caps' defaults, GANTRY_MAX_LAYER_SIZE included
    options.cancel = cancel;
    options.progress = progress;
    Result<ImageData> image = ImageArchive::read(path, options);
    if (!image) {
        if (image.failure().cancelled())
            return Failure(ErrorClass::Cancelled, u"Shipping was cancelled."_s);
        return image.failure();
    }
    archive.image = std::move(image).value();
    static const QRegularExpression tagRx(QRegularExpression::anchoredPattern(u"[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}"_s));
    for (const QString &tag : std::as_const(archive.image.config.repoTags))
        if (!tagRx.match(tag).hasMatch())
            return Failure(ErrorClass::ArchiveCorrupt,
                           u"The archive %1 names the image “%2”, which is not an image reference"_s.arg(path, tag.left(100)),
                           u"Export or save the image again."_s);
    if (!withLayers)
        return archive;
    auto layers = ImageLayerStream::open(path, archive.image, options.expandedLayerCap);
    if (!layers)
        return layers.failure();
    archive.layers = std::move(layers).value();
    return archive;
}

void describeForShip(const ImageData &image, PreparedImage &prepared)
{
    prepared.config = image.config.raw;
    prepared.configDigest = image.config.id;
    prepared.repoTags = image.config.repoTags;
    prepared.os = image.config.os;
    prepared.architecture = image.config.architecture;
    prepared.runRef = prepared.repoTags.isEmpty() ? prepared.configDigest : prepared.repoTags.constFirst();
    prepared.layers.clear();
    for (const ImageLayer &l : image.layers) {
        PreparedImage::Layer layer;
        layer.diffId = l.diffId; // checked against ^sha256:[0-9a-f]{64}$ by the reader
        layer.size = l.tarSize;
        prepared.layers << layer;
    }
}

} // namespace Gantry
