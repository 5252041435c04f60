// SPDX-License-Identifier: MIT
// The image reader and size report: dive conformance, the other conformance archives,
// synthetic images written with KArchive (each with its expected figures) and the
// hostile-archive table.
#include "failuretext.h"
#include "image/imagearchive.h"
#include "image/imagereport.h"
#include "image/reportformat.h"
#include "util/processrunner.h"

#include <KCompressionDevice>
#include <KTar>

#include <QBuffer>
#include <QDir>
#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

QString conformance(const QString &name)
{
    return QStringLiteral(GANTRY_CONFORMANCE_DIR) + u"/dive/"_s + name;
}

/// One entry of a synthetic layer.
struct E
{
    enum Type { File, Dir, Symlink, Whiteout, Opaque };
    E(Type t, const QString &p, qint64 s = 0, const QString &link = {}, mode_t m = 0644)
        : type(t), path(p), size(s), target(link), mode(m)
    {
    }
    Type type;
    QString path;
    qint64 size;
    QString target;
    mode_t mode;
};

enum class Compression { None, Gzip, Zstd };

QByteArray layerTar(const QList<E> &entries, Compression compression = Compression::None)
{
    QByteArray out;
    QBuffer buffer(&out);
    buffer.open(QIODevice::WriteOnly);
    std::unique_ptr<KCompressionDevice> compressor;
    QIODevice *device = &buffer;
    if (compression != Compression::None) {
        compressor = std::make_unique<KCompressionDevice>(&buffer, false,
                                                          compression == Compression::Gzip ? KCompressionDevice::GZip : KCompressionDevice::Zstd);
        device = compressor.get();
    }
    {
        KTar tar(device);
        if (!tar.open(QIODevice::WriteOnly))
            qFatal("cannot write a layer tar");
        for (const E &e : entries) {
            switch (e.type) {
            case E::File:
                tar.writeFile(e.path, QByteArray(e.size, 'x'), e.mode, u"root"_s, u"root"_s);
                break;
            case E::Dir:
                tar.writeDir(e.path, u"root"_s, u"root"_s, 040755);
                break;
            case E::Symlink:
                tar.writeSymLink(e.path, e.target, u"root"_s, u"root"_s, 0120777);
                break;
            case E::Whiteout: {
                const qsizetype slash = e.path.lastIndexOf(u'/');
                tar.writeFile(e.path.left(slash + 1) + u".wh."_s + e.path.mid(slash + 1), QByteArray(), 0644);
                break;
            }
            case E::Opaque:
                tar.writeFile(e.path + u"/.wh..wh..opq"_s, QByteArray(), 0644);
                break;
            }
        }
        tar.close();
    }
    if (compressor)
        compressor->close();
    return out;
}

struct Synthetic
{
    QList<QByteArray> layers;        ///< layer blobs as written into the archive
    QList<QString> createdBy;
    int diffIdCount = -1;            ///< -1: one per layer
    bool writeConfig = true;
    QList<int> missingLayers;        ///< listed in the manifest, not in the archive
    QByteArray entrypoint = "[\"/app/server\"]";
};

/// A docker-save archive (manifest.json, config, layer blobs), written with KTar.
QString writeImage(const QTemporaryDir &dir, const QString &name, const Synthetic &s)
{
    const QString path = dir.filePath(name);
    KTar tar(path, u"application/x-tar"_s);
    if (!tar.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    QJsonArray diffIds, history, layers;
    for (int i = 0; i < s.layers.size(); ++i) {
        const QString digest = QString::fromLatin1(QCryptographicHash::hash(s.layers.at(i), QCryptographicHash::Sha256).toHex());
        const QString blob = QString(u"blobs/sha256/"_s + digest);
        layers.append(blob);
        if (s.diffIdCount < 0)
            diffIds.append(QString(u"sha256:"_s + digest));
        history.append(QJsonObject{{u"created_by"_s, s.createdBy.value(i, u"LAYER %1"_s.arg(i))}});
        if (i == 0)
            history.append(QJsonObject{{u"created_by"_s, u"ENV A=1"_s}, {u"empty_layer"_s, true}});
        if (!s.missingLayers.contains(i))
            tar.writeFile(blob, s.layers.at(i));
    }
    for (int i = 0; i < s.diffIdCount; ++i)
        diffIds.append(u"sha256:%1"_s.arg(i, 64, 10, QLatin1Char('0')));
    const QJsonObject config{{u"architecture"_s, u"amd64"_s},
                             {u"os"_s, u"linux"_s},
                             {u"config"_s, QJsonObject{{u"Entrypoint"_s, QJsonDocument::fromJson(s.entrypoint).array()}}},
                             {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s}, {u"diff_ids"_s, diffIds}}},
                             {u"history"_s, history}};
    const QByteArray configData = QJsonDocument(config).toJson();
    const QString configBlob = QString(u"blobs/sha256/"_s + QString::fromLatin1(QCryptographicHash::hash(configData, QCryptographicHash::Sha256).toHex()));
    if (s.writeConfig)
        tar.writeFile(configBlob, configData);
    const QJsonArray manifest{QJsonObject{{u"Config"_s, configBlob}, {u"RepoTags"_s, QJsonArray{u"synthetic:latest"_s}}, {u"Layers"_s, layers}}};
    tar.writeFile(u"manifest.json"_s, QJsonDocument(manifest).toJson());
    tar.close();
    return path;
}

