// SPDX-License-Identifier: MIT
#include "exporter.h"

#include "docker/dockersave.h"
#include "util/failure.h"

#include <KCompressionDevice>

#include <QCryptographicHash>
#include <QDir>
#include <QRegularExpression>
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

QString defaultExportPath(const QString &image, Compression compression, const QString &folder)
{
    QString base = image;
    base.replace(QRegularExpression(u"[^A-Za-z0-9._-]+"_s), u"-"_s);
    return QDir(folder).filePath(base + compressionSuffix(compression));
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

namespace {

const QString cancelledSentence = u"The export was cancelled; no archive was written."_s;

Failure exportFailure(const QString &cause, const QString &fix = {}) { return Failure(ErrorClass::Other, cause, fix); }

/// Why options cannot be exported to target at all (before docker is asked).
Status checkTarget(const ExportOptions &options, const QFileInfo &target)
{
    if (options.image.trimmed().isEmpty())
        return exportFailure(u"No image was given"_s, u"Name the image to export (e.g. myapp:latest)."_s);
    if (options.outputPath.isEmpty())
        return exportFailure(u"No output file was given"_s, u"Choose where to write the archive."_s);
    if (!target.absoluteDir().exists())
        return Failure(ErrorClass::NotFound, u"The folder %1 does not exist: create it or choose another place for the archive."_s
                                                 .arg(QDir::toNativeSeparators(target.absolutePath())));
    if (target.isDir())
        return exportFailure(u"%1 is a folder"_s.arg(QDir::toNativeSeparators(target.absoluteFilePath())), u"Give a file name for the archive."_s);
    return {};
}

/// A temporary name in the target folder (same file system, so the rename is atomic).
Result<QString> temporaryBeside(const QFileInfo &target)
{
    QTemporaryFile temp(target.absoluteDir().filePath(u"."_s + target.fileName() + u".gantry-XXXXXX"_s));
    temp.setAutoRemove(false);
    if (!temp.open())
        return Failure(ErrorClass::Unreadable, u"Cannot write in %1 (%2): choose a folder you can write to."_s
                                                   .arg(QDir::toNativeSeparators(target.absolutePath()), temp.errorString()));
    return temp.fileName();
}

/// Progress every 4 chunks.
class Reporter
{
public:
    Reporter(ExportProgress &p, const ExportProgressFn &fn) : m_p(p), m_fn(fn) {}
    void report(bool force = false)
    {
        if (m_fn && (force || m_last < 0 || m_p.done - m_last >= 4 * chunkSize)) {
            m_last = m_p.done;
            m_fn(m_p);
        }
    }
    void restart() { m_last = -1; }

private:
    ExportProgress &m_p;
    const ExportProgressFn &m_fn;
    qint64 m_last = -1;
};

struct Written
{
    qint64 bytes = 0;   ///< of the docker save stream
    QByteArray sha256;  ///< of the docker save stream (binary)
};

/// docker save of image, compressed into tempPath; the stream's size and hash.
Result<Written> writeArchive(const ExportOptions &options, const QString &tempPath, const QFileInfo &target, ExportProgress &p,
                             Reporter &reporter, const std::atomic_bool *cancel)
{
    QFile file(tempPath);
    KCompressionDevice device(&file, false, deviceType(options.compression));
    if (!device.open(QIODevice::WriteOnly))
        return exportFailure(u"Cannot open %1 for writing (%2)"_s.arg(tempPath, device.errorString()), u"Check the folder's permissions."_s);
    QCryptographicHash streamHash(QCryptographicHash::Sha256);
    const auto writeFailure = [&](const QString &why) {
        return exportFailure(u"Writing the archive in %1 failed (%2): is the disk full? Nothing was left behind"_s
                                 .arg(QDir::toNativeSeparators(target.absolutePath()), why),
                             u"Free some space or choose another folder, then export again."_s);
    };
    const Result<qint64> saved = streamDockerSave(
        u"docker"_s, options.image,
        [&](QByteArrayView chunk) -> Status {
            streamHash.addData(chunk);
            if (device.write(chunk.data(), chunk.size()) != chunk.size() || file.error() != QFileDevice::NoError)
                return writeFailure(file.errorString().isEmpty() ? device.errorString() : file.errorString());
            p.done += chunk.size();
            reporter.report();
            return {};
        },
        cancel);
    if (!saved && saved.failure().cancelled())
        return Failure(ErrorClass::Cancelled, cancelledSentence);
    if (!saved)
        return saved.failure();
    device.close();
    if (file.error() != QFileDevice::NoError)
        return writeFailure(file.errorString());
    return Written{*saved, streamHash.result()};
}

/// The file decompresses to exactly what docker sent.
Status verifyArchive(const QString &tempPath, Compression compression, const Written &written, ExportProgress &p,
                     Reporter &reporter, const std::atomic_bool *cancel)
{
    p.phase = ExportProgress::Verifying;
    p.total = written.bytes;
    p.done = 0;
    reporter.restart();
    reporter.report(true);
    KCompressionDevice check(tempPath, deviceType(compression));
    if (!check.open(QIODevice::ReadOnly))
        return exportFailure(u"The archive could not be read back for verification (%1)"_s.arg(check.errorString()), u"Export again."_s);
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QByteArray buffer(chunkSize, Qt::Uninitialized);
    for (;;) {
        if (cancel && cancel->load())
            return Failure(ErrorClass::Cancelled, cancelledSentence);
        const qint64 n = check.read(buffer.data(), buffer.size());
        if (n < 0)
            return exportFailure(u"The archive written to disk is damaged (%1)"_s.arg(check.errorString()), u"Check the disk and export again."_s);
        if (n == 0)
            break;
        hash.addData(QByteArrayView(buffer.constData(), n));
        p.done += n;
        reporter.report();
    }
    if (p.done != written.bytes || hash.result() != written.sha256)
        return exportFailure(u"The archive written to disk does not match what docker sent (%1 of %2 bytes)"_s.arg(p.done).arg(written.bytes),
                             u"Check the disk and export again."_s);
    return {};
}

/// The verified temporary file gets its final name (rename(2) replaces atomically).
Status giveFinalName(const QString &tempPath, const QString &finalPath)
{
    QFile::setPermissions(tempPath, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    if (std::rename(QFile::encodeName(tempPath).constData(), QFile::encodeName(finalPath).constData()) != 0)
        return exportFailure(u"The archive could not be renamed to %1"_s.arg(QDir::toNativeSeparators(finalPath)), u"Check that you may write there."_s);
    return {};
}

/// FILE.sha256 beside the archive, in the format `sha256sum -c` reads; its path, or empty.
QString writeSha256File(const QString &finalPath, const QString &sha256)
{
    QSaveFile sum(finalPath + u".sha256"_s);
    if (!sum.open(QIODevice::WriteOnly))
        return {};
    sum.write((sha256 + u"  "_s + QFileInfo(finalPath).fileName() + u'\n').toUtf8());
    return sum.commit() ? sum.fileName() : QString();
}

} // namespace

ExportOutcome exportImage(const ExportOptions &options, const ExportProgressFn &progress, const std::atomic_bool *cancel)
{
    const QFileInfo target(options.outputPath);
    if (const Status ok = checkTarget(options, target); !ok)
        return ok.failure();
    const Result<EngineImage> info = inspectEngineImage(u"docker"_s, options.image);
    if (!info)
        return info.failure();
    const Result<QString> temp = temporaryBeside(target);
    if (!temp)
        return temp.failure();
    struct Cleanup
    {
        QString path;
        ~Cleanup()
        {
            if (!path.isEmpty())
                QFile::remove(path);
        }
    } cleanup{*temp};

    ExportProgress p;
    p.total = qMax<qint64>(0, info->size);
    Reporter reporter(p, progress);
    const Result<Written> written = writeArchive(options, *temp, target, p, reporter, cancel);
    if (!written)
        return written.failure();
    if (const Status verified = verifyArchive(*temp, options.compression, *written, p, reporter, cancel); !verified)
        return verified.failure();
    ExportedArchive result;
    result.sha256 = fileSha256(*temp, cancel);
    if (result.sha256.isEmpty())
        return cancel && cancel->load() ? Failure(ErrorClass::Cancelled, cancelledSentence)
                                        : exportFailure(u"The archive could not be read back to hash it"_s, u"Check the disk and export again."_s);
    result.archiveBytes = QFileInfo(*temp).size();
    result.imageBytes = written->bytes;
    const QString finalPath = target.absoluteFilePath();
    if (const Status renamed = giveFinalName(*temp, finalPath); !renamed)
        return renamed.failure();
    cleanup.path.clear();
    result.path = finalPath; // from here the archive itself is complete and verified
    result.sha256Path = writeSha256File(finalPath, result.sha256);
    if (result.sha256Path.isEmpty())
        result.warning = u"The archive was written but %1.sha256 could not be: check the free space; the archive's sha256 is %2."_s
                             .arg(QDir::toNativeSeparators(finalPath), result.sha256);
    return result;
}

} // namespace Gantry
