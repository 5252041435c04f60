// SPDX-License-Identifier: MIT
#include "imagearchive.h"

#include "reportformat.h"
#include "util/digest.h"
#include "util/format.h"

#include "docker/dockersave.h"

#include "headerauditdevice.h"
#include "layerread.h"
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

/// The failure of a read the user cancelled.
Failure cancelledFailure()
{
    return Failure(ErrorClass::Cancelled, tr("Cancelled."));
}

/// Reads the outer archive's small documents (manifests, configs, indexes).
class OuterArchive
{
public:
    OuterArchive(KTar &tar, const ImageArchive::Options &options)
        : m_tar(tar)
        , m_options(options)
    {
    }

    const KArchiveFile *file(const QString &path) const
    {
        QString clean = QDir::cleanPath(path);
        if (clean.startsWith(u"./"_s))
            clean = clean.mid(2);
        const KArchiveEntry *e = m_tar.directory()->entry(clean);
        return e && e->isFile() ? static_cast<const KArchiveFile *>(e) : nullptr;
    }

    /// The bytes of the document at PATH (WHAT names it in a failure), checked: present, not a
    /// link, not absurdly large, not cut short.
    Result<QByteArray> bytesOf(const QString &path, const QString &what) const
    {
        const KArchiveFile *f = file(path);
        if (!f)
            return Failure(ErrorClass::ArchiveMissingEntry,
                           tr("The archive has no “%1” (%2): it is incomplete; save the image again.").arg(path, what));
        if (!f->symLinkTarget().isEmpty())
            return Failure(ErrorClass::ArchiveUnsafeLink,
                           tr("“%1” (%2) is a link to “%3”, not a document: refusing a hostile archive.").arg(path, what, f->symLinkTarget()));
        if (f->size() > m_options.jsonCap)
            return Failure(ErrorClass::ArchiveTooLarge,
                           tr("“%1” (%2) is %3, far larger than such a document can be: the archive is damaged or hostile.")
                               .arg(path, what, formatBytes(f->size())));
        QByteArray data = f->data();
        if (data.size() != f->size())
            return Failure(ErrorClass::ArchiveTruncated, tr("“%1” (%2) is cut short: the archive is truncated.").arg(path, what));
        return data;
    }

    /// The document at PATH parsed as JSON.
    static Result<QJsonDocument> parse(const QByteArray &data, const QString &path, const QString &what)
    {
        QJsonParseError parseError;
        QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
        if (doc.isNull())
            return Failure(ErrorClass::ArchiveCorrupt,
                           tr("“%1” (%2) is not valid JSON (%3): the archive is damaged.").arg(path, what, parseError.errorString()));
        return doc;
    }

    Result<QJsonDocument> json(const QString &path, const QString &what) const
    {
        const Result<QByteArray> data = bytesOf(path, what);
        if (!data)
            return data.failure();
        return parse(*data, path, what);
    }

private:
    KTar &m_tar;
    const ImageArchive::Options &m_options;
};

QStringList stringList(const QJsonValue &value)
{
    QStringList out;
    for (const QJsonValue &v : value.toArray())
        out << v.toString();
    return out;
}

Result<ImageConfig> readConfig(const OuterArchive &outer, const QString &path)
{
    const QString what = tr("the image config");
    const Result<QByteArray> raw = outer.bytesOf(path, what);
    if (!raw)
        return raw.failure();
    const Result<QJsonDocument> doc = OuterArchive::parse(*raw, path, what);
    if (!doc)
        return doc.failure();
    const QJsonObject o = doc->object();
    ImageConfig config;
    config.id = u"sha256:"_s + QString::fromLatin1(QCryptographicHash::hash(*raw, QCryptographicHash::Sha256).toHex());
    config.raw = *raw;
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
    return config;
}

struct LayerRef
{
    QString path;
    QString digest;
    QString mediaType;
    qint64 size = -1;
};

/// The image manifest an OCI index points at (linux/amd64 when several; attestations skipped).
Result<QJsonObject> pickOciManifest(const OuterArchive &outer, const QJsonObject &index, const QString &indexName, int depth = 0)
{
    if (depth > 4)
        return Failure(ErrorClass::ArchiveCorrupt, tr("“%1” nests image indexes too deeply: the archive is damaged or hostile.").arg(indexName));
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
    if (chosen.isEmpty())
        return Failure(ErrorClass::ArchiveMissingEntry, tr("“%1” lists no image manifest: the archive holds no image.").arg(indexName));
    const QString path = blobPathFromDigest(chosen.value(u"digest").toString());
    const Result<QJsonDocument> doc = outer.json(path, tr("an image manifest"));
    if (!doc)
        return doc.failure();
    const QJsonObject o = doc->object();
    if (o.contains(u"manifests"))
        return pickOciManifest(outer, o, path, depth + 1);
    return o;
}

