// SPDX-License-Identifier: MIT
#pragma once

#include "shipper.h"
#include "util/failure.h"

#include <QString>
#include <QTemporaryFile>

#include <atomic>
#include <functional>
#include <memory>

namespace Gantry {

class ImageLayerStream;

/// Gantry's local ship cache (ShipOptions::cacheDir, by default ~/.cache/gantry/ship):
///  - blobs/HEX.tar.gz: each layer gzip-compressed once, named by its diff id, with a
///    HEX.tar.gz.sha256 sidecar "SHA256 SIZE" of the gzip file (written after it: a blob
///    without a matching sidecar is made again);
///  - archives/ID.tar.gz: full-mode archives of engine images, one per image id, the three
///    most recently shipped kept so that an interrupted upload resumes byte for byte;
///  - .save-*.tar: the spool of a docker save (delta mode), removed when the ship ends.
namespace ShipCache {

/// Makes the cache's folders; a Failure says where and what to check.
Status makeFolders(const QString &cacheDir);

/// Layer index of archive as a gzip blob in blobDir: the cached one when its sidecar matches,
/// else compressed anew (checking that its uncompressed sha256 is the diff id). Fills
/// layer's blob fields. A failure leaves no temporary file.
Status cacheLayer(const ImageLayerStream &archive, int index, const QString &blobDir, PreparedImage::Layer &layer,
                  const std::atomic_bool *cancel);

/// The kept full-mode archive of image id idHex (which may not exist yet): the older ones past
/// the three newest are removed, and an existing one (with its .sha256) is touched so that
/// it stays among them.
QString keptArchive(const QString &cacheDir, const QString &idHex);

/// docker save of image into a new spool file in cacheDir (removed with the returned object);
/// progress gets the bytes written so far.
Result<std::unique_ptr<QTemporaryFile>> spoolImage(const QString &image, const QString &cacheDir, const std::function<void(qint64)> &progress,
                                const std::atomic_bool *cancel);

} // namespace ShipCache

} // namespace Gantry
