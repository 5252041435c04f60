// SPDX-License-Identifier: MIT
#include "exporter.h"

#include "docker/dockersave.h"

#include <KCompressionDevice>

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QTemporaryFile>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

KCompressionDevice::CompressionType deviceType(Compression c)
{
    switch (c) {
    case Compression::Gzip: return KCompressionDevice::GZip;
    case Compression::Zstd: return KCompressionDevice::Zstd;
    case Compression::Xz: return KCompressionDevice::Xz;
    case Compression::None: break;
    }
    return KCompressionDevice::None;
}

constexpr qint64 chunkSize = 1024 * 1024;

} // namespace

QString compressionName(Compression c)
{
    switch (c) {
    case Compression::Gzip: return u"gzip"_s;
    case Compression::Zstd: return u"zstd"_s;
    case Compression::Xz: return u"xz"_s;
    case Compression::None: break;
    }
    return u"none"_s;
}

QStringList compressionNames() { return {u"none"_s, u"gzip"_s, u"zstd"_s, u"xz"_s}; }

std::optional<Compression> compressionFromName(const QString &name)
{
    const QString n = name.trimmed().toLower();
    if (n == u"none" || n == u"plain" || n.isEmpty())
        return Compression::None;
    if (n == u"gzip" || n == u"gz")
        return Compression::Gzip;
    if (n == u"zstd" || n == u"zst")
        return Compression::Zstd;
    if (n == u"xz")
        return Compression::Xz;
    return std::nullopt;
}

QString compressionSuffix(Compression c)
{
    switch (c) {
    case Compression::Gzip: return u".tar.gz"_s;
    case Compression::Zstd: return u".tar.zst"_s;
    case Compression::Xz: return u".tar.xz"_s;
    case Compression::None: break;
    }
    return u".tar"_s;
}

QString fileSha256(const QString &path, const std::atomic_bool *cancel, const std::function<void(qint64)> &progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(chunkSize, Qt::Uninitialized);
    qint64 done = 0;
    for (;;) {
        if (cancel && cancel->load())
            return {};
        const qint64 n = file.read(buffer.data(), buffer.size());
        if (n < 0)
            return {};
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
        done += n;
        if (progress)
            progress(done);
    }
    return QString::fromLatin1(hash.result().toHex());
}

