// SPDX-License-Identifier: MIT
#include "imagearchive.h"

#include "reportformat.h"
#include "util/digest.h"

#include "docker/dockersave.h"

#include "headerauditdevice.h"
#include "util/processrunner.h"

#include <KArchiveDirectory>
#include <KArchiveFile>
#include <KCompressionDevice>
#include <KTar>

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace Gantry {

// ---------------------------------------------------------------- PathTable

PathTable::PathTable()
{
    m_ids.insert(u"/"_s, 0);
    m_paths.append(u"/"_s);
    m_parents.append(-1);
    m_children.append(QList<int>());
}

int PathTable::intern(const QString &path)
{
    if (const auto it = m_ids.constFind(path); it != m_ids.constEnd())
        return it.value();
    // Iterative (a hostile path of thousands of levels must not exhaust the stack): find the
    // nearest known ancestor, then add the missing ones from the top down.
    QStringList missing{path};
    int parent = Root;
    for (;;) {
        const qsizetype slash = missing.constLast().lastIndexOf(u'/');
        if (slash <= 0)
            break;
        const QString up = missing.constLast().left(slash);
        if (const auto it = m_ids.constFind(up); it != m_ids.constEnd()) {
            parent = it.value();
            break;
        }
        missing.append(up);
    }
    for (qsizetype i = missing.size() - 1; i >= 0; --i) {
        const int id = int(m_paths.size());
        m_ids.insert(missing.at(i), id);
        m_paths.append(missing.at(i));
        m_parents.append(parent);
        m_children.append(QList<int>());
        m_children[parent].append(id);
        parent = id;
    }
    return parent;
}

QString PathTable::name(int id) const
{
    const QString &p = m_paths.at(id);
    return id == Root ? p : p.mid(p.lastIndexOf(u'/') + 1);
}

KCompressionDevice::CompressionType sniffCompression(QIODevice *device, QString *name)
{
    const QByteArray magic = device->peek(6);
    if (magic.startsWith("\x1f\x8b")) {
        *name = u"gzip"_s;
        return KCompressionDevice::GZip;
    }
    if (magic.startsWith("\x28\xb5\x2f\xfd")) {
        *name = u"zstd"_s;
        return KCompressionDevice::Zstd;
    }
    if (magic.startsWith("\xfd" "7zXZ")) {
        *name = u"xz"_s;
        return KCompressionDevice::Xz;
    }
    if (magic.startsWith("BZh")) {
        *name = u"bzip2"_s;
        return KCompressionDevice::BZip2;
    }
    *name = u"none"_s;
    return KCompressionDevice::None;
}

// ---------------------------------------------------------------- reading

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("Gantry::ImageArchive", text);
}

QString bytes(qint64 n)
{
    return QLocale::system().formattedDataSize(n);
}

KCompressionDevice::CompressionType sniff(QIODevice *device, QString *name)
{
    return sniffCompression(device, name);
}

QString digestFromBlobPath(const QString &path)
{
    // blobs/ALG/HEX (OCI and Docker 25+). Whatever follows blobs/ is a digest and must pass
    // the digest grammar, slashes and all ("blobs/sha256/`touch /tmp/x`" is not skipped).
    if (!path.startsWith(u"blobs/"_s))
        return {};
    const QString rest = path.mid(6);
    const qsizetype slash = rest.indexOf(u'/');
    return slash < 0 ? rest : rest.left(slash) + u':' + rest.mid(slash + 1);
}

QString blobPathFromDigest(const QString &digest)
{
    const qsizetype colon = digest.indexOf(u':');
    if (colon <= 0 || !isSha256Digest(digest))
        return {};
    return u"blobs/"_s + digest.left(colon) + u'/' + digest.mid(colon + 1);
}

/// Reads the outer archive's small documents (manifests, configs, indexes).
class OuterArchive
{
public:
    OuterArchive(KTar &tar, const ImageArchive::Options &options, ErrorClass &cls)
        : m_tar(tar)
        , m_options(options)
        , m_class(cls)
    {
    }
    ErrorClass &errorClass() const { return m_class; }

    const KArchiveFile *file(const QString &path) const
    {
        QString clean = QDir::cleanPath(path);
        if (clean.startsWith(u"./"_s))
            clean = clean.mid(2);
        const KArchiveEntry *e = m_tar.directory()->entry(clean);
        return e && e->isFile() ? static_cast<const KArchiveFile *>(e) : nullptr;
    }