/// What the archive's top-level document says: the config's path and the layers' blobs.
struct ManifestList
{
    QString configPath;
    QList<LayerRef> layers;
};

/// manifest.json, as `docker save` writes it; sets image.format and the tags.
Result<ManifestList> readDockerManifest(const OuterArchive &outer, ImageData &image, bool hasIndex)
{
    image.format = hasIndex ? u"docker-archive+oci"_s : u"docker-archive"_s;
    const Result<QJsonDocument> doc = outer.json(u"manifest.json"_s, tr("the docker save manifest"));
    if (!doc)
        return doc.failure();
    const QJsonObject m = doc->array().first().toObject();
    if (m.isEmpty())
        return Failure(ErrorClass::ArchiveMissingEntry, tr("“manifest.json” lists no image: the archive holds no image."));
    ManifestList list;
    list.configPath = m.value(u"Config").toString();
    image.config.repoTags = stringList(m.value(u"RepoTags"));
    for (const QString &l : stringList(m.value(u"Layers")))
        list.layers.append({l, digestFromBlobPath(l), {}, -1});
    return list;
}

/// index.json, as an OCI layout has it; sets image.format.
Result<ManifestList> readOciIndex(const OuterArchive &outer, ImageData &image)
{
    image.format = u"oci-layout"_s;
    const Result<QJsonDocument> doc = outer.json(u"index.json"_s, tr("the OCI index"));
    if (!doc)
        return doc.failure();
    const Result<QJsonObject> manifest = pickOciManifest(outer, doc->object(), u"index.json"_s);
    if (!manifest)
        return manifest.failure();
    ManifestList list;
    list.configPath = blobPathFromDigest(manifest->value(u"config").toObject().value(u"digest").toString());
    for (const QJsonValue &v : manifest->value(u"layers").toArray()) {
        const QJsonObject l = v.toObject();
        const QString digest = l.value(u"digest").toString();
        list.layers.append({blobPathFromDigest(digest), digest, l.value(u"mediaType").toString(), qint64(l.value(u"size").toDouble(-1))});
    }
    return list;
}

/// Reads manifest.json (docker save) or index.json (OCI layout); sets image.format and tags.
Result<ManifestList> readManifestList(const OuterArchive &outer, ImageData &image)
{
    const bool hasManifest = outer.file(u"manifest.json"_s) != nullptr;
    const bool hasIndex = outer.file(u"index.json"_s) != nullptr;
    Result<ManifestList> list = hasManifest ? readDockerManifest(outer, image, hasIndex)
                              : hasIndex    ? readOciIndex(outer, image)
                                            : Failure(ErrorClass::ArchiveNotImage,
                                                   tr("“%1” is a tar archive but not an image: it has neither manifest.json (docker save) nor index.json (OCI layout).")
                                                       .arg(QDir::toNativeSeparators(image.source)));
    if (list && list->configPath.isEmpty())
        return Failure(ErrorClass::ArchiveMissingEntry, tr("The image manifest names no config: the archive is damaged."));
    return list;
}

/// Every digest, when parsed, is exactly sha256 and 64 hex digits (they name files); the
/// config's name is its digest; config and manifest list as many layers.
Status checkDigests(const ImageData &image, const ManifestList &list)
{
    const QString &configPath = list.configPath;
    for (const QString &d : std::as_const(image.config.diffIds)) {
        if (!isSha256Digest(d))
            return Failure(ErrorClass::ArchiveCorrupt,
                           tr("The image config “%1” names a layer “%2”, which is not a sha256 digest: the archive is damaged or hostile.")
                               .arg(configPath, d.left(100)));
    }
    for (const LayerRef &l : std::as_const(list.layers)) {
        if (!l.digest.isEmpty() && !isSha256Digest(l.digest))
            return Failure(ErrorClass::ArchiveCorrupt,
                           tr("The image manifest names a layer “%1”, which is not a sha256 digest: the archive is damaged or hostile.").arg(l.digest.left(100)));
    }
    // The config's name is its digest (blobs/sha256/HEX, or HEX.json in old docker saves).
    static const QRegularExpression named(u"^(?:blobs/sha256/([0-9a-f]{64})|([0-9a-f]{64})\\.json)$"_s);
    const auto m = named.match(QDir::cleanPath(configPath));
    const QString claimed = m.hasMatch() ? u"sha256:"_s + (m.captured(1).isEmpty() ? m.captured(2) : m.captured(1)) : QString();
    if (!claimed.isEmpty() && claimed != image.config.id)
        return Failure(ErrorClass::ArchiveDigestMismatch,
                       tr("The image config “%1” does not match its digest (its content hashes to %2): the archive is damaged or was altered; save the image again.")
                           .arg(configPath, image.config.id));
    if (image.config.diffIds.size() != list.layers.size())
        return Failure(ErrorClass::ArchiveCorrupt,
                       tr("The image config “%1” lists %2 layers (rootfs.diff_ids) but the manifest lists %3: the archive is inconsistent.")
                           .arg(configPath)
                           .arg(image.config.diffIds.size())
                           .arg(list.layers.size()));
    return {};
}