ExportResult exportImage(const ExportOptions &options, const ExportProgressFn &progress, const std::atomic_bool *cancel)
{
    ExportResult result;
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    const QFileInfo target(options.outputPath);
    if (options.image.trimmed().isEmpty()) {
        result.error = u"No image was given: name the image to export (e.g. myapp:latest)."_s;
        return result;
    }
    if (options.outputPath.isEmpty()) {
        result.error = u"No output file was given: choose where to write the archive."_s;
        return result;
    }
    if (!target.absoluteDir().exists()) {
        result.error = u"The folder %1 does not exist: create it or choose another place for the archive."_s
                           .arg(QDir::toNativeSeparators(target.absolutePath()));
        return result;
    }
    if (target.isDir()) {
        result.error = u"%1 is a folder: give a file name for the archive."_s.arg(QDir::toNativeSeparators(target.absoluteFilePath()));
        return result;
    }

    const EngineImageInfo info = inspectEngineImage(u"docker"_s, options.image);
    if (!info.ok) {
        result.error = info.error;
        return result;
    }
    ExportProgress p;
    p.total = qMax<qint64>(0, info.size);

    // A temporary name in the target folder (same file system, so the rename is atomic).
    QString tempPath;
    {
        QTemporaryFile temp(target.absoluteDir().filePath(u"."_s + target.fileName() + u".gantry-XXXXXX"_s));
        temp.setAutoRemove(false);
        if (!temp.open()) {
            result.error = u"Cannot write in %1 (%2): choose a folder you can write to."_s
                               .arg(QDir::toNativeSeparators(target.absolutePath()), temp.errorString());
            return result;
        }
        tempPath = temp.fileName();
    }
    struct Cleanup
    {
        QString path;
        ~Cleanup()
        {
            if (!path.isEmpty())
                QFile::remove(path);
        }
    } cleanup{tempPath};

    QFile file(tempPath);
    KCompressionDevice device(&file, false, deviceType(options.compression));
    if (!device.open(QIODevice::WriteOnly)) {
        result.error = u"Cannot open %1 for writing (%2): check the folder's permissions."_s.arg(tempPath, device.errorString());
        return result;
    }

    QCryptographicHash streamHash(QCryptographicHash::Sha256);
    QString writeError;
    qint64 lastReported = -1;
    const DockerSaveResult saved = streamDockerSave(
        u"docker"_s, options.image,
        [&](QByteArrayView chunk) {
            streamHash.addData(chunk);
            if (device.write(chunk.data(), chunk.size()) != chunk.size() || file.error() != QFileDevice::NoError) {
                writeError = file.errorString().isEmpty() ? device.errorString() : file.errorString();
                return false;
            }
            p.done += chunk.size();
            if (progress && (lastReported < 0 || p.done - lastReported >= 4 * chunkSize)) {
                lastReported = p.done;
                progress(p);
            }
            return true;
        },
        cancel);
    const qint64 streamBytes = saved.bytes;
    if (saved.cancelled) {
        device.close();
        result.cancelled = true;
        result.error = u"The export was cancelled; no archive was written."_s;
        return result;
    }
    if (writeError.isEmpty()) {
        device.close();
        if (file.error() != QFileDevice::NoError)
            writeError = file.errorString();
    }
    if (!writeError.isEmpty()) {
        result.error = u"Writing the archive in %1 failed (%2) — is the disk full? Nothing was left behind: free some space or choose another folder, then export again."_s
                           .arg(QDir::toNativeSeparators(target.absolutePath()), writeError);
        return result;
    }
    if (!saved.ok) {
        result.error = saved.error;
        return result;
    }

    // Verify: the file decompresses to exactly what docker sent.
    p.phase = ExportProgress::Verifying;
    p.total = streamBytes;
    p.done = 0;
    if (progress)
        progress(p);
    {
        KCompressionDevice check(tempPath, deviceType(options.compression));
        if (!check.open(QIODevice::ReadOnly)) {
            result.error = u"The archive could not be read back for verification (%1): export again."_s.arg(check.errorString());
            return result;
        }
        QCryptographicHash hash(QCryptographicHash::Sha256);
        QByteArray buffer(chunkSize, Qt::Uninitialized);
        qint64 read = 0;
        for (;;) {
            if (cancelled()) {
                result.cancelled = true;
                result.error = u"The export was cancelled; no archive was written."_s;
                return result;
            }
            const qint64 n = check.read(buffer.data(), buffer.size());
            if (n < 0) {
                result.error = u"The archive written to disk is damaged (%1): check the disk and export again."_s.arg(check.errorString());
                return result;
            }
            if (n == 0)
                break;
            hash.addData(QByteArrayView(buffer.constData(), n));
            read += n;
            p.done = read;
            if (progress && read - lastReported >= 4 * chunkSize) {
                lastReported = read;
                progress(p);
            }
        }
        if (read != streamBytes || hash.result() != streamHash.result()) {
            result.error = u"The archive written to disk does not match what docker sent (%1 of %2 bytes): check the disk and export again."_s
                               .arg(read).arg(streamBytes);
            return result;
        }
    }
    result.sha256 = fileSha256(tempPath, cancel);
    if (result.sha256.isEmpty()) {
        result.cancelled = cancelled();
        result.error = result.cancelled ? u"The export was cancelled; no archive was written."_s
                                        : u"The archive could not be read back to hash it: check the disk and export again."_s;
        return result;
    }
    result.archiveBytes = QFileInfo(tempPath).size();
    result.imageBytes = streamBytes;

    QFile::setPermissions(tempPath, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    // Complete and verified: now it gets its final name (rename(2) replaces atomically).
    const QString finalPath = target.absoluteFilePath();
    if (std::rename(QFile::encodeName(tempPath).constData(), QFile::encodeName(finalPath).constData()) != 0) {
        result.error = u"The archive could not be renamed to %1: check that you may write there."_s.arg(QDir::toNativeSeparators(finalPath));
        return result;
    }
    cleanup.path.clear();
    result.path = finalPath;

    QSaveFile sum(finalPath + u".sha256"_s);
    if (sum.open(QIODevice::WriteOnly)) {
        sum.write((result.sha256 + u"  "_s + target.fileName() + u'\n').toUtf8());
        if (sum.commit())
            result.sha256Path = sum.fileName();
    }
    if (result.sha256Path.isEmpty()) {
        result.error = u"The archive was written but %1.sha256 could not be: check the free space; the archive's sha256 is %2."_s
                           .arg(QDir::toNativeSeparators(finalPath), result.sha256);
        result.ok = true; // the archive itself is complete and verified
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace Gantry