    bool json(const QString &path, QJsonDocument &doc, QString &error, const QString &what, QByteArray *raw = nullptr) const
    {
        const KArchiveFile *f = file(path);
        if (!f) {
            error = tr("The archive has no “%1” (%2): it is incomplete; save the image again.").arg(path, what);
            m_class = ErrorClass::ArchiveMissingEntry;
            return false;
        }
        if (!f->symLinkTarget().isEmpty()) {
            error = tr("“%1” (%2) is a link to “%3”, not a document: refusing a hostile archive.").arg(path, what, f->symLinkTarget());
            m_class = ErrorClass::ArchiveUnsafeLink;
            return false;
        }
        if (f->size() > m_options.jsonCap) {
            error = tr("“%1” (%2) is %3, far larger than such a document can be: the archive is damaged or hostile.")
                        .arg(path, what, bytes(f->size()));
            m_class = ErrorClass::ArchiveTooLarge;
            return false;
        }
        const QByteArray data = f->data();
        if (data.size() != f->size()) {
            error = tr("“%1” (%2) is cut short: the archive is truncated.").arg(path, what);
            m_class = ErrorClass::ArchiveTruncated;
            return false;
        }
        QJsonParseError parseError;
        doc = QJsonDocument::fromJson(data, &parseError);
        if (doc.isNull()) {
            error = tr("“%1” (%2) is not valid JSON (%3): the archive is damaged.").arg(path, what, parseError.errorString());
            m_class = ErrorClass::ArchiveCorrupt;
            return false;
        }
        if (raw)
            *raw = data;
        return true;
    }

private:
    KTar &m_tar;
    const ImageArchive::Options &m_options;
    ErrorClass &m_class;
};

bool climbsOut(const QString &linkPath, const QString &target)
{
    if (target.isEmpty() || target.startsWith(u'/'))
        return false; // absolute targets resolve inside the container's root
    const QString dir = linkPath.left(linkPath.lastIndexOf(u'/'));
    const QString resolved = QDir::cleanPath(dir + u'/' + target);
    return resolved == u".."_s || resolved.startsWith(u"../"_s) || resolved.startsWith(u"/.."_s);
}

struct LayerReader
{
    PathTable &paths;
    ImageLayer &layer;
    QString blobName;
    const QHash<QString, QString> *renames = nullptr;
    QString error;
    ErrorClass errorClass = ErrorClass::None;
    qint64 maxEnd = 0;
    QString maxEndName;
    qint64 maxEndSize = 0;

