// SPDX-License-Identifier: MIT
#include "layerread.h"

#include "headerauditdevice.h"
#include "util/format.h"

#include <KArchiveDirectory>
#include <KArchiveFile>
#include <KCompressionDevice>
#include <KTar>

#include <QCoreApplication>
#include <QDir>

#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

// The same translation context as the rest of the image reader.
QString tr(const char *text)
{
    return QCoreApplication::translate("Gantry::ImageArchive", text);
}

Failure cancelledFailure()
{
    return Failure(ErrorClass::Cancelled, tr("Cancelled."));
}

} // namespace

bool climbsOut(const QString &linkPath, const QString &target)
{
    if (target.isEmpty() || target.startsWith(u'/'))
        return false; // absolute targets resolve inside the container's root
    const QString dir = linkPath.left(linkPath.lastIndexOf(u'/'));
    const QString resolved = QDir::cleanPath(dir + u'/' + target);
    return resolved == u".."_s || resolved.startsWith(u"../"_s) || resolved.startsWith(u"/.."_s);
}

namespace {

/// Walks one layer's tar directory tree into layer.entries, refusing hostile paths and links;
/// remembers which file's data ends furthest (checked afterwards: a truncated layer).
struct LayerReader
{
    PathTable &paths;
    ImageLayer &layer;
    QString blobName;
    const QHash<QString, QString> *renames = nullptr;
    qint64 maxEnd = 0;
    QString maxEndName;
    qint64 maxEndSize = 0;

    // Real images nest a few dozen levels; PATH_MAX is 4096. Deeper or longer is hostile.
    static constexpr int maxDepth = 256;
    static constexpr qsizetype maxPath = 4096;

    Status walk(const KArchiveDirectory *dir, const QString &prefix, int depth = 0)
    {
        if (depth > maxDepth || prefix.size() > maxPath)
            return Failure(ErrorClass::ArchiveUnsafePath,
                           tr("Layer “%1” has folders nested deeper than %2 levels or a path longer than %3 characters (“%4…”): refusing a hostile archive.")
                               .arg(blobName)
                               .arg(maxDepth)
                               .arg(maxPath)
                               .arg(prefix.left(60)));
        const QStringList names = dir->entries();
        for (const QString &name : names) {
            const KArchiveEntry *e = dir->entry(name);
            if (!e || name.isEmpty())
                continue; // "/" itself (kaniko writes it)
            if (Status s = add(e, prefix, name, depth); !s)
                return s;
        }
        return {};
    }

private:
    /// Entry NAME of the directory at PREFIX (a directory is walked in turn).
    Status add(const KArchiveEntry *e, const QString &prefix, const QString &name, int depth)
    {
        if (name == u".." || name == u".")
            return Failure(ErrorClass::ArchiveUnsafePath,
                           tr("Layer “%1” has an entry “%2/%3” that points outside the image: refusing a hostile archive.")
                               .arg(blobName, prefix, name));
        const QString ktarPath = prefix + u'/' + name;
        const QString path = renames && !renames->isEmpty() ? renames->value(ktarPath, ktarPath) : ktarPath;
        if (path.size() > maxPath || path.count(u'/') > maxDepth + 1)
            return Failure(ErrorClass::ArchiveUnsafePath,
                           tr("Layer “%1” has a path longer than %2 characters or %3 levels (“%4…”): refusing a hostile archive.")
                               .arg(blobName)
                               .arg(maxPath)
                               .arg(maxDepth)
                               .arg(path.left(60)));
        LayerEntry entry;
        entry.mode = quint32(e->permissions() & 07777);
        if (e->isDirectory()) {
            entry.kind = LayerEntry::Kind::Directory;
            entry.path = paths.intern(path);
            layer.entries.append(entry);
            return walk(static_cast<const KArchiveDirectory *>(e), ktarPath, depth + 1);
        }
        const qsizetype slash = path.lastIndexOf(u'/');
        const QString realName = path.mid(slash + 1);
        if (realName.startsWith(u".wh."_s)) {
            addWhiteout(entry, path.left(slash), realName);
            return {};
        }
        const QString target = e->symLinkTarget();
        if (!target.isEmpty()) {
            if (climbsOut(path, target))
                return Failure(ErrorClass::ArchiveUnsafeLink,
                               tr("Layer “%1”: the link “%2” → “%3” points outside the image: refusing a hostile archive.")
                                   .arg(blobName, path, target));
            entry.kind = LayerEntry::Kind::Link;
        } else {
            const auto *f = static_cast<const KArchiveFile *>(e);
            entry.kind = LayerEntry::Kind::File;
            entry.size = f->size();
            if (const qint64 end = f->position() + f->size(); end > maxEnd) {
                maxEnd = end;
                maxEndName = path;
                maxEndSize = f->size();
            }
        }
        entry.path = paths.intern(path);
        layer.entries.append(entry);
        return {};
    }

