// SPDX-License-Identifier: MIT
#include "layerdelta.h"

#include "exporter.h" // fileSha256()
#include "util/cancelflag.h"
#include "util/digest.h"

#include <KArchiveDirectory>
#include <KCompressionDevice>
#include <KTar>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QScopeGuard>
#include <QTemporaryFile>

#define ZSTD_STATIC_LINKING_ONLY // ZSTD_c_stableInBuffer: no copy of the mapped layer
#include <zstd.h>

#include <memory>
#include <utility>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

Failure cancelled() { return {ErrorClass::Cancelled, u"Shipping was cancelled."_s}; }

Failure cacheFailure(const QString &what, const QString &detail)
{
    return {ErrorClass::Other, u"Gantry cannot %1 (%2)"_s.arg(what, detail), u"Check the free space of Gantry's cache folder."_s};
}

void collectFiles(const KArchiveDirectory *dir, const QString &prefix, QStringList &out)
{
    for (const QString &name : dir->entries()) {
        const KArchiveEntry *e = dir->entry(name);
        const QString path = prefix + name;
        if (e->isDirectory())
            collectFiles(static_cast<const KArchiveDirectory *>(e), path + u'/', out);
        else
            out << path;
    }
}

/// Maps a whole file read-only: nullptr for an empty file; what names the job in the Failure.
Result<const uchar *> mapFile(QFile &f, const QString &what)
{
    if (!f.open(QIODevice::ReadOnly))
        return cacheFailure(what, f.errorString());
    if (f.size() == 0)
        return static_cast<const uchar *>(nullptr);
    if (const uchar *p = f.map(0, f.size()))
        return p;
    return cacheFailure(what, f.errorString());
}

/// Maps both files (mapFile); the first one that cannot be mapped gives the Failure.
Result<std::pair<const uchar *, const uchar *>> mapFiles(QFile &first, QFile &second, const QString &what)
{
    const Result<const uchar *> a = mapFile(first, what);
    if (!a)
        return a.failure();
    const Result<const uchar *> b = mapFile(second, what);
    if (!b)
        return b.failure();
    return std::pair{*a, *b};
}

struct CCtxDeleter { void operator()(ZSTD_CCtx *c) const { ZSTD_freeCCtx(c); } };

Status configure(ZSTD_CCtx *cctx, int windowLog, int level, qint64 targetSize)
{
    const std::pair<ZSTD_cParameter, int> params[] = {
        {ZSTD_c_compressionLevel, level},
        {ZSTD_c_windowLog, windowLog},
        {ZSTD_c_enableLongDistanceMatching, 1},
        {ZSTD_c_checksumFlag, 1},
    };
    for (const auto &[param, value] : params)
        if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, param, value)))
            return Failure(ErrorClass::Other, u"libzstd refused a parameter (%1 = %2)"_s.arg(int(param)).arg(value),
                           u"Ship with --no-deltas and report this."_s);
    // A stable input (the mapped layer) spares zstd a copy of the window; optional.
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_stableInBuffer, 1);
    ZSTD_CCtx_setPledgedSrcSize(cctx, quint64(targetSize));
    return {};
}

} // namespace

Status unpackLayerBlob(const QString &gzBlob, const QString &diffId, const QString &dest, const std::atomic_bool *cancel)
{
    KCompressionDevice in(gzBlob, KCompressionDevice::GZip);
    if (!in.open(QIODevice::ReadOnly))
        return cacheFailure(u"read its cached layer %1"_s.arg(gzBlob), in.errorString());
    QSaveFile out(dest);
    if (!out.open(QIODevice::WriteOnly))
        return cacheFailure(u"write %1"_s.arg(dest), out.errorString());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(1 << 20, Qt::Uninitialized);
    for (;;) {
        if (isCancelled(cancel))
            return cancelled();
        const qint64 n = in.read(buffer.data(), buffer.size());
        if (n < 0)
            return Failure(ErrorClass::ArchiveCorrupt, u"Gantry's cached layer %1 is damaged"_s.arg(gzBlob),
                           u"Delete it; the next ship makes it again."_s);
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
        if (out.write(buffer.constData(), n) != n)
            return cacheFailure(u"write %1"_s.arg(dest), out.errorString());
    }
    if (QString::fromLatin1(hash.result().toHex()) != hexOf(diffId))
        return Failure(ErrorClass::ArchiveDigestMismatch, u"Gantry's cached layer %1 does not match its digest %2"_s.arg(gzBlob, diffId),
                       u"Delete it; the next ship makes it again."_s);
    if (!out.commit())
        return cacheFailure(u"write %1"_s.arg(dest), out.errorString());
    return {};
}