    bool walk(const KArchiveDirectory *dir, const QString &prefix, int depth = 0)
    {
        // Real images nest a few dozen levels; PATH_MAX is 4096. Deeper or longer is hostile.
        constexpr int maxDepth = 256;
        constexpr qsizetype maxPath = 4096;
        if (depth > maxDepth || prefix.size() > maxPath) {
            error = tr("Layer “%1” has folders nested deeper than %2 levels or a path longer than %3 characters (“%4…”): refusing a hostile archive.")
                        .arg(blobName)
                        .arg(maxDepth)
                        .arg(maxPath)
                        .arg(prefix.left(60));
            errorClass = ErrorClass::ArchiveUnsafePath;
            return false;
        }
        const QStringList names = dir->entries();
        for (const QString &name : names) {
            const KArchiveEntry *e = dir->entry(name);
            if (!e || name.isEmpty())
                continue; // "/" itself (kaniko writes it)
            if (name == u".." || name == u".") {
                error = tr("Layer “%1” has an entry “%2/%3” that points outside the image: refusing a hostile archive.")
                            .arg(blobName, prefix, name);
                errorClass = ErrorClass::ArchiveUnsafePath;
                return false;
            }
            const QString ktarPath = prefix + u'/' + name;
            const QString path = renames && !renames->isEmpty() ? renames->value(ktarPath, ktarPath) : ktarPath;
            if (path.size() > maxPath || path.count(u'/') > maxDepth + 1) {
                error = tr("Layer “%1” has a path longer than %2 characters or %3 levels (“%4…”): refusing a hostile archive.")
                            .arg(blobName)
                            .arg(maxPath)
                            .arg(maxDepth)
                            .arg(path.left(60));
                errorClass = ErrorClass::ArchiveUnsafePath;
                return false;
            }
            const qsizetype slash = path.lastIndexOf(u'/');
            const QString realName = path.mid(slash + 1);
            const QString parentPath = path.left(slash);
            LayerEntry entry;
            entry.mode = quint32(e->permissions() & 07777);
            if (e->isDirectory()) {
                entry.kind = LayerEntry::Kind::Directory;
                entry.path = paths.intern(path);
                layer.entries.append(entry);
                if (!walk(static_cast<const KArchiveDirectory *>(e), ktarPath, depth + 1))
                    return false;
                continue;
            }
            const auto *f = static_cast<const KArchiveFile *>(e);
            if (realName.startsWith(u".wh."_s)) {
                if (realName == u".wh..wh..opq"_s) {
                    entry.kind = LayerEntry::Kind::OpaqueMarker;
                    entry.path = paths.intern(parentPath.isEmpty() ? u"/"_s : parentPath);
                } else {
                    entry.kind = LayerEntry::Kind::Whiteout;
                    entry.path = paths.intern(parentPath + u'/' + realName.mid(4));
                }
                layer.entries.append(entry);
                continue;
            }
            const QString target = e->symLinkTarget();
            if (!target.isEmpty()) {
                if (climbsOut(path, target)) {
                    error = tr("Layer “%1”: the link “%2” → “%3” points outside the image: refusing a hostile archive.")
                                .arg(blobName, path, target);
                    errorClass = ErrorClass::ArchiveUnsafeLink;
                    return false;
                }
                entry.kind = LayerEntry::Kind::Link;
            } else {
                entry.kind = LayerEntry::Kind::File;
                entry.size = f->size();
                const qint64 end = f->position() + f->size();
                if (end > maxEnd) {
                    maxEnd = end;
                    maxEndName = path;
                    maxEndSize = f->size();
                }
            }
            entry.path = paths.intern(path);
            layer.entries.append(entry);
        }
        return true;
    }
};