    /// ".wh..wh..opq" hides the whole directory below; ".wh.NAME" deletes NAME.
    void addWhiteout(LayerEntry &entry, const QString &parentPath, const QString &realName)
    {
        if (realName == u".wh..wh..opq"_s) {
            entry.kind = LayerEntry::Kind::OpaqueMarker;
            entry.path = paths.intern(parentPath.isEmpty() ? u"/"_s : parentPath);
        } else {
            entry.kind = LayerEntry::Kind::Whiteout;
            entry.path = paths.intern(parentPath + u'/' + realName.mid(4));
        }
        layer.entries.append(entry);
    }
};

/// Reads one layer blob: opens it (decompressing as needed) under a header audit that refuses
/// hostile headers and decompression bombs, walks its entries, checks that the last file's data
/// is really there, and reads a compressed stream to its end (damage shows, the size is known).
class LayerRead
{
public:
    LayerRead(const KArchiveFile *blob, ImageLayer &layer, PathTable &paths, const ImageArchive::Options &options)
        : m_blob(blob), m_layer(layer), m_paths(paths), m_options(options)
    {
    }

    Status run()
    {
        if (Status s = open(); !s)
            return s;
        HeaderAuditDevice audit(m_tarDevice);
        audit.setCancelFlag(&m_stop);
        audit.setProgress([this](qint64 done) {
            if (m_options.cancel && m_options.cancel->load())
                m_stop = true;
            if (tooExpanded(done)) {
                m_bombAt = done;
                m_stop = true;
            }
        });
        KTar tar(&audit);
        const bool opened = tar.open(QIODevice::ReadOnly);
        if (Status s = checkOpened(audit, tar, opened); !s)
            return s;
        LayerReader reader{m_paths, m_layer, m_layer.blobPath, &audit.paxRenames(), 0, {}, 0};
        if (Status s = reader.walk(tar.directory(), QString()); !s)
            return s;
        // The last entry's data must really be there (a truncated stream or a false size).
        if (reader.maxEnd > audit.furthest() && !audit.seek(reader.maxEnd)) {
            if (m_bombAt >= 0)
                return bomb(m_bombAt);
            return Failure(ErrorClass::ArchiveTruncated,
                           tr("Layer “%1”: the data of “%2” (declared %3) ends early: the layer is truncated or the declared size is false.")
                               .arg(m_layer.blobPath, reader.maxEndName, formatBytes(reader.maxEndSize)));
        }
        return drain();
    }

private:
    /// The blob as a device over its entry, behind a decompressor when it is compressed.
    Status open()
    {
        if (!m_blob->symLinkTarget().isEmpty())
            return Failure(ErrorClass::ArchiveUnsafeLink,
                           tr("The layer “%1” is a link to “%2”, not a layer: refusing a hostile archive.").arg(m_layer.blobPath, m_blob->symLinkTarget()));
        m_raw.reset(m_blob->createDevice());
        if (!m_raw || (!m_raw->isOpen() && !m_raw->open(QIODevice::ReadOnly)))
            return Failure(ErrorClass::ArchiveCorrupt, tr("The layer “%1” cannot be opened in the archive.").arg(m_layer.blobPath));
        QString compression;
        m_type = sniffCompression(m_raw.get(), &compression);
        m_layer.compression = compression;
        m_layer.blobSize = m_blob->size();
        if (m_type != KCompressionDevice::None)
            m_layer.compressedSize = m_blob->size();
        m_tarDevice = m_raw.get();
        if (m_type == KCompressionDevice::None)
            return {};
        m_decompressor = std::make_unique<KCompressionDevice>(m_raw.get(), false, m_type);
        if (!m_decompressor->open(QIODevice::ReadOnly))
            return Failure(ErrorClass::ArchiveCorrupt, tr("The layer “%1” cannot be decompressed (%2): %3")
                                                           .arg(m_layer.blobPath, compression, m_decompressor->errorString()));
        m_tarDevice = m_decompressor.get();
        return {};
    }

