// SPDX-License-Identifier: MIT
#pragma once

#include "imagearchive.h"
#include "util/failure.h"

#include <QFile>
#include <QIODevice>
#include <QStringList>

#include <memory>

class KTar;
class KCompressionDevice;

namespace Gantry {

/// The layers' bytes of an archive that ImageArchive::read has accepted: the one reader
/// for Inspect, Export and Ship. The file is reopened the way ImageArchive reads it (KTar
/// over the file, or over a KCompressionDevice for a .tar.gz / .tar.zst: streamed, never
/// decompressed to disk), and each layer's tar is decompressed as it is read and cut off
/// past the same expanded-size cap (ImageReadOptions::expandedLayerCap).
class ImageLayerStream
{
public:
    /// Opens path, whose reading by ImageArchive gave image.
    static Result<std::unique_ptr<ImageLayerStream>> open(const QString &path, const ImageData &image, qint64 expandedLayerCap);
    ~ImageLayerStream();
    ImageLayerStream(const ImageLayerStream &) = delete;
    ImageLayerStream &operator=(const ImageLayerStream &) = delete;

    int layerCount() const { return int(m_blobPaths.size()); }
    /// Layer index's uncompressed tar, read once from the start. A read that passes the cap
    /// or meets damaged data returns -1, and the device's errorString() is one sentence.
    Result<std::unique_ptr<QIODevice>> openLayer(int index) const;

private:
    ImageLayerStream() = default;

    QFile m_file;
    std::unique_ptr<KCompressionDevice> m_decompressor;
    std::unique_ptr<KTar> m_tar;
    QStringList m_blobPaths;
    qint64 m_cap = 0;
};

} // namespace Gantry