bool readLayer(const KArchiveFile *blob, ImageLayer &layer, PathTable &paths, const ImageArchive::Options &options,
               QString &error, ErrorClass &cls)
{
    const QString blobName = blob->name();
    if (!blob->symLinkTarget().isEmpty()) {
        error = tr("The layer “%1” is a link to “%2”, not a layer: refusing a hostile archive.").arg(layer.blobPath, blob->symLinkTarget());
        cls = ErrorClass::ArchiveUnsafeLink;
        return false;
    }
    std::unique_ptr<QIODevice> raw(blob->createDevice());
    if (!raw || (!raw->isOpen() && !raw->open(QIODevice::ReadOnly))) {
        error = tr("The layer “%1” cannot be opened in the archive.").arg(layer.blobPath);
        cls = ErrorClass::ArchiveCorrupt;
        return false;
    }
    QString compression;
    const auto type = sniff(raw.get(), &compression);
    layer.compression = compression;
    layer.blobSize = blob->size();
    if (type != KCompressionDevice::None)
        layer.compressedSize = blob->size();
    QIODevice *tarDevice = raw.get();
    std::unique_ptr<KCompressionDevice> decompressor;
    if (type != KCompressionDevice::None) {
        decompressor = std::make_unique<KCompressionDevice>(raw.get(), false, type);
        if (!decompressor->open(QIODevice::ReadOnly)) {
            error = tr("The layer “%1” cannot be decompressed (%2): %3").arg(layer.blobPath, compression, decompressor->errorString());
            cls = ErrorClass::ArchiveCorrupt;
            return false;
        }
        tarDevice = decompressor.get();
    }
    // A decompression bomb: stop as soon as the layer expands absurdly (the audit device
    // polls this flag on every read, so nothing more is decompressed once it is set).
    std::atomic_bool stop{false};
    bool bomb = false;
    qint64 bombAt = 0;
    const auto tooExpanded = [&](qint64 expanded) { return options.expandedLayerCap > 0 && expanded > options.expandedLayerCap; };
    HeaderAuditDevice audit(tarDevice);
    audit.setCancelFlag(&stop);
    audit.setProgress([&](qint64 done) {
        if (options.cancel && options.cancel->load())
            stop = true;
        if (tooExpanded(done)) {
            bomb = true;
            bombAt = done;
            stop = true;
        }
    });
    const auto bombError = [&](qint64 expanded) {
        cls = ErrorClass::ArchiveTooLarge;
        if (type == KCompressionDevice::None) { // nothing expanded: the layer is simply that large
            error = tr("Layer “%1” is %2, past the limit of %3 for one layer: refusing it (if the layer is real, raise the limit with "
                       "--max-layer-size or GANTRY_MAX_LAYER_SIZE).")
                        .arg(layer.blobPath, bytes(blob->size()), bytes(options.expandedLayerCap));
            return false;
        }
        error = tr("Layer “%1” expands from %2 to more than %3, past the limit of %4 for one layer: a decompression bomb, not an "
                   "application layer; refusing it (if the layer is real, raise the limit with --max-layer-size or GANTRY_MAX_LAYER_SIZE).")
                    .arg(layer.blobPath, bytes(blob->size()), bytes(expanded), bytes(options.expandedLayerCap));
        cls = ErrorClass::ArchiveTooLarge;
        return false;
    };
    KTar tar(&audit);
    const bool opened = tar.open(QIODevice::ReadOnly);
    if (bomb)
        return bombError(bombAt);
    if (audit.cancelled()) {
        error = tr("Cancelled.");
        cls = ErrorClass::Cancelled;
        return false;
    }
    if (!audit.problem().isEmpty()) {
        error = tr("Layer “%1”: %2").arg(layer.blobPath, audit.problem());
        cls = audit.problemClass();
        return false;
    }
    if (!opened) {
        const QString why = decompressor && !decompressor->errorString().isEmpty() ? decompressor->errorString() : tar.errorString();
        error = tr("Layer “%1” is not a readable tar archive (%2, after entry “%3”): the archive is damaged or truncated.")
                    .arg(layer.blobPath, why, audit.lastName());
        cls = ErrorClass::ArchiveCorrupt;
        return false;
    }
    LayerReader reader{paths, layer, layer.blobPath, &audit.paxRenames(), QString(), ErrorClass::None, 0, QString(), 0};
    if (!reader.walk(tar.directory(), QString())) {
        error = reader.error;
        cls = reader.errorClass;
        return false;
    }
    // The last entry's data must really be there (a truncated stream or a false size).
    if (reader.maxEnd > audit.furthest() && !audit.seek(reader.maxEnd)) {
        if (bomb)
            return bombError(bombAt);
        error = tr("Layer “%1”: the data of “%2” (declared %3) ends early: the layer is truncated or the declared size is false.")
                    .arg(layer.blobPath, reader.maxEndName, bytes(reader.maxEndSize));
        cls = ErrorClass::ArchiveTruncated;
        return false;
    }
    // Read to the end so a damaged compressed stream is noticed and the size is known.
    if (decompressor) {
        char buffer[64 * 1024];
        qint64 n = 0;
        while ((n = tarDevice->read(buffer, sizeof buffer)) > 0) {
            if (options.cancel && options.cancel->load()) {
                error = tr("Cancelled.");
                cls = ErrorClass::Cancelled;
                return false;
            }
            if (tooExpanded(tarDevice->pos()))
                return bombError(tarDevice->pos());
        }
        if (n < 0) {
            error = tr("Layer “%1” is damaged (%2): %3.").arg(layer.blobPath, compression, tarDevice->errorString());
            cls = ErrorClass::ArchiveCorrupt;
            return false;
        }
        layer.tarSize = tarDevice->pos();
    } else {
        layer.tarSize = blob->size();
    }
    return true;
}

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

bool readConfig(const OuterArchive &outer, const QString &path, ImageConfig &config, QString &error)
{
    QJsonDocument doc;
    QByteArray raw;
    if (!outer.json(path, doc, error, tr("the image config"), &raw))
        return false;
    const QJsonObject o = doc.object();
    config.id = u"sha256:"_s + QString::fromLatin1(QCryptographicHash::hash(raw, QCryptographicHash::Sha256).toHex());
    config.raw = raw;
    config.architecture = o.value(u"architecture").toString();
    config.os = o.value(u"os").toString();
    const QJsonObject c = o.value(u"config").toObject();
    config.entrypoint = stringList(c.value(u"Entrypoint"));
    config.cmd = stringList(c.value(u"Cmd"));
    config.workingDir = c.value(u"WorkingDir").toString();
    config.diffIds = stringList(o.value(u"rootfs").toObject().value(u"diff_ids"));
    for (const QJsonValue &h : o.value(u"history").toArray()) {
        const QJsonObject ho = h.toObject();
        config.history.append({ho.value(u"created_by").toString(), ho.value(u"created").toString(),
                               ho.value(u"empty_layer").toBool()});
    }
    return true;
}

