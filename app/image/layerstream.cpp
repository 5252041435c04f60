// SPDX-License-Identifier: MIT
#include "layerstream.h"
#include "util/format.h"

#include <KArchiveDirectory>
#include <KArchiveFile>
#include <KCompressionDevice>
#include <KTar>

#include <QCoreApplication>
#include <QDir>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Gantry::ImageArchive", text);
}

/// One layer's uncompressed tar: the entry's bytes, decompressed when the blob is, counted,
/// and refused past the cap (a layer swapped for a bomb after it was checked, too).
class LayerDevice : public QIODevice
{
public:
    LayerDevice(std::unique_ptr<QIODevice> entry, std::unique_ptr<KCompressionDevice> decompressor, QString blobPath,
                qint64 blobSize, qint64 cap)
        : m_entry(std::move(entry))
        , m_decompressor(std::move(decompressor))
        , m_blobPath(std::move(blobPath))
        , m_blobSize(blobSize)
        , m_cap(cap)
    {
        QIODevice::open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        QIODevice *source = m_decompressor ? static_cast<QIODevice *>(m_decompressor.get()) : m_entry.get();
        const qint64 n = source->read(data, maxSize);
        if (n < 0) {
            setErrorString(tr("Layer “%1” of the image archive is damaged (%2): export or save the image again.")
                               .arg(m_blobPath, source->errorString()));
            return -1;
        }
        m_done += n;
        if (m_cap > 0 && m_done > m_cap && !m_decompressor) {
            setErrorString(tr("Layer “%1” is %2, past the limit of %3 for one layer: refusing it (if the layer is real, raise the limit with "
                              "--max-layer-size or GANTRY_MAX_LAYER_SIZE).")
                               .arg(m_blobPath, formatBytes(m_blobSize), formatBytes(m_cap)));
            return -1;
        }
        if (m_cap > 0 && m_done > m_cap) {
            setErrorString(tr("Layer “%1” expands from %2 to more than %3, past the limit of %4 for one layer: a decompression bomb, not an "
                              "application layer; refusing it (if the layer is real, raise the limit with --max-layer-size or GANTRY_MAX_LAYER_SIZE).")
                               .arg(m_blobPath, formatBytes(m_blobSize), formatBytes(m_cap), formatBytes(m_cap)));
            return -1;
        }
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    std::unique_ptr<QIODevice> m_entry;
    std::unique_ptr<KCompressionDevice> m_decompressor;
    QString m_blobPath;
    qint64 m_blobSize = 0;
    qint64 m_cap = 0;
    qint64 m_done = 0;
};

} // namespace

ImageLayerStream::~ImageLayerStream() = default;

Result<std::unique_ptr<ImageLayerStream>> ImageLayerStream::open(const QString &path, const ImageData &image, qint64 expandedLayerCap)
{
    std::unique_ptr<ImageLayerStream> s(new ImageLayerStream);
    s->m_cap = expandedLayerCap;
    for (const ImageLayer &l : image.layers)
        s->m_blobPaths << l.blobPath;
    s->m_file.setFileName(path);
    if (!s->m_file.open(QIODevice::ReadOnly))
        return Failure(ErrorClass::Unreadable, tr("Cannot open “%1” (%2)").arg(QDir::toNativeSeparators(path), s->m_file.errorString()),
                       tr("Check the file and its permissions."));
    QString compression;
    QIODevice *outer = &s->m_file;
    if (const auto type = sniffCompression(&s->m_file, &compression); type != KCompressionDevice::None) {
        // Streamed: KTar seeks forward through the decompressor; nothing goes to disk.
        s->m_decompressor = std::make_unique<KCompressionDevice>(&s->m_file, false, type);
        if (!s->m_decompressor->open(QIODevice::ReadOnly))
            return Failure(ErrorClass::ArchiveCorrupt, tr("Cannot decompress “%1” (%2)").arg(QDir::toNativeSeparators(path), compression),
                           tr("Export or save the image again."));
        outer = s->m_decompressor.get();
    }
    s->m_tar = std::make_unique<KTar>(outer);
    if (!s->m_tar->open(QIODevice::ReadOnly))
        return Failure(ErrorClass::ArchiveNotTar, tr("“%1” is not a readable tar archive (%2)").arg(QDir::toNativeSeparators(path), s->m_tar->errorString()),
                       tr("Export or save the image again."));
    return s;
}

Result<std::unique_ptr<QIODevice>> ImageLayerStream::openLayer(int index) const
{
    const QString blobPath = m_blobPaths.value(index);
    QString clean = QDir::cleanPath(blobPath);
    if (clean.startsWith(u"./"_s))
        clean = clean.mid(2);
    const KArchiveEntry *e = blobPath.isEmpty() ? nullptr : m_tar->directory()->entry(clean);
    const auto *file = e && e->isFile() ? static_cast<const KArchiveFile *>(e) : nullptr;
    if (!file || !file->symLinkTarget().isEmpty())
        return Failure(ErrorClass::ArchiveMissingEntry, tr("Layer %1 (“%2”) is missing from the image archive or is not a file").arg(index + 1).arg(blobPath),
                       tr("Export or save the image again."));
    std::unique_ptr<QIODevice> raw(file->createDevice());
    if (!raw || (!raw->isOpen() && !raw->open(QIODevice::ReadOnly)))
        return Failure(ErrorClass::ArchiveCorrupt, tr("Layer %1 (“%2”) of the image archive cannot be read").arg(index + 1).arg(blobPath),
                       tr("Export or save the image again."));
    QString compression;
    std::unique_ptr<KCompressionDevice> decompressor;
    if (const auto type = sniffCompression(raw.get(), &compression); type != KCompressionDevice::None) {
        decompressor = std::make_unique<KCompressionDevice>(raw.get(), false, type);
        if (!decompressor->open(QIODevice::ReadOnly))
            return Failure(ErrorClass::ArchiveCorrupt, tr("Layer %1 (“%2”) cannot be decompressed (%3)").arg(index + 1).arg(blobPath, compression),
                           tr("Export or save the image again."));
    }
    return std::unique_ptr<QIODevice>(new LayerDevice(std::move(raw), std::move(decompressor), blobPath, file->size(), m_cap));
}

} // namespace Gantry
