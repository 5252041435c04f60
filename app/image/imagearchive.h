// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include "util/errorclass.h"
#include "util/failure.h"

#include <KCompressionDevice>

#include <atomic>
#include <functional>
#include <memory>

class QIODevice;

namespace Gantry {

/// Every path seen in an image, interned once ("/usr/bin/x" → id). Ids are dense, so
/// per-path state is a plain vector; each id knows its parent and children.
class PathTable
{
public:
    PathTable();
    /// The id of an absolute, normalised path ("/a/b"); creates it and its parents.
    int intern(const QString &path);
    int find(const QString &path) const { return m_ids.value(path, -1); }
    int size() const { return int(m_paths.size()); }
    const QString &path(int id) const { return m_paths.at(id); }
    QString name(int id) const;
    int parent(int id) const { return m_parents.at(id); }
    const QList<int> &children(int id) const { return m_children.at(id); }
    static constexpr int Root = 0;

private:
    QHash<QString, int> m_ids;
    QList<QString> m_paths;
    QList<int> m_parents;
    QList<QList<int>> m_children;
};

/// One entry of a layer tar, normalised.
struct LayerEntry
{
    enum class Kind : quint8 { File, Directory, Link, Whiteout, OpaqueMarker };
    int path = -1;          ///< for Whiteout: the path it deletes; OpaqueMarker: the directory
    Kind kind = Kind::File;
    quint32 mode = 0;
    qint64 size = 0;        ///< the tar header's size (0 for links and directories)
};

/// One layer as read from the archive.
struct ImageLayer
{
    QString blobPath;        ///< the archive entry holding it
    QString digest;          ///< the blob's digest when the archive names it (OCI, Docker 25+)
    QString diffId;          ///< from the config's rootfs
    QString mediaType;
    QString compression;     ///< "none", "gzip", "zstd"
    qint64 blobSize = 0;     ///< bytes in the archive
    qint64 compressedSize = -1; ///< the blob size when it is compressed; -1 unknown
    qint64 tarSize = 0;      ///< bytes of the uncompressed tar
    QString createdBy;       ///< the instruction, from the config history
    QString created;
    QList<LayerEntry> entries;
};

/// What the image's config says.
struct ImageConfig
{
    QString id; ///< the config digest ("sha256:…") = the image id
    QString architecture;
    QString os;
    QStringList entrypoint;
    QStringList cmd;
    QString workingDir;
    QStringList repoTags;
    struct History { QString createdBy; QString created; bool emptyLayer = false; };
    QList<History> history;
    QStringList diffIds;
    QByteArray raw; ///< the config's bytes as in the archive (hashing to id); Ship sends them on
};

/// The compression of a stream from its first bytes (peeked, nothing consumed); *name is
/// "gzip", "zstd", "xz", "bzip2" or "none".
KCompressionDevice::CompressionType sniffCompression(QIODevice *device, QString *name);

/// A whole image, read. A value: copy it across threads.
struct ImageData
{
    QString source;        ///< file path or image reference
    QString engineId;      ///< read from the engine: its .Id (the config digest on the classic store, the manifest's on containerd)
    QString format;        ///< "docker-archive", "oci-layout", "docker-archive+oci" (Docker 25+)
    qint64 archiveBytes = 0;
    ImageConfig config;
    QList<ImageLayer> layers;
    std::shared_ptr<PathTable> paths;
};

struct ImageReadOptions
{
    const std::atomic_bool *cancel = nullptr;
    /// Called now and then with (bytes read so far, bytes in all) from the reading thread.
    std::function<void(qint64 done, qint64 total)> progress;
    qint64 jsonCap = 8 * 1024 * 1024;   ///< largest manifest / config / index read
    qint64 entryCap = 10'000'000;       ///< most layer entries over the whole image (memory bound)
    /// A layer whose tar expands past this many bytes is refused as a decompression bomb.
    /// Layers are streamed, never written out, so a high ratio (a preallocated file of zeros
    /// shrinks 1000 times) costs only time, with progress and Cancel; only an absolute size
    /// far above any real layer is refused. Default 64 GB (defaultExpandedLayerCap()); raise
    /// it with `gantry analyze --max-layer-size` or GANTRY_MAX_LAYER_SIZE.
    qint64 expandedLayerCap = defaultExpandedLayerCap();

    /// 64 GB, or GANTRY_MAX_LAYER_SIZE (bytes, or with a unit: 100GB, 128GiB) when set.
    static qint64 defaultExpandedLayerCap();
};

/// Reads image archives with KArchive (KTar over KCompressionDevice): nothing is
/// extracted, each layer blob is read through a device over its entry in the outer
/// archive, and only entry headers (never file contents) are kept.
class ImageArchive
{
public:
    using Options = ImageReadOptions;

    /// Reads an archive file: a docker-archive or OCI layout tar, plain, gzip or zstd. The
    /// Failure's class says which kind of failure it is (ArchiveNotTar, ArchiveUnsafePath, ...).
    static Result<ImageData> read(const QString &path, const Options &options = {});
    /// Reads IMAGE from the engine: `docker save IMAGE`'s stream is read as it comes (progress
    /// and cancel included) into a private temporary file, because KTar reads entries by
    /// offset; that file is removed afterwards and nothing is extracted. Blocks: worker
    /// threads and the CLI only.
    static Result<ImageData> readFromEngine(const QString &dockerExecutable, const QString &imageRef, const Options &options = {});
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::ImageData)