struct LayerRef
{
    QString path;
    QString digest;
    QString mediaType;
    qint64 size = -1;
};

bool pickOciManifest(const OuterArchive &outer, const QJsonObject &index, const QString &indexName, QJsonObject &manifest,
                     QString &error, int depth = 0)
{
    if (depth > 4) {
        error = tr("“%1” nests image indexes too deeply: the archive is damaged or hostile.").arg(indexName);
        outer.errorClass() = ErrorClass::ArchiveCorrupt;
        return false;
    }
    const QJsonArray manifests = index.value(u"manifests").toArray();
    QJsonObject chosen;
    for (const QJsonValue &v : manifests) {
        const QJsonObject m = v.toObject();
        if (m.value(u"annotations").toObject().value(u"vnd.docker.reference.type").toString() == u"attestation-manifest")
            continue;
        const QJsonObject platform = m.value(u"platform").toObject();
        if (chosen.isEmpty() || (platform.value(u"os").toString() == u"linux" && platform.value(u"architecture").toString() == u"amd64"))
            chosen = m;
    }
    if (chosen.isEmpty()) {
        error = tr("“%1” lists no image manifest: the archive holds no image.").arg(indexName);
        outer.errorClass() = ErrorClass::ArchiveMissingEntry;
        return false;
    }
    const QString path = blobPathFromDigest(chosen.value(u"digest").toString());
    QJsonDocument doc;
    if (!outer.json(path, doc, error, tr("an image manifest")))
        return false;
    const QJsonObject o = doc.object();
    if (o.contains(u"manifests"))
        return pickOciManifest(outer, o, path, manifest, error, depth + 1);
    manifest = o;
    return true;
}

/// What the archive's top-level document says: the config's path and the layers' blobs.
struct ManifestList
{
    QString configPath;
    QList<LayerRef> layers;
};

/// Reads manifest.json (docker save) or index.json (OCI layout); sets image.format and tags.
bool readManifestList(const OuterArchive &outer, ImageData &image, ManifestList &list, QString &error, ErrorClass &cls)
{
    const bool hasManifest = outer.file(u"manifest.json"_s) != nullptr;
    const bool hasIndex = outer.file(u"index.json"_s) != nullptr;
    QJsonDocument doc;
    if (hasManifest) {
        image.format = hasIndex ? u"docker-archive+oci"_s : u"docker-archive"_s;
        if (!outer.json(u"manifest.json"_s, doc, error, tr("the docker save manifest")))
            return false;
        const QJsonObject m = doc.array().first().toObject();
        if (m.isEmpty()) {
            error = tr("“manifest.json” lists no image: the archive holds no image.");
            cls = ErrorClass::ArchiveMissingEntry;
            return false;
        }
        list.configPath = m.value(u"Config").toString();
        image.config.repoTags = stringList(m.value(u"RepoTags"));
        for (const QString &l : stringList(m.value(u"Layers")))
            list.layers.append({l, digestFromBlobPath(l), {}, -1});
        return true;
    }
    if (!hasIndex) {
        error = tr("“%1” is a tar archive but not an image: it has neither manifest.json (docker save) nor index.json (OCI layout).")
                    .arg(QDir::toNativeSeparators(image.source));
        cls = ErrorClass::ArchiveNotImage;
        return false;
    }
    image.format = u"oci-layout"_s;
    if (!outer.json(u"index.json"_s, doc, error, tr("the OCI index")))
        return false;
    QJsonObject manifest;
    if (!pickOciManifest(outer, doc.object(), u"index.json"_s, manifest, error))
        return false;
    list.configPath = blobPathFromDigest(manifest.value(u"config").toObject().value(u"digest").toString());
    for (const QJsonValue &v : manifest.value(u"layers").toArray()) {
        const QJsonObject l = v.toObject();
        const QString digest = l.value(u"digest").toString();
        list.layers.append({blobPathFromDigest(digest), digest, l.value(u"mediaType").toString(), qint64(l.value(u"size").toDouble(-1))});
    }
    return true;
}