/// Layer i's blob is there, of the size the manifest says.
Status checkBlob(const KArchiveFile *blob, const LayerRef &ref, int i)
{
    if (!blob)
        return Failure(ErrorClass::ArchiveMissingEntry,
                       tr("Layer %1's blob “%2” is missing from the archive: it is incomplete; save the image again.").arg(i + 1).arg(ref.path));
    if (ref.size >= 0 && blob->size() != ref.size)
        return Failure(ErrorClass::ArchiveDigestMismatch,
                       tr("Layer %1's blob “%2” is %3 bytes but the manifest says %4: the archive is damaged or was altered; save the image again.")
                           .arg(i + 1)
                           .arg(ref.path)
                           .arg(blob->size())
                           .arg(ref.size));
    return {};
}

/// Reads every layer's entries (under the entry cap); report gets the blob bytes read.
Status readLayers(const OuterArchive &outer, const ManifestList &list, ImageData &image, const ImageArchive::Options &options,
                  const std::function<void(qint64)> &report)
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
        if (Status s = checkBlob(blob, ref, i); !s)
            return s;
        ImageLayer layer;
        layer.blobPath = ref.path;
        layer.digest = ref.digest;
        layer.mediaType = ref.mediaType;
        layer.diffId = image.config.diffIds.value(i);
        if (i < layerHistory.size()) {
            layer.createdBy = layerHistory.at(i)->createdBy;
            layer.created = layerHistory.at(i)->created;
        }
        if (Status s = readLayer(blob, layer, *image.paths, options); !s)
            return s;
        if (ref.size >= 0 && layer.compression != u"none")
            layer.compressedSize = ref.size;
        entries += layer.entries.size();
        if (entries > options.entryCap)
            return Failure(ErrorClass::ArchiveTooLarge,
                           tr("The image has more than %1 file entries (at layer “%2”), more than Gantry analyses: the archive is hostile or not an application image.")
                               .arg(options.entryCap)
                               .arg(ref.path));
        image.layers.append(std::move(layer));
        layerBytes += blob->size();
        report(layerBytes);
    }
    return {};
}

/// Why the outer tar could not be opened (cancelled, a header the audit refused, or not a tar).
Failure explainUnopenedTar(const HeaderAuditDevice &audit, const KTar &tar, const ImageData &image)
{
    if (audit.cancelled())
        return cancelledFailure();
    if (!audit.problem().isEmpty())
        return Failure(audit.problemClass(), audit.problem());
    return Failure(ErrorClass::ArchiveNotTar, tr("“%1” is not a tar archive (%2): give a file made by `docker save` or an OCI layout.")
                                                  .arg(QDir::toNativeSeparators(image.source), tar.errorString()));
}

Status readArchive(QIODevice *source, qint64 totalBytes, ImageData &image, const ImageArchive::Options &options)
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
    if (!tar.open(QIODevice::ReadOnly))
        return explainUnopenedTar(audit, tar, image);
    if (!audit.problem().isEmpty())
        return Failure(audit.problemClass(), audit.problem());
    audit.setAuditing(false);
    image.paths = std::make_shared<PathTable>();
    const OuterArchive outer(tar, options);
    const Result<ManifestList> list = readManifestList(outer, image);
    if (!list)
        return list.failure();
    Result<ImageConfig> config = readConfig(outer, list->configPath);
    if (!config)
        return config.failure();
    const QStringList repoTags = image.config.repoTags; // from manifest.json
    image.config = std::move(config).value();
    image.config.repoTags = repoTags;
    if (Status s = checkDigests(image, *list); !s)
        return s;
    if (Status s = readLayers(outer, *list, image, options, report); !s)
        return s;
    report(totalBytes);
    return {};
}