    /// Why the layer's tar did not open (or what the audit refused while it did).
    Status checkOpened(const HeaderAuditDevice &audit, const KTar &tar, bool opened) const
    {
        if (m_bombAt >= 0)
            return bomb(m_bombAt);
        if (audit.cancelled())
            return cancelledFailure();
        if (!audit.problem().isEmpty())
            return Failure(audit.problemClass(), tr("Layer “%1”: %2").arg(m_layer.blobPath, audit.problem()));
        if (opened)
            return {};
        const QString why = m_decompressor && !m_decompressor->errorString().isEmpty() ? m_decompressor->errorString() : tar.errorString();
        return Failure(ErrorClass::ArchiveCorrupt,
                       tr("Layer “%1” is not a readable tar archive (%2, after entry “%3”): the archive is damaged or truncated.")
                           .arg(m_layer.blobPath, why, audit.lastName()));
    }

    /// Reads a compressed layer to its end, so a damaged stream is noticed and its size known.
    Status drain()
    {
        if (!m_decompressor) {
            m_layer.tarSize = m_blob->size();
            return {};
        }
        char buffer[64 * 1024];
        qint64 n = 0;
        while ((n = m_tarDevice->read(buffer, sizeof buffer)) > 0) {
            if (m_options.cancel && m_options.cancel->load())
                return cancelledFailure();
            if (tooExpanded(m_tarDevice->pos()))
                return bomb(m_tarDevice->pos());
        }
        if (n < 0)
            return Failure(ErrorClass::ArchiveCorrupt,
                           tr("Layer “%1” is damaged (%2): %3.").arg(m_layer.blobPath, m_layer.compression, m_tarDevice->errorString()));
        m_layer.tarSize = m_tarDevice->pos();
        return {};
    }

    bool tooExpanded(qint64 expanded) const { return m_options.expandedLayerCap > 0 && expanded > m_options.expandedLayerCap; }

    /// A decompression bomb (or, uncompressed, simply a layer past the limit).
    Failure bomb(qint64 expanded) const
    {
        if (m_type == KCompressionDevice::None) // nothing expanded: the layer is simply that large
            return Failure(ErrorClass::ArchiveTooLarge,
                           tr("Layer “%1” is %2, past the limit of %3 for one layer: refusing it (if the layer is real, raise the limit with "
                              "--max-layer-size or GANTRY_MAX_LAYER_SIZE).")
                               .arg(m_layer.blobPath, formatBytes(m_blob->size()), formatBytes(m_options.expandedLayerCap)));
        return Failure(ErrorClass::ArchiveTooLarge,
                       tr("Layer “%1” expands from %2 to more than %3, past the limit of %4 for one layer: a decompression bomb, not an "
                          "application layer; refusing it (if the layer is real, raise the limit with --max-layer-size or GANTRY_MAX_LAYER_SIZE).")
                           .arg(m_layer.blobPath, formatBytes(m_blob->size()), formatBytes(expanded), formatBytes(m_options.expandedLayerCap)));
    }

    const KArchiveFile *m_blob;
    ImageLayer &m_layer;
    PathTable &m_paths;
    const ImageArchive::Options &m_options;
    std::unique_ptr<QIODevice> m_raw;
    std::unique_ptr<KCompressionDevice> m_decompressor;
    QIODevice *m_tarDevice = nullptr;
    KCompressionDevice::CompressionType m_type = KCompressionDevice::None;
    // A decompression bomb: the audit device stops as soon as the layer expands absurdly (it
    // polls m_stop on every read, so nothing more is decompressed once it is set).
    std::atomic_bool m_stop{false};
    qint64 m_bombAt = -1;
};

} // namespace

Status readLayer(const KArchiveFile *blob, ImageLayer &layer, PathTable &paths, const ImageReadOptions &options)
{
    return LayerRead(blob, layer, paths, options).run();
}

} // namespace Gantry