/// Every digest, when parsed, is exactly sha256 and 64 hex digits (they name files); the
/// config's name is its digest; config and manifest list as many layers.
bool checkDigests(const ImageData &image, const ManifestList &list, QString &error, ErrorClass &cls)
{
    const QString &configPath = list.configPath;
    for (const QString &d : std::as_const(image.config.diffIds)) {
        if (!isSha256Digest(d)) {
            error = tr("The image config “%1” names a layer “%2”, which is not a sha256 digest: the archive is damaged or hostile.")
                        .arg(configPath, d.left(100));
            cls = ErrorClass::ArchiveCorrupt;
            return false;
        }
    }
    for (const LayerRef &l : std::as_const(list.layers)) {
        if (!l.digest.isEmpty() && !isSha256Digest(l.digest)) {
            error = tr("The image manifest names a layer “%1”, which is not a sha256 digest: the archive is damaged or hostile.").arg(l.digest.left(100));
            cls = ErrorClass::ArchiveCorrupt;
            return false;
        }
    }
    // The config's name is its digest (blobs/sha256/HEX, or HEX.json in old docker saves).
    static const QRegularExpression named(u"^(?:blobs/sha256/([0-9a-f]{64})|([0-9a-f]{64})\\.json)$"_s);
    const auto m = named.match(QDir::cleanPath(configPath));
    const QString claimed = m.hasMatch() ? u"sha256:"_s + (m.captured(1).isEmpty() ? m.captured(2) : m.captured(1)) : QString();
    if (!claimed.isEmpty() && claimed != image.config.id) {
        error = tr("The image config “%1” does not match its digest (its content hashes to %2): the archive is damaged or was altered; save the image again.")
                    .arg(configPath, image.config.id);
        cls = ErrorClass::ArchiveDigestMismatch;
        return false;
    }
    if (image.config.diffIds.size() != list.layers.size()) {
        error = tr("The image config “%1” lists %2 layers (rootfs.diff_ids) but the manifest lists %3: the archive is inconsistent.")
                    .arg(configPath)
                    .arg(image.config.diffIds.size())
                    .arg(list.layers.size());
        cls = ErrorClass::ArchiveCorrupt;
        return false;
    }
    return true;
}

/// Layer i's blob is there, of the size the manifest says.
bool checkBlob(const KArchiveFile *blob, const LayerRef &ref, int i, QString &error, ErrorClass &cls)
{
    if (!blob) {
        error = tr("Layer %1's blob “%2” is missing from the archive: it is incomplete; save the image again.").arg(i + 1).arg(ref.path);
        cls = ErrorClass::ArchiveMissingEntry;
        return false;
    }
    if (ref.size >= 0 && blob->size() != ref.size) {
        error = tr("Layer %1's blob “%2” is %3 bytes but the manifest says %4: the archive is damaged or was altered; save the image again.")
                    .arg(i + 1)
                    .arg(ref.path)
                    .arg(blob->size())
                    .arg(ref.size);
        cls = ErrorClass::ArchiveDigestMismatch;
        return false;
    }
    return true;
}

/// Reads every layer's entries (under the entry cap); report gets the blob bytes read.
bool readLayers(const OuterArchive &outer, const ManifestList &list, ImageData &image, const ImageArchive::Options &options,
                const std::function<void(qint64)> &report, QString &error, ErrorClass &cls)
{
    // Instructions: the history entries that made a layer, in order.
    QList<const ImageConfig::History *> layerHistory;
    for (const auto &h : std::as_const(image.config.history))
        if (!h.emptyLayer)
            layerHistory.append(&h);
    qint64 entries = 0;
    qint64 layerBytes = 0;
    for (int i = 0; i < list.layers.size(); ++i) {
        const LayerRef &ref = list.layers.at(i);
        const KArchiveFile *blob = outer.file(ref.path);
        if (!checkBlob(blob, ref, i, error, cls))
            return false;
        ImageLayer layer;
        layer.blobPath = ref.path;
        layer.digest = ref.digest;
        layer.mediaType = ref.mediaType;
        layer.diffId = image.config.diffIds.value(i);
        if (i < layerHistory.size()) {
            layer.createdBy = layerHistory.at(i)->createdBy;
            layer.created = layerHistory.at(i)->created;
        }
        if (!readLayer(blob, layer, *image.paths, options, error, cls))
            return false;
        if (ref.size >= 0 && layer.compression != u"none")
            layer.compressedSize = ref.size;
        entries += layer.entries.size();
        if (entries > options.entryCap) {
            error = tr("The image has more than %1 file entries (at layer “%2”), more than Gantry analyses: the archive is hostile or not an application image.")
                        .arg(options.entryCap)
                        .arg(ref.path);
            cls = ErrorClass::ArchiveTooLarge;
            return false;
        }
        image.layers.append(std::move(layer));
        layerBytes += blob->size();
        report(layerBytes);
    }
    return true;
}