Result<LayerFiles> layerBlobFiles(const QString &gzBlob)
{
    QFile cached(gzBlob + u".paths"_s);
    if (QFileInfo(cached).lastModified() >= QFileInfo(gzBlob).lastModified() && cached.open(QIODevice::ReadOnly)) {
        QStringList lines = QString::fromUtf8(cached.readAll()).split(u'\n', Qt::SkipEmptyParts);
        if (!lines.isEmpty() && lines.constFirst().startsWith(u"size "_s))
            return LayerFiles{lines.takeFirst().mid(5).toLongLong(), lines};
    }
    LayerFiles files;
    {
        const Failure damaged(ErrorClass::ArchiveCorrupt, u"Gantry's cached layer %1 is damaged"_s.arg(gzBlob),
                              u"Delete it; the next ship makes it again."_s);
        KCompressionDevice in(gzBlob, KCompressionDevice::GZip);
        if (!in.open(QIODevice::ReadOnly))
            return damaged;
        QByteArray buffer(1 << 20, Qt::Uninitialized);
        for (qint64 n; (n = in.read(buffer.data(), buffer.size())) != 0;) {
            if (n < 0)
                return damaged;
            files.size += n;
        }
    }
    KTar tar(gzBlob, u"application/x-gzip"_s);
    if (!tar.open(QIODevice::ReadOnly))
        return Failure(ErrorClass::ArchiveCorrupt, u"Gantry's cached layer %1 cannot be read as a tar"_s.arg(gzBlob),
                       u"Delete it; the next ship makes it again."_s);
    collectFiles(tar.directory(), QString(), files.paths);
    files.paths.sort();
    QSaveFile out(cached.fileName());
    if (out.open(QIODevice::WriteOnly)) {
        out.write((u"size %1\n"_s.arg(files.size) + files.paths.join(u'\n')).toUtf8());
        out.commit();
    }
    return files;
}

Status encodeDelta(const QString &referenceFile, const QString &targetFile, const QString &patchPath, int windowLog,
                   int level, const DeltaProgressFn &progress, const std::atomic_bool *cancel)
{
    QFile refFile(referenceFile), targetIn(targetFile);
    const auto mapped = mapFiles(refFile, targetIn, u"map the layers to compare"_s);
    if (!mapped)
        return mapped.failure();
    const auto [ref, target] = *mapped;
    std::unique_ptr<ZSTD_CCtx, CCtxDeleter> cctx(ZSTD_createCCtx());
    if (const Status s = configure(cctx.get(), windowLog, level, targetIn.size()); !s)
        return s;
    if (ref && ZSTD_isError(ZSTD_CCtx_refPrefix(cctx.get(), ref, size_t(refFile.size()))))
        return Failure(ErrorClass::Other, u"libzstd refused the reference layer as prefix"_s, u"Ship with --no-deltas."_s);
    QSaveFile out(patchPath);
    if (!out.open(QIODevice::WriteOnly))
        return cacheFailure(u"write %1"_s.arg(patchPath), out.errorString());
    QByteArray buffer(int(ZSTD_CStreamOutSize()), Qt::Uninitialized);
    const qint64 total = targetIn.size();
    ZSTD_inBuffer in{target, 0, 0};
    for (;;) {
        if (isCancelled(cancel))
            return cancelled();
        in.size = size_t(qMin<qint64>(total, qint64(in.size) + (4 << 20))); // grows: a stable input
        const ZSTD_EndDirective mode = qint64(in.size) == total ? ZSTD_e_end : ZSTD_e_continue;
        ZSTD_outBuffer o{buffer.data(), size_t(buffer.size()), 0};
        const size_t left = ZSTD_compressStream2(cctx.get(), &o, &in, mode);
        if (ZSTD_isError(left))
            return Failure(ErrorClass::Other, u"zstd failed to make the delta: %1"_s.arg(QString::fromLatin1(ZSTD_getErrorName(left))),
                           u"Ship with --no-deltas."_s);
        if (out.write(buffer.constData(), qint64(o.pos)) != qint64(o.pos))
            return cacheFailure(u"write %1"_s.arg(patchPath), out.errorString());
        if (progress)
            progress(qint64(in.pos), total);
        if (mode == ZSTD_e_end && left == 0)
            break;
    }
    if (!out.commit())
        return cacheFailure(u"write %1"_s.arg(patchPath), out.errorString());
    return {};
}

