// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace Gantry {

/// A layer as the delta plan sees it: a layer to send, or one that may serve as a reference.
struct DeltaLayer
{
    QString diffId;       ///< sha256:... of the uncompressed layer
    qint64 size = 0;      ///< uncompressed bytes
    qint64 wholeSize = 0; ///< the gzip blob, what sending it whole costs
    QStringList paths;    ///< the files (not folders) in the layer
};

/// What the plan may use; the defaults are Gantry's.
struct DeltaLimits
{
    /// The reference plus the layer must fit in the zstd window: 2^30 (1 GiB) bounds the
    /// memory of both sides (the decoder holds one window; the encoder maps both files).
    int maxWindowLog = 30;
    /// Layers whose gzip blob is smaller than this go whole: a patch would save a few KB
    /// and cost two more round trips.
    qint64 minWholeSize = 16 * 1024;
    /// A patch larger than this fraction of the whole layer is not worth its risk: whole.
    double maxPatchRatio = 0.8;
};

/// For one layer to send: a delta against referenceDiffId, or whole and why.
struct DeltaChoice
{
    QString diffId;
    bool delta = false;
    QString referenceDiffId;
    int sharedPaths = 0;  ///< files of the layer the reference also holds
    int windowLog = 0;    ///< zstd window (encoder) and --long (decoder)
    int level = 0;        ///< zstd compression level
    QString whyWhole;     ///< when !delta: "the server has no zstd", ... (a clause, no full stop)
};

struct DeltaPlanInput
{
    QList<DeltaLayer> toSend;       ///< the layers the server lacks
    QList<DeltaLayer> clientLayers; ///< layers whose blob the client has cached (with their paths)
    QSet<QString> serverBlobs;      ///< diff ids whose blob the server holds
    QString serverZstd;             ///< what `zstd -V` printed on the server; empty: no zstd
};

/// The reference for each layer to send: among the layers both sides hold, the one sharing
/// the most files with it (the earlier version of the binary's layer holds the binary), ties
/// to the closest size. Pure: no ssh, no files.
QList<DeltaChoice> planDeltas(const DeltaPlanInput &input, const DeltaLimits &limits = {});

/// The zstd window for a patch of a layer against a reference: the smallest power of two
/// holding both (at least 2^20); 0 when that exceeds 2^maxWindowLog.
int deltaWindowLog(qint64 referenceSize, qint64 targetSize, int maxWindowLog = 30);

/// The compression level: 19 (what `zstd -19 --patch-from` does) up to 128 MiB of data,
/// lower above so that a layer of hundreds of MB does not take minutes.
int deltaLevel(qint64 referenceSize, qint64 targetSize);

/// Whether a server's `zstd -V` line names a zstd with --patch-from (1.4.5 or later).
bool zstdHasPatchFrom(const QString &versionLine);

/// Empty when a patch of patchSize is worth sending instead of the whole layer (wholeSize);
/// otherwise why not, as a clause ("the delta (1.2 MB) would save too little against 1.4 MB").
QString deltaNotWorthIt(qint64 patchSize, qint64 wholeSize, const DeltaLimits &limits = {});

} // namespace Gantry