/// Why the outer tar could not be opened (cancelled, a header the audit refused, or not a tar).
void explainUnopenedTar(const HeaderAuditDevice &audit, const KTar &tar, const ImageData &image, QString &error, ErrorClass &cls)
{
    if (audit.cancelled()) {
        error = tr("Cancelled.");
        cls = ErrorClass::Cancelled;
    } else if (!audit.problem().isEmpty()) {
        error = audit.problem();
        cls = audit.problemClass();
    } else {
        error = tr("“%1” is not a tar archive (%2): give a file made by `docker save` or an OCI layout.")
                    .arg(QDir::toNativeSeparators(image.source), tar.errorString());
        cls = ErrorClass::ArchiveNotTar;
    }
}

} // namespace

static bool readArchive(QIODevice *source, qint64 totalBytes, ImageData &image, QString &error,
                        const ImageArchive::Options &options, ErrorClass &cls)
{
    // Progress only ever grows. With a known size (a plain archive) the listing of the outer
    // tar is quick (KTar seeks past the blobs), so the layers read count; a compressed
    // archive (size unknown) reports how far the decompression got.
    qint64 reported = 0;
    const std::function<void(qint64)> report = [&](qint64 done) {
        if (options.progress && done > reported) {
            reported = done;
            options.progress(done, totalBytes);
        }
    };
    HeaderAuditDevice audit(source);
    audit.setCancelFlag(options.cancel);
    if (options.progress && totalBytes < 0)
        audit.setProgress(report);
    KTar tar(&audit);
    if (!tar.open(QIODevice::ReadOnly)) {
        explainUnopenedTar(audit, tar, image, error, cls);
        return false;
    }
    if (!audit.problem().isEmpty()) {
        error = audit.problem();
        cls = audit.problemClass();
        return false;
    }
    audit.setAuditing(false);
    image.paths = std::make_shared<PathTable>();
    OuterArchive outer(tar, options, cls);
    ManifestList list;
    if (!readManifestList(outer, image, list, error, cls))
        return false;
    if (list.configPath.isEmpty()) {
        error = tr("The image manifest names no config: the archive is damaged.");
        cls = ErrorClass::ArchiveMissingEntry;
        return false;
    }
    if (!readConfig(outer, list.configPath, image.config, error) || !checkDigests(image, list, error, cls)
        || !readLayers(outer, list, image, options, report, error, cls))
        return false;
    report(totalBytes);
    return true;
}

qint64 ImageReadOptions::defaultExpandedLayerCap()
{
    constexpr qint64 builtIn = qint64(64) << 30;
    const QString fromEnv = qEnvironmentVariable("GANTRY_MAX_LAYER_SIZE");
    if (fromEnv.isEmpty())
        return builtIn;
    const std::optional<qint64> v = parseByteSize(fromEnv);
    return v && *v > 0 ? *v : builtIn;
}

bool ImageArchive::readFile(const QString &path, ImageData &image, QString &error, const Options &options,
                            ErrorClass *errorClass)
{
    ErrorClass cls = ErrorClass::None;
    const bool ok = readFileClassified(path, image, error, options, cls);
    setErrorClass(errorClass, ok ? ErrorClass::None : cls == ErrorClass::None ? ErrorClass::Other : cls);
    return ok;
}

