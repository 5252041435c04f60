// SPDX-License-Identifier: MIT
#include "shipcache.h"

#include "docker/dockersave.h"
#include "image/layerstream.h"

#include "exporter.h" // fileSha256()
#include "util/cancelflag.h"
#include "util/digest.h"

#include <KCompressionDevice>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace Gantry::ShipCache {

namespace {

QMutex &cacheMutex()
{
    static QMutex mutex;
    return mutex;
}

Failure cacheFailure(const QString &cause, const QString &fix = {}) { return Failure(ErrorClass::Other, cause, fix); }

/// The blob at path when its sidecar "SHA256 SIZE" matches the file's size.
bool reuseBlob(const QString &path, PreparedImage::Layer &layer)
{
    if (!QFileInfo::exists(path))
        return false;
    QFile f(path + u".sha256"_s);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QStringList parts = QString::fromLatin1(f.readAll()).split(u' ', Qt::SkipEmptyParts);
    if (parts.size() != 2 || parts.at(1).trimmed().toLongLong() != QFileInfo(path).size())
        return false;
    layer.blobPath = path;
    layer.blobSha256 = parts.at(0);
    layer.blobSize = QFileInfo(path).size();
    return true;
}

/// Copies input into out (gzip) and hashes what it read; returns the uncompressed size.
Result<qint64> compressInto(QIODevice &input, QTemporaryFile &temp, QCryptographicHash &hash, const QString &blobDir,
                            const std::atomic_bool *cancel)
{
    KCompressionDevice out(&temp, false, KCompressionDevice::GZip);
    if (!out.open(QIODevice::WriteOnly))
        return cacheFailure(u"Cannot compress into Gantry's cache %1"_s.arg(blobDir), u"Check the free space."_s);
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    qint64 total = 0;
    for (;;) {
        if (isCancelled(cancel))
            return Failure(ErrorClass::Cancelled, u"Shipping was cancelled."_s);
        const qint64 n = input.read(buffer.data(), buffer.size());
        if (n < 0)
            return cacheFailure(input.errorString()); // damaged, or past the layer cap: one sentence
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
        total += n;
        if (out.write(buffer.constData(), n) != n)
            return cacheFailure(u"Writing Gantry's cache %1 failed (%2)"_s.arg(blobDir, temp.errorString()), u"Free some disk space."_s);
    }
    out.close();
    if (temp.error() != QFileDevice::NoError)
        return cacheFailure(u"Writing Gantry's cache %1 failed (%2)"_s.arg(blobDir, temp.errorString()), u"Free some disk space."_s);
    return total;
}

/// Moves the finished temporary blob to path, then writes its sidecar.
Status storeBlob(QTemporaryFile &temp, const QString &path, const QString &blobDir, PreparedImage::Layer &layer)
{
    temp.close();
    layer.blobSha256 = fileSha256(temp.fileName());
    layer.blobSize = QFileInfo(temp.fileName()).size();
    QFile::remove(path);
    if (!temp.rename(path))
        return cacheFailure(u"Cannot store a layer in Gantry's cache %1"_s.arg(blobDir), u"Check its permissions."_s);
    temp.setAutoRemove(false);
    QSaveFile side(path + u".sha256"_s);
    if (side.open(QIODevice::WriteOnly)) {
        side.write(u"%1 %2\n"_s.arg(layer.blobSha256).arg(layer.blobSize).toLatin1());
        side.commit();
    }
    layer.blobPath = path;
    return {};
}

} // namespace

Status makeFolders(const QString &cacheDir)
{
    if (!QDir().mkpath(cacheDir + u"/blobs"_s) || !QDir().mkpath(cacheDir + u"/archives"_s))
        return cacheFailure(u"Gantry cannot create its cache folder %1"_s.arg(cacheDir), u"Check the permissions and the free space."_s);
    return {};
}

Status cacheLayer(const ImageLayerStream &archive, int index, const QString &blobDir, PreparedImage::Layer &layer,
                  const std::atomic_bool *cancel)
{
    const QString hex = hexOf(layer.diffId);
    const QString path = QDir(blobDir).filePath(hex + u".tar.gz"_s);
    QMutexLocker lock(&cacheMutex());
    if (reuseBlob(path, layer))
        return {};
    auto opened = archive.openLayer(index);
    if (!opened)
        return opened.failure();
    const std::unique_ptr<QIODevice> input = std::move(opened).value();
    QTemporaryFile temp(QDir(blobDir).filePath(u".blob-XXXXXX"_s));
    if (!temp.open())
        return cacheFailure(u"Cannot write in Gantry's cache %1 (%2)"_s.arg(blobDir, temp.errorString()), u"Check the free space."_s);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const Result<qint64> total = compressInto(*input, temp, hash, blobDir, cancel);
    if (!total)
        return total.failure();
    if (QString::fromLatin1(hash.result().toHex()) != hex)
        return Failure(ErrorClass::ArchiveDigestMismatch,
                       u"Layer %1 of the image does not match its digest %2: the archive is damaged"_s.arg(index + 1).arg(layer.diffId),
                       u"Export or build the image again."_s);
    layer.size = *total;
    return storeBlob(temp, path, blobDir, layer);
}

QString keptArchive(const QString &cacheDir, const QString &idHex)
{
    const QString archivePath = QDir(cacheDir).filePath(u"archives/%1.tar.gz"_s.arg(idHex));
    const QFileInfoList old = QDir(cacheDir + u"/archives"_s).entryInfoList({u"*.tar.gz"_s}, QDir::Files, QDir::Time);
    for (qsizetype i = 3; i < old.size(); ++i)
        if (old.at(i).absoluteFilePath() != archivePath) {
            QFile::remove(old.at(i).absoluteFilePath());
            QFile::remove(old.at(i).absoluteFilePath() + u".sha256"_s);
        }
    if (QFileInfo::exists(archivePath)) {
        QFile touch(archivePath);
        if (touch.open(QIODevice::ReadWrite))
            touch.setFileTime(QDateTime::currentDateTime(), QFileDevice::FileModificationTime);
        // The .sha256 must stay at least as new as the archive for it to be trusted.
        QFile sumTouch(archivePath + u".sha256"_s);
        if (sumTouch.open(QIODevice::ReadWrite))
            sumTouch.setFileTime(QDateTime::currentDateTime(), QFileDevice::FileModificationTime);
    }
    return archivePath;
}

Result<std::unique_ptr<QTemporaryFile>> spoolImage(const QString &image, const QString &cacheDir,
                                                        const std::function<void(qint64)> &progress, const std::atomic_bool *cancel)
{
    auto saved = std::make_unique<QTemporaryFile>(QDir(cacheDir).filePath(u".save-XXXXXX.tar"_s));
    if (!saved->open())
        return cacheFailure(u"Cannot write in Gantry's cache %1"_s.arg(cacheDir), u"Check the free space."_s);
    saved->close();
    QFile spool(saved->fileName());
    if (!spool.open(QIODevice::WriteOnly))
        return cacheFailure(u"Cannot write in Gantry's cache %1 (%2)"_s.arg(cacheDir, spool.errorString()), u"Check the free space and the permissions."_s);
    const Result<qint64> r = spoolDockerSave(u"docker"_s, image, spool, u"the image into Gantry's cache %1"_s.arg(cacheDir), progress, cancel);
    if (!r && r.failure().cancelled())
        return Failure(ErrorClass::Cancelled, u"Shipping was cancelled."_s);
    if (!r)
        return r.failure();
    spool.close();
    return saved;
}

} // namespace Gantry::ShipCache