Status decodeDelta(const QString &referenceFile, const QString &patchFile, const QString &outFile, int windowLog)
{
    QFile refFile(referenceFile), patch(patchFile);
    const auto mapped = mapFiles(refFile, patch, u"map the delta and its reference"_s);
    if (!mapped)
        return mapped.failure();
    const auto [ref, p] = *mapped;
    if (!p) // an empty patch: not a delta Gantry made
        return cacheFailure(u"map the delta and its reference"_s, patch.errorString());
    std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx *)> dctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
    ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, windowLog);
    if (ref)
        ZSTD_DCtx_refPrefix(dctx.get(), ref, size_t(refFile.size()));
    QSaveFile out(outFile);
    if (!out.open(QIODevice::WriteOnly))
        return cacheFailure(u"write %1"_s.arg(outFile), out.errorString());
    QByteArray buffer(int(ZSTD_DStreamOutSize()), Qt::Uninitialized);
    ZSTD_inBuffer in{p, size_t(patch.size()), 0};
    size_t left = 1;
    while (in.pos < in.size || left != 0) {
        ZSTD_outBuffer o{buffer.data(), size_t(buffer.size()), 0};
        left = ZSTD_decompressStream(dctx.get(), &o, &in);
        if (ZSTD_isError(left))
            return Failure(ErrorClass::ArchiveCorrupt, u"The delta %1 does not decode: %2"_s.arg(patchFile, QString::fromLatin1(ZSTD_getErrorName(left))));
        out.write(buffer.constData(), qint64(o.pos));
        if (o.pos == 0 && in.pos == in.size && left != 0)
            return Failure(ErrorClass::ArchiveTruncated, u"The delta %1 is truncated"_s.arg(patchFile));
    }
    if (!out.commit())
        return cacheFailure(u"write %1"_s.arg(outFile), out.errorString());
    return {};
}

Result<DeltaPatch> cachedLayerDelta(const QString &cacheDir, const QString &referenceDiffId, const QString &diffId,
                                    int windowLog, int level, const DeltaProgressFn &progress,
                                    const std::atomic_bool *cancel)
{
    const QDir cache(cacheDir);
    if (!cache.mkpath(u"patches"_s) || !cache.mkpath(u"work"_s))
        return cacheFailure(u"create its folders in %1"_s.arg(cacheDir), u"mkdir failed"_s);
    DeltaPatch patch;
    patch.diffId = diffId;
    patch.referenceDiffId = referenceDiffId;
    patch.path = cache.filePath(u"patches/%1.from-%2.w%3.zst"_s.arg(hexOf(diffId), hexOf(referenceDiffId)).arg(windowLog));
    QFile sidecar(patch.path + u".sha256"_s);
    if (QFileInfo::exists(patch.path) && sidecar.open(QIODevice::ReadOnly)) {
        const QStringList parts = QString::fromLatin1(sidecar.readAll()).split(u' ', Qt::SkipEmptyParts);
        if (parts.size() == 2 && parts.at(1).trimmed().toLongLong() == QFileInfo(patch.path).size()) {
            patch.sha256 = parts.at(0);
            patch.size = QFileInfo(patch.path).size();
            return patch;
        }
    }
    const QString refTar = cache.filePath(u"work/%1.tar"_s.arg(hexOf(referenceDiffId)));
    const QString targetTar = cache.filePath(u"work/%1.tar"_s.arg(hexOf(diffId)));
    const auto cleanup = qScopeGuard([&] { QFile::remove(refTar); QFile::remove(targetTar); });
    for (const auto &[id, tar] : {std::pair{referenceDiffId, refTar}, std::pair{diffId, targetTar}})
        if (const Status s = unpackLayerBlob(cache.filePath(u"blobs/%1.tar.gz"_s.arg(hexOf(id))), id, tar, cancel); !s)
            return s.failure();
    if (const Status s = encodeDelta(refTar, targetTar, patch.path, windowLog, level, progress, cancel); !s)
        return s.failure();
    patch.size = QFileInfo(patch.path).size();
    patch.sha256 = fileSha256(patch.path, cancel);
    QSaveFile side(sidecar.fileName());
    if (side.open(QIODevice::WriteOnly)) {
        side.write(u"%1 %2\n"_s.arg(patch.sha256).arg(patch.size).toLatin1());
        side.commit();
    }
    return patch;
}

} // namespace Gantry