ImageReport load(const QString &path)
{
    const Result<ImageData> image = ImageArchive::read(path);
    if (!image) {
        qWarning("%s", qPrintable(image.failure().sentence()));
        return analyzeImage(ImageData{});
    }
    return analyzeImage(*image);
}

const E base{E::File, u"base.bin"_s, 100};

qint64 reclaimedBy(const ImageReport &r, ReclaimableItem::Reason reason)
{
    qint64 sum = 0;
    for (const auto &i : r.reclaimable)
        if (i.reason == reason)
            sum += i.size;
    return sum;
}

} // namespace

class TestImage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void diveConformance()
    {
        const Result<ImageData> read = ImageArchive::read(conformance(u"test-docker-image.tar"_s));
        QVERIFY2(read, qPrintable(GantryTest::failureText(read)));
        const ImageData &image = *read;
        const ImageReport r = analyzeImage(image);
        QCOMPARE(r.layers.size(), 14);
        QCOMPARE(r.fileEntries, 451);
        QCOMPARE(r.sizeBytes, 1220598);
        QCOMPARE(r.userSizeBytes, 66237);
        QCOMPARE(r.efficiency, 0.9844212134184309);
        QCOMPARE(r.wastedBytes, 32025);
        QCOMPARE(r.userWastedPercent, 0.4834911001404049);
        const QList<qint64> sizes{1154361, 6405, 0, 6405, 6405, 6405, 6405, 6405, 6405, 0, 2187, 6405, 6405, 6405};
        const QList<int> entries{415, 1, 4, 3, 3, 3, 3, 4, 2, 2, 4, 2, 3, 2};
        for (int i = 0; i < 14; ++i) {
            QCOMPARE(r.layers.at(i).size, sizes.at(i));
            QCOMPARE(r.layers.at(i).entries, entries.at(i));
        }
        QCOMPARE(r.inefficiencies.size(), 3);
        QMap<QString, std::pair<int, qint64>> got;
        for (const auto &i : r.inefficiencies)
            got.insert(i.path, {i.count, i.cumulativeSize});
        QCOMPARE(got.value(u"/root/saved.txt"_s), std::make_pair(2, qint64(12810)));
        QCOMPARE(got.value(u"/root/example/somefile1.txt"_s), std::make_pair(2, qint64(12810)));
        QCOMPARE(got.value(u"/root/example/somefile3.txt"_s), std::make_pair(2, qint64(6405)));
        // The instruction of each layer comes from the history, skipping empty layers.
        QCOMPARE(r.layers.at(2).createdBy, u"/bin/sh -c mkdir -p /root/example/really/nested"_s);
        QCOMPARE(r.layers.at(13).createdBy, u"/bin/sh -c chmod +x /root/saved.txt"_s);
        // Gantry's own: five dead 6405-byte copies; each byte once.
        QCOMPARE(r.reclaimableBytes, 5 * 6405);
        QCOMPARE(r.reclaimableBytes, r.sizeBytes - r.finalSizeBytes);
        QCOMPARE(r.layers.at(9).removed, 2); // rm -rf /root/example/ (somefile1, somefile2)
        QCOMPARE(r.layers.at(4).modified, 1); // chmod 444
        // The JSON keys the issue promises.
        const QJsonObject json = reportToJson(r);
        QCOMPARE(json.value(u"sizeBytes").toInteger(), 1220598);
        QCOMPARE(json.value(u"userSizeBytes").toInteger(), 66237);
        QCOMPARE(json.value(u"wastedBytes").toInteger(), 32025);
        QCOMPARE(json.value(u"efficiency").toDouble(), 0.9844212134184309);
        QCOMPARE(json.value(u"userWastedPercent").toDouble(), 0.4834911001404049);
        QCOMPARE(json.value(u"reclaimableBytes").toInteger(), 32025);
        QCOMPARE(json.value(u"layers").toArray().at(0).toObject().value(u"size").toInteger(), 1154361);
    }

    void otherConformanceArchives_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("compression");
        QTest::newRow("oci uncompressed") << u"test-oci-uncompressed-image.tar"_s << u"none"_s;
        QTest::newRow("oci gzip") << u"test-oci-gzip-image.tar"_s << u"gzip"_s;
        QTest::newRow("oci zstd") << u"test-oci-zstd-image.tar"_s << u"zstd"_s;
        QTest::newRow("oci estargz") << u"test-oci-estargz-image.tar"_s << u"gzip"_s;
    }
    void otherConformanceArchives()
    {
        QFETCH(QString, file);
        QFETCH(QString, compression);
        const Result<ImageData> read = ImageArchive::read(conformance(file));
        QVERIFY2(read, qPrintable(GantryTest::failureText(read)));
        const ImageData &image = *read;
        QCOMPARE(image.format, u"oci-layout"_s);
        const ImageReport r = analyzeImage(image);
        QCOMPARE(r.layers.size(), 1);
        QCOMPARE(r.layers.at(0).compression, compression);
        QVERIFY(image.paths->find(u"/README.md"_s) >= 0);
        QCOMPARE(r.sizeBytes, r.layers.at(0).size);
        QVERIFY(r.sizeBytes > 0);
        QCOMPARE(r.userSizeBytes, 0);
        QCOMPARE(r.efficiency, 1.0);
        QCOMPARE(r.wastedBytes, 0);
        QCOMPARE(r.reclaimableBytes, 0);
        if (compression != u"none")
            QVERIFY(r.layers.at(0).compressedSize > 0 && r.layers.at(0).compressedSize < r.layers.at(0).tarSize);
    }

    void kanikoGzipLayersFollowTheSameRules()
    {
        const Result<ImageData> read = ImageArchive::read(conformance(u"test-kaniko-image.tar"_s));
        QVERIFY2(read, qPrintable(GantryTest::failureText(read)));
        const ImageData &image = *read;
        const ImageReport r = analyzeImage(image);
        QCOMPARE(r.layers.size(), 14);
        for (const auto &l : r.layers)
            QCOMPARE(l.compression, u"gzip"_s);
        // The same Dockerfile as dive's image with a 9249-byte file: the same three paths.
        QCOMPARE(r.inefficiencies.size(), 3);
        QCOMPARE(r.wastedBytes, 5 * 9249);
        QCOMPARE(r.reclaimableBytes, 5 * 9249);
        QCOMPARE(r.layers.at(1).size, 9249);
        QCOMPARE(r.layers.at(9).size, 0);
        QCOMPARE(r.userWastedPercent, double(r.wastedBytes) / double(r.userSizeBytes));
    }

    void deletedFile()
    {
        QTemporaryDir dir;
        Synthetic s;
        s.layers = {layerTar({base}), layerTar({{E::File, u"a/file1"_s, 1000}, {E::File, u"a/keep"_s, 10}}), layerTar({{E::Whiteout, u"a/file1"_s}})};
        const ImageReport r = load(writeImage(dir, u"deleted-file.tar"_s, s));
        QCOMPARE(r.layers.size(), 3);
        QCOMPARE(r.sizeBytes, 1110);
        QCOMPARE(r.userSizeBytes, 1010);
        QCOMPARE(r.wastedBytes, 1000);
        QCOMPARE(r.efficiency, 110.0 / 1110.0);
        QCOMPARE(r.userWastedPercent, 1000.0 / 1010.0);
        QCOMPARE(r.layers.at(1).entries, 3);
        QCOMPARE(r.layers.at(2).entries, 2);
        QCOMPARE(r.layers.at(2).removed, 1);
        QCOMPARE(r.layers.at(2).removedBytes, 1000);
        QCOMPARE(r.reclaimableBytes, 1000);
        QCOMPARE(reclaimedBy(r, ReclaimableItem::Reason::Deleted), 1000);
        QCOMPARE(r.reclaimable.at(0).path, u"/a/file1"_s);
        QCOMPARE(r.reclaimable.at(0).layer, 1);
        QCOMPARE(r.reclaimable.at(0).byLayer, 2);
        QCOMPARE(r.finalSizeBytes, 110);
        QCOMPARE(r.finalFiles, 2);
        // The tree at layer 2 shows the file as removed, the folder with what is left.
        const LayerView v = layerView(r, 2);
        QCOMPARE(v.nodes.at(r.image.paths->find(u"/a/file1"_s)).change, LayerView::Change::Removed);
        QCOMPARE(v.nodes.at(r.image.paths->find(u"/a"_s)).size, 10);
    }

    void deletedDirectory()
    {
        QTemporaryDir dir;
        Synthetic s;
        s.layers = {layerTar({base}),
                    layerTar({{E::Dir, u"d"_s}, {E::File, u"d/x"_s, 300}, {E::File, u"d/sub/y"_s, 200}, {E::File, u"keep"_s, 5}}, Compression::Gzip),
                    layerTar({{E::Whiteout, u"d"_s}}, Compression::Gzip)};
        const ImageReport r = load(writeImage(dir, u"deleted-dir.tar"_s, s));
        QCOMPARE(r.layers.at(1).compression, u"gzip"_s);
        QCOMPARE(r.sizeBytes, 605);
        // dive: the directory's whiteout is the only leaf touching /d; it weighs what was below.
        QCOMPARE(r.layers.at(2).entries, 1);
        QCOMPARE(r.wastedBytes, 0);
        QCOMPARE(r.efficiency, 1.0);
        // Gantry: the two files are dead weight in layer 1.
        QCOMPARE(r.reclaimableBytes, 500);
        QCOMPARE(r.layers.at(1).reclaimableBytes, 500);
        QCOMPARE(r.layers.at(2).removed, 2);
        QCOMPARE(r.finalSizeBytes, 105);
        QCOMPARE(r.image.paths->find(u"/d/sub/y"_s) >= 0, true);
    }

    void opaqueDirectory()
    {
        QTemporaryDir dir;
        Synthetic s;
        s.layers = {layerTar({base}),
                    layerTar({{E::Dir, u"o"_s}, {E::File, u"o/old1"_s, 400}, {E::File, u"o/old2"_s, 100}}),
                    layerTar({{E::Dir, u"o"_s}, {E::Opaque, u"o"_s}, {E::File, u"o/new"_s, 50}}, Compression::Zstd)};
        const ImageReport r = load(writeImage(dir, u"opaque.tar"_s, s));
        QCOMPARE(r.layers.at(2).compression, u"zstd"_s);
        QCOMPARE(r.sizeBytes, 650);
        QCOMPARE(r.layers.at(2).entries, 2); // dive drops the marker
        QCOMPARE(r.efficiency, 1.0);
        QCOMPARE(r.wastedBytes, 0);
        QCOMPARE(r.reclaimableBytes, 500);
        QCOMPARE(reclaimedBy(r, ReclaimableItem::Reason::HiddenByOpaqueDirectory), 500);
        QCOMPARE(r.layers.at(2).removed, 2);
        QCOMPARE(r.layers.at(2).added, 1);
        QCOMPARE(r.finalSizeBytes, 150);
        QCOMPARE(r.finalFiles, 2);
    }

    void rewrittenFile()
    {
        QTemporaryDir dir;
        Synthetic s;
        s.layers = {layerTar({base}), layerTar({{E::File, u"f"_s, 1000}}), layerTar({{E::File, u"f"_s, 1200}})};
        const ImageReport r = load(writeImage(dir, u"rewritten.tar"_s, s));
        QCOMPARE(r.sizeBytes, 2300);
        QCOMPARE(r.wastedBytes, 2200);
        QCOMPARE(r.efficiency, 1100.0 / 2300.0);
        QCOMPARE(r.userWastedPercent, 1.0);
        QCOMPARE(r.reclaimableBytes, 1000);
        QCOMPARE(reclaimedBy(r, ReclaimableItem::Reason::Overwritten), 1000);
        QCOMPARE(r.layers.at(2).modified, 1);
        QCOMPARE(r.layers.at(2).added, 0);
        QCOMPARE(r.finalSizeBytes, 1300);
    }

    void chmodOnly()
    {
        QTemporaryDir dir;
        Synthetic s;
        s.layers = {layerTar({base}), layerTar({{E::File, u"f"_s, 1000, {}, 0644}}), layerTar({{E::File, u"f"_s, 1000, {}, 0755}})};
        const ImageReport r = load(writeImage(dir, u"chmod.tar"_s, s));
        QCOMPARE(r.wastedBytes, 2000);
        QCOMPARE(r.efficiency, 1100.0 / 2100.0);
        QCOMPARE(r.reclaimableBytes, 1000);
        QCOMPARE(r.layers.at(2).modified, 1);
        const LayerView v = layerView(r, 2);
        const auto &node = v.nodes.at(r.image.paths->find(u"/f"_s));
        QCOMPARE(node.change, LayerView::Change::Modified);
        QCOMPARE(node.mode, 0755u);
        QCOMPARE(layerView(r, 1).nodes.at(r.image.paths->find(u"/f"_s)).mode, 0644u);
    }

    void unicodeAndLongNames()
    {
        QTemporaryDir dir;
        const QString unicode = u"données/日本語/ファイル 🚀.txt"_s;
        const QString longName = u"long/"_s + QString(250, u'x') + u"/file-with-a-long-name.bin"_s;
        Synthetic s;
        s.layers = {layerTar({base}), layerTar({{E::File, unicode, 123}, {E::File, longName, 77}}, Compression::Gzip)};
        const ImageReport r = load(writeImage(dir, u"names.tar"_s, s));
        QCOMPARE(r.layers.size(), 2);
        const int u = r.image.paths->find(u'/' + unicode);
        const int l = r.image.paths->find(u'/' + longName);
        QVERIFY2(u >= 0, "the unicode name is read back exactly");
        QVERIFY2(l >= 0, "the 300-character name is read back exactly");
        QCOMPARE(r.layers.at(1).size, 200);
        QCOMPARE(r.layers.at(1).entries, 6);
        QCOMPARE(r.layers.at(1).added, 2);
        QCOMPARE(r.finalSizeBytes, 300);
        QCOMPARE(r.efficiency, 1.0);
        QCOMPARE(r.largestFiles.at(0).path, u'/' + unicode);
    }

    void paxRecordsGiveTheRealNames()
    {
        // Go's archive/tar (docker, buildkit) and GNU tar write long and non-ASCII names as
        // PAX records; KTar skips those, Gantry applies them. The layer is written by tar.
        QTemporaryDir dir;
        const QString longName = u"d/sub/"_s + QString(150, u'n') + u".bin"_s;
        const QString unicode = u"d/ファイル.txt"_s;
        QDir(dir.path()).mkpath(u"root/d/sub"_s);
        for (const auto &[name, size] : {std::pair{longName, 33}, std::pair{unicode, 44}}) {
            QFile f(dir.filePath(u"root/"_s + name));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(size, 'p'));
        }
        const auto tar = Gantry::runProcess(u"tar"_s, {u"--format=pax"_s, u"-cf"_s, dir.filePath(u"layer.tar"_s), u"-C"_s, dir.filePath(u"root"_s), u"d"_s});
        QVERIFY2(tar.ok(), qPrintable(tar.stderrText()));
        QFile layer(dir.filePath(u"layer.tar"_s));
        QVERIFY(layer.open(QIODevice::ReadOnly));
        Synthetic s;
        s.layers = {layer.readAll()};
        const ImageReport r = load(writeImage(dir, u"pax.tar"_s, s));
        QCOMPARE(r.layers.size(), 1);
        QVERIFY2(r.image.paths->find(u'/' + longName) >= 0, "the 150-character name comes from its PAX record");
        QVERIFY2(r.image.paths->find(u'/' + unicode) >= 0, "the non-ASCII name comes from its PAX record");
        QCOMPARE(r.sizeBytes, 77);
        QCOMPARE(r.finalFiles, 2);
    }

    void payloadIsTheEntrypointAndFrontend()
    {
        QTemporaryDir dir;
        Synthetic s;
        s.layers = {layerTar({{E::File, u"etc/ssl/certs/ca.crt"_s, 3000}}),
                    layerTar({{E::File, u"app/server"_s, 5000, {}, 0755}}),
                    layerTar({{E::File, u"app/public/index.html"_s, 400}, {E::File, u"app/public/assets/app.js"_s, 600}})};
        const ImageReport r = load(writeImage(dir, u"payload.tar"_s, s));
        QCOMPARE(r.payloadBytes, 6000);
        QCOMPARE(r.payloadFiles, 3);
        QCOMPARE(r.overheadBytes, 3000);
        QCOMPARE(r.payloadRoots, (QStringList{u"/app/server"_s, u"/app/public"_s}));
    }

    void compareTwoImages()
    {
        QTemporaryDir dir;
        Synthetic a;
        a.layers = {layerTar({base}), layerTar({{E::File, u"app/server"_s, 5000}})};
        Synthetic b;
        b.layers = {layerTar({base}), layerTar({{E::File, u"app/server"_s, 7000}, {E::File, u"app/new"_s, 10}})};
        const ImageDiff d = diffImages(load(writeImage(dir, u"a.tar"_s, a)), load(writeImage(dir, u"b.tar"_s, b)));
        QCOMPARE(d.sizeB - d.sizeA, 2010);
        QCOMPARE(d.layers.size(), 2);
        QVERIFY(d.layers.at(0).same);
        QVERIFY(!d.layers.at(1).same);
        QCOMPARE(d.layers.at(1).sizeB - d.layers.at(1).sizeA, 2010);
        QCOMPARE(d.paths.size(), 2);
        QCOMPARE(d.paths.at(0).path, u"/app/server"_s);
        QCOMPARE(d.paths.at(0).delta(), 2000);
        QCOMPARE(d.paths.at(1).path, u"/app/new"_s);
        QCOMPARE(d.paths.at(1).sizeA, -1);
    }

    void hostileArchives_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected"); // the message must name the entry / say what is wrong
        QTest::newRow("dot-dot path") << u"dotdot"_s << u"../../etc/evil"_s;
        QTest::newRow("absolute path") << u"absolute"_s << u"/etc/evil"_s;
        QTest::newRow("symlink pointing out") << u"symlink"_s << u"/app/link"_s;
        QTest::newRow("huge declared size") << u"huge"_s << u"big.bin"_s;
        QTest::newRow("truncated gzip layer") << u"truncated-gzip"_s << u"blobs/sha256/"_s;
        QTest::newRow("missing layer blob") << u"missing-blob"_s << u"is missing from the archive"_s;
        QTest::newRow("missing config") << u"missing-config"_s << u"the image config"_s;
        QTest::newRow("layer count disagrees with the config") << u"count"_s << u"lists 3 layers"_s;
        QTest::newRow("truncated archive") << u"truncated-outer"_s << u"truncated"_s;
        QTest::newRow("not an archive") << u"garbage"_s << u"not a tar archive"_s;
        QTest::newRow("a tar but not an image") << u"not-image"_s << u"neither manifest.json"_s;
    }
    void hostileArchives()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        Synthetic s;
        QString path;
        if (kind == u"dotdot")
            s.layers = {layerTar({base, {E::File, u"../../etc/evil"_s, 10}})};
        else if (kind == u"absolute")
            s.layers = {layerTar({base, {E::File, u"/etc/evil"_s, 10}})};
        else if (kind == u"symlink")
            s.layers = {layerTar({base, {E::Symlink, u"app/link"_s, 0, u"../../../etc/shadow"_s}})};
        else if (kind == u"huge") {
            QByteArray out;
            QBuffer buffer(&out);
            buffer.open(QIODevice::WriteOnly);
            KTar tar(&buffer);
            tar.open(QIODevice::WriteOnly);
            tar.writeFile(u"small"_s, QByteArray(10, 'a'));
            tar.prepareWriting(u"big.bin"_s, u"root"_s, u"root"_s, qint64(4) << 30, 0644); // declares 4 GiB
            tar.writeData("only a few bytes", 16);
            buffer.close();
            s.layers = {out};
        } else if (kind == u"truncated-gzip") {
            QList<E> many;
            for (int i = 0; i < 50; ++i)
                many.append({E::File, u"f%1"_s.arg(i), 4000});
            QByteArray gz = layerTar(many, Compression::Gzip);
            gz.truncate(gz.size() / 2);
            s.layers = {layerTar({base}), gz};
        } else if (kind == u"missing-blob") {
            s.layers = {layerTar({base}), layerTar({{E::File, u"x"_s, 1}})};
            s.missingLayers = {1};
        } else if (kind == u"missing-config") {
            s.layers = {layerTar({base})};
            s.writeConfig = false;
        } else if (kind == u"count") {
            s.layers = {layerTar({base}), layerTar({{E::File, u"x"_s, 1}})};
            s.diffIdCount = 3;
        }
        if (kind == u"truncated-outer") {
            s.layers = {layerTar({base}), layerTar({{E::File, u"x"_s, 100000}})};
            path = writeImage(dir, u"image.tar"_s, s);
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(f.size() / 2));
        } else if (kind == u"garbage") {
            path = dir.filePath(u"garbage.tar"_s);
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(5000, '\x7f'));
        } else if (kind == u"not-image") {
            path = dir.filePath(u"plain.tar"_s);
            KTar tar(path, u"application/x-tar"_s);
            QVERIFY(tar.open(QIODevice::WriteOnly));
            tar.writeFile(u"hello.txt"_s, "hello");
            tar.close();
        } else if (path.isEmpty()) {
            path = writeImage(dir, u"image.tar"_s, s);
        }
        const Result<ImageData> read = ImageArchive::read(path);
        QVERIFY(!read);
        const QString error = read.failure().sentence();
        qInfo("%s → %s", qPrintable(kind), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(!error.contains(u'\n'), "one sentence, one line");
    }

    void entryCapAndCancel()
    {
        QTemporaryDir dir;
        Synthetic s;
        s.layers = {layerTar({{E::File, u"a"_s, 1}, {E::File, u"b"_s, 1}, {E::File, u"c"_s, 1}, {E::File, u"d"_s, 1}})};
        const QString path = writeImage(dir, u"many.tar"_s, s);
        ImageArchive::Options options;
        options.entryCap = 3;
        const Result<ImageData> capped = ImageArchive::read(path, options);
        QVERIFY(!capped);
        QVERIFY2(capped.failure().sentence().contains(u"more than 3 file entries"_s), qPrintable(capped.failure().sentence()));
        std::atomic_bool cancel{true};
        ImageArchive::Options cancelled;
        cancelled.cancel = &cancel;
        const Result<ImageData> stopped = ImageArchive::read(path, cancelled);
        QVERIFY(!stopped);
        QCOMPARE(stopped.failure().sentence(), u"Cancelled."_s);
    }

    void ciRulesAndSizes()
    {
        QCOMPARE(parseByteSize(u"20MB"_s), std::optional<qint64>(20000000));
        QCOMPARE(parseByteSize(u"1.5 GiB"_s), std::optional<qint64>(1610612736));
        QCOMPARE(parseByteSize(u"1048576"_s), std::optional<qint64>(1048576));
        QVERIFY(!parseByteSize(u"lots"_s));
        QCOMPARE(parseRatio(u"90%"_s), std::optional<double>(0.9));
        ImageReport r;
        r.efficiency = 0.5;
        r.wastedBytes = 100;
        r.userWastedPercent = 0.3;
        r.sizeBytes = 1000;
        CiRules rules;
        QVERIFY(ciFailures(r, rules).isEmpty());
        rules.lowestEfficiency = 0.9;
        rules.highestWastedBytes = 50;
        rules.highestUserWastedPercent = 0.1;
        rules.maxSize = 999;
        const QStringList failures = ciFailures(r, rules);
        QCOMPARE(failures.size(), 4);
        QVERIFY(failures.at(0).startsWith(u"lowest-efficiency"_s));
        QVERIFY(failures.at(3).startsWith(u"max-size"_s));
    }
};

QTEST_GUILESS_MAIN(TestImage)
#include "tst_image.moc"