bool ImageArchive::readFileClassified(const QString &path, ImageData &image, QString &error, const Options &options,
                                      ErrorClass &cls)
{
    // KArchive warns on stderr about things Gantry reports itself (duplicate directories).
    static const bool quiet = [] {
        QLoggingCategory::setFilterRules(u"kf.archive.warning=false\nkf.archive.debug=false"_s);
        return true;
    }();
    Q_UNUSED(quiet)
    image = ImageData{};
    image.source = path;
    QFile file(path);
    const QFileInfo info(path);
    if (info.isDir()) {
        error = tr("“%1” is a folder, not an image archive: give a file made by `docker save` or an OCI layout.")
                    .arg(QDir::toNativeSeparators(path));
        cls = ErrorClass::ArchiveNotTar;
        return false;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        error = tr("Cannot open “%1”: %2.").arg(QDir::toNativeSeparators(path), file.errorString());
        cls = info.exists() ? ErrorClass::Unreadable : ErrorClass::NotFound;
        return false;
    }
    image.archiveBytes = file.size();
    QString compression;
    const auto type = sniff(&file, &compression);
    if (type == KCompressionDevice::None)
        return readArchive(&file, file.size(), image, error, options, cls);
    KCompressionDevice decompressor(&file, false, type);
    if (!decompressor.open(QIODevice::ReadOnly)) {
        error = tr("Cannot decompress “%1” (%2): %3").arg(QDir::toNativeSeparators(path), compression, decompressor.errorString());
        cls = ErrorClass::ArchiveCorrupt;
        return false;
    }
    return readArchive(&decompressor, -1, image, error, options, cls);
}

bool ImageArchive::readFromEngine(const QString &dockerExecutable, const QString &imageRef, ImageData &image, QString &error,
                                  const Options &options, ErrorClass *errorClass)
{
    setErrorClass(errorClass, ErrorClass::Other);
    const auto cancelled = [&] { return options.cancel && options.cancel->load(); };
    if (cancelled()) {
        error = tr("Cancelled.");
        setErrorClass(errorClass, ErrorClass::Cancelled);
        return false;
    }
    // The archive's size is about the image's size: it weighs the two halves of the progress
    // (reading docker save's stream, then reading the archive).
    const EngineImageInfo info = inspectEngineImage(dockerExecutable, imageRef);
    if (!info.ok) {
        error = info.error;
        setErrorClass(errorClass, info.errorClass);
        return false;
    }
    const qint64 estimate = info.size;

    // KTar reads entries by offset, so docker save's stream is spooled into a private
    // temporary file (removed on return); nothing is extracted from it.
    QTemporaryDir dir;
    if (!dir.isValid()) {
        error = tr("Cannot create a temporary folder for `docker save`: %1.").arg(dir.errorString());
        return false;
    }
    const QString path = dir.filePath(u"image.tar"_s);
    QFile spool(path);
    if (!spool.open(QIODevice::WriteOnly)) {
        error = tr("Cannot write the temporary copy of the image (%1): %2.").arg(QDir::toNativeSeparators(path), spool.errorString());
        return false;
    }
    const qint64 total = estimate > 0 ? 2 * estimate : -1;
    qint64 spooled = 0;
    const DockerSaveResult saved = streamDockerSave(
        dockerExecutable, imageRef,
        [&](QByteArrayView chunk) {
            if (spool.write(chunk.data(), chunk.size()) != chunk.size())
                return false;
            spooled += chunk.size();
            if (options.progress)
                options.progress(qMin(spooled, estimate > 0 ? estimate : spooled), total);
            return true;
        },
        options.cancel);
    if (!saved.ok || !spool.flush()) {
        if (saved.ok || saved.sinkFailed)
            error = tr("Cannot write the temporary copy of the image (%1): %2. Free some disk space and try again.")
                        .arg(QDir::toNativeSeparators(path), spool.errorString());
        else
            error = saved.error;
        setErrorClass(errorClass, saved.ok ? ErrorClass::Other : saved.errorClass);
        return false;
    }
    spool.close();

    Options second = options;
    if (options.progress && estimate > 0) {
        const qint64 archiveBytes = spooled;
        second.progress = [&options, estimate, archiveBytes](qint64 done, qint64) {
            options.progress(estimate + (archiveBytes > 0 ? done * estimate / archiveBytes : 0), 2 * estimate);
        };
    }
    const bool ok = readFile(path, image, error, second, errorClass);
    image.source = imageRef;
    image.engineId = info.id;
    return ok; // the QTemporaryDir removes the spooled archive
}

} // namespace Gantry
