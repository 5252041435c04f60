// SPDX-License-Identifier: MIT
#pragma once

#include "image/imagearchive.h"
#include "image/layerstream.h"
#include "shipper.h"
#include "util/failure.h"

#include <atomic>
#include <functional>
#include <memory>

namespace Gantry {

/// An image archive as Ship reads it: through ImageArchive, the hardened reader Inspect and
/// Export use (links, traversal, JSON and entry caps, decompression bombs, the digest
/// grammar), then its layers streamed by ImageLayerStream under the same cap.
struct ShipArchive
{
    ImageData image;
    std::unique_ptr<ImageLayerStream> layers;
};

/// Reads and checks path (a docker-archive or OCI layout; plain, gzip or zstd). The repository
/// tags, which Ship passes on to the server, must be image references. withLayers: also open
/// the layers for reading (delta mode; full mode sends the file as it is). progress gets
/// (done, total), total -1 when unknown.
Result<ShipArchive> openShipArchive(const QString &path, bool withLayers, const std::atomic_bool *cancel,
                                    const std::function<void(qint64, qint64)> &progress = {});

/// The image's config, digest, tags, platform, run reference and layers, for shipping.
void describeForShip(const ImageData &image, PreparedImage &prepared);

} // namespace Gantry