/// The archive file at PATH: opened, and decompressed when it is compressed.
Status readArchiveFile(const QString &path, ImageData &image, const ImageArchive::Options &options)
{
    QFile file(path);
    const QFileInfo info(path);
    if (info.isDir())
        return Failure(ErrorClass::ArchiveNotTar, tr("“%1” is a folder, not an image archive: give a file made by `docker save` or an OCI layout.")
                                                      .arg(QDir::toNativeSeparators(path)));
    if (!file.open(QIODevice::ReadOnly))
        return Failure(info.exists() ? ErrorClass::Unreadable : ErrorClass::NotFound,
                       tr("Cannot open “%1”: %2.").arg(QDir::toNativeSeparators(path), file.errorString()));
    image.archiveBytes = file.size();
    QString compression;
    const auto type = sniff(&file, &compression);
    if (type == KCompressionDevice::None)
        return readArchive(&file, file.size(), image, options);
    KCompressionDevice decompressor(&file, false, type);
    if (!decompressor.open(QIODevice::ReadOnly))
        return Failure(ErrorClass::ArchiveCorrupt,
                       tr("Cannot decompress “%1” (%2): %3").arg(QDir::toNativeSeparators(path), compression, decompressor.errorString()));
    return readArchive(&decompressor, -1, image, options);
}

/// Streams `docker save IMAGEREF` into the file at PATH; returns the bytes written.
Result<qint64> saveToTemporaryFile(const QString &dockerExecutable, const QString &imageRef, const QString &path, qint64 estimate,
                                   const ImageArchive::Options &options)
{
    QFile spool(path);
    if (!spool.open(QIODevice::WriteOnly))
        return Failure(ErrorClass::Other, tr("Cannot write the temporary copy of the image (%1): %2.").arg(QDir::toNativeSeparators(path), spool.errorString()));
    const qint64 total = estimate > 0 ? 2 * estimate : -1;
    std::function<void(qint64)> progress;
    if (options.progress)
        progress = [&](qint64 spooled) { options.progress(qMin(spooled, estimate > 0 ? estimate : spooled), total); };
    return spoolDockerSave(dockerExecutable, imageRef, spool, tr("the temporary copy of the image %1").arg(QDir::toNativeSeparators(path)),
                           progress, options.cancel);
}

} // namespace

qint64 ImageReadOptions::defaultExpandedLayerCap()
{
    constexpr qint64 builtIn = qint64(64) * 1000 * 1000 * 1000; // 64 GB: SI, as every size Gantry prints
    const QString fromEnv = qEnvironmentVariable("GANTRY_MAX_LAYER_SIZE");
    if (fromEnv.isEmpty())
        return builtIn;
    const std::optional<qint64> v = parseByteSize(fromEnv);
    return v && *v > 0 ? *v : builtIn;
}

Result<ImageData> ImageArchive::read(const QString &path, const Options &options)
{
    // KArchive warns on stderr about things Gantry reports itself (duplicate directories).
    static const bool quiet = [] {
        QLoggingCategory::setFilterRules(u"kf.archive.warning=false\nkf.archive.debug=false"_s);
        return true;
    }();
    Q_UNUSED(quiet)
    ImageData image;
    image.source = path;
    if (Status s = readArchiveFile(path, image, options); !s)
        return s.failure();
    return image;
}

Result<ImageData> ImageArchive::readFromEngine(const QString &dockerExecutable, const QString &imageRef, const Options &options)
{
    if (options.cancel && options.cancel->load())
        return cancelledFailure();
    // The archive's size is about the image's size: it weighs the two halves of the progress
    // (reading docker save's stream, then reading the archive).
    const Result<EngineImage> info = inspectEngineImage(dockerExecutable, imageRef);
    if (!info)
        return info.failure();
    const qint64 estimate = info->size;

    // KTar reads entries by offset, so docker save's stream is spooled into a private
    // temporary file (removed on return); nothing is extracted from it.
    QTemporaryDir dir;
    if (!dir.isValid())
        return Failure(ErrorClass::Other, tr("Cannot create a temporary folder for `docker save`: %1.").arg(dir.errorString()));
    const QString path = dir.filePath(u"image.tar"_s);
    const Result<qint64> spooled = saveToTemporaryFile(dockerExecutable, imageRef, path, estimate, options);
    if (!spooled)
        return spooled.failure();

    Options second = options;
    if (options.progress && estimate > 0) {
        const qint64 archiveBytes = *spooled;
        second.progress = [&options, estimate, archiveBytes](qint64 done, qint64) {
            options.progress(estimate + (archiveBytes > 0 ? done * estimate / archiveBytes : 0), 2 * estimate);
        };
    }
    Result<ImageData> image = read(path, second);
    if (image) {
        image->source = imageRef;
        image->engineId = info->id;
    }
    return image; // the QTemporaryDir removes the spooled archive
}

} // namespace Gantry
