// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace Gantry {

/// A zstd patch of a layer against an earlier layer (its reference): what
/// `zstd --patch-from=REFERENCE LAYER` writes, made with libzstd.
struct DeltaPatch
{
    QString path;         ///< the .zst file
    QString sha256;       ///< hex of the patch file
    qint64 size = 0;
    QString diffId;       ///< the layer it rebuilds
    QString referenceDiffId;
};

using DeltaProgressFn = std::function<void(qint64 done, qint64 total)>;

/// Unpacks a gzip layer blob of Gantry's cache into dest (uncompressed), checking that the
/// bytes hash to diffId. dest is written under a temporary name and renamed when right.
Status unpackLayerBlob(const QString &gzBlob, const QString &diffId, const QString &dest, const std::atomic_bool *cancel);

/// A cached layer's uncompressed size and its files (not folders), sorted.
struct LayerFiles
{
    qint64 size = 0;
    QStringList paths;
};

/// The size and files of a gzip layer blob of Gantry's cache; kept beside it as BLOB.paths
/// (read once per layer, then reused).
Result<LayerFiles> layerBlobFiles(const QString &gzBlob);

/// Writes to patchPath a zstd frame that rebuilds targetFile from referenceFile (both
/// uncompressed): the reference as prefix, long-distance matching, window 2^windowLog,
/// a content checksum. Both files are mapped, not read into memory.
Status encodeDelta(const QString &referenceFile, const QString &targetFile, const QString &patchPath, int windowLog,
                   int level, const DeltaProgressFn &progress, const std::atomic_bool *cancel);

/// Decodes patchFile against referenceFile into outFile (for tests and checks on this side;
/// the server runs `zstd -d --patch-from`).
Status decodeDelta(const QString &referenceFile, const QString &patchFile, const QString &outFile, int windowLog);

/// The patch of layer diffId against referenceDiffId, made from the gzip blobs in
/// cacheDir/blobs and kept in cacheDir/patches (made once, then reused for every server).
Result<DeltaPatch> cachedLayerDelta(const QString &cacheDir, const QString &referenceDiffId, const QString &diffId,
                                    int windowLog, int level, const DeltaProgressFn &progress,
                                    const std::atomic_bool *cancel);

} // namespace Gantry
