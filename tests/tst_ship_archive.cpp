// SPDX-License-Identifier: MIT
// Issue 14 finding 7: Ship reads image archives through the one hardened reader Inspect and
// Export use (ImageArchive, then ImageLayerStream for the bytes). Hostile archives, made here
// with KArchive, are handed to Ship's own preparation (prepareImage, as the GUI and the CLI
// call it) and to `gantry ship`: a bomb-like layer past a small GANTRY_MAX_LAYER_SIZE, in a
// .tar.gz and in a .tar.zst; a layer path with "../"; a layer entry climbing out with "../";
// digests with shell characters. Each ends in one sentence, with nothing left in the
// temporary folder or Gantry's cache. A compressed archive is streamed: while a 128 MiB
// layer is read from a .tar.gz or .tar.zst, neither the temporary folder nor memory holds a
// decompressed copy.
#include "ship/shipper.h"
#include "testsupport.h"

#include <KCompressionDevice>
#include <KTar>

#include <QBuffer>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <functional>
#include <thread>

using namespace Qt::StringLiterals;
using namespace Gantry;

namespace {

/// What a hostile archive gets wrong (empty: nothing, a well-formed image).
struct Twist
{
    QString layerPath;    ///< the layer's name in the archive and manifest (default blobs/sha256/HEX)
    QString entryName = u"var/preallocated.db"_s; ///< the one file in the layer
    QString diffId;       ///< the config's diff id (default: the real one)
    QString blobDigestPath; ///< when set, the manifest names the layer by this path instead
    bool plainLayer = false; ///< the layer stored as a plain tar (as docker save does), not gzip'd
};

} // namespace

Q_DECLARE_METATYPE(Twist)

namespace {

/// A docker-save archive whose one layer (gzip'd, or plain with twist.plainLayer) holds one
/// file of `size` zero bytes; outerType: the outer archive's compression (None, GZip, Zstd).
/// Returns the layer's real diff id.
QString writeImage(const QString &path, qint64 size, KCompressionDevice::CompressionType outerType, const Twist &twist = {})
{
    QByteArray gz;
    QCryptographicHash diff(QCryptographicHash::Sha256);
    {
        QByteArray tarBytes;
        QBuffer tarBuffer(&tarBytes);
        tarBuffer.open(QIODevice::WriteOnly);
        KTar tar(&tarBuffer);
        if (!tar.open(QIODevice::WriteOnly))
            return {};
        tar.prepareWriting(twist.entryName, u"root"_s, u"root"_s, size, 0100644);
        const QByteArray chunk(1 << 20, '\0');
        for (qint64 left = size; left > 0; left -= chunk.size())
            tar.writeData(chunk.constData(), std::min<qint64>(left, chunk.size()));
        tar.finishWriting(size);
        tar.close();
        diff.addData(tarBytes);
        QBuffer gzBuffer(&gz);
        gzBuffer.open(QIODevice::WriteOnly);
        KCompressionDevice dev(&gzBuffer, false, KCompressionDevice::GZip);
        if (!dev.open(QIODevice::WriteOnly) || dev.write(tarBytes) != tarBytes.size())
            return {};
        dev.close();
        if (twist.plainLayer)
            gz = tarBytes;
    }
    const QString realDiffId = u"sha256:"_s + QString::fromLatin1(diff.result().toHex());
    const QString blob = twist.layerPath.isEmpty()
        ? u"blobs/sha256/"_s + QString::fromLatin1(QCryptographicHash::hash(gz, QCryptographicHash::Sha256).toHex())
        : twist.layerPath;
    const QJsonObject config{{u"architecture"_s, u"amd64"_s},
                             {u"os"_s, u"linux"_s},
                             {u"rootfs"_s, QJsonObject{{u"type"_s, u"layers"_s},
                                                       {u"diff_ids"_s, QJsonArray{twist.diffId.isEmpty() ? realDiffId : twist.diffId}}}}};
    const QByteArray configData = QJsonDocument(config).toJson(QJsonDocument::Compact);
    const QString configBlob = u"blobs/sha256/"_s + QString::fromLatin1(QCryptographicHash::hash(configData, QCryptographicHash::Sha256).toHex());
    const QJsonArray manifest{QJsonObject{{u"Config"_s, configBlob},
                                          {u"RepoTags"_s, QJsonArray{u"ship-archive-test:latest"_s}},
                                          {u"Layers"_s, QJsonArray{twist.blobDigestPath.isEmpty() ? blob : twist.blobDigestPath}}}};
    QByteArray outerBytes;
    {
        QBuffer outerBuffer(&outerBytes);
        outerBuffer.open(QIODevice::WriteOnly);
        KTar outer(&outerBuffer);
        if (!outer.open(QIODevice::WriteOnly))
            return {};
        outer.writeFile(blob, gz);
        outer.writeFile(configBlob, configData);
        outer.writeFile(u"manifest.json"_s, QJsonDocument(manifest).toJson(QJsonDocument::Compact));
        outer.close();
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    if (outerType == KCompressionDevice::None) {
        file.write(outerBytes);
        return realDiffId;
    }
    KCompressionDevice dev(&file, false, outerType);
    if (!dev.open(QIODevice::WriteOnly) || dev.write(outerBytes) != outerBytes.size())
        return {};
    dev.close();
    return realDiffId;
}

/// Every file under dir (recursively), for "nothing was left behind".
QStringList filesUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    return files;
}

qint64 bytesUnder(const QString &dir)
{
    qint64 total = 0;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

/// Bytes in files this process holds open under dir, named or not: Qt makes temporary files
/// with O_TMPFILE, which no directory listing shows (/proc/self/fd does: "dir/#123 (deleted)").
qint64 bytesOpenUnder(const QString &dir)
{
    qint64 total = 0;
    const QDir fds(u"/proc/self/fd"_s);
    for (const QString &fd : fds.entryList(QDir::System | QDir::NoDotAndDotDot)) {
        const QString target = QFile::symLinkTarget(fds.filePath(fd));
        if (target.startsWith(dir + u'/'))
            total += QFileInfo(fds.filePath(fd)).size(); // stat() follows the link to the open file
    }
    return total;
}

/// This process's resident memory (VmRSS).
qint64 residentBytes()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
    return 0;
}

bool isOneSentence(const QString &text)
{
    return !text.isEmpty() && !text.contains(u'\n') && text.trimmed().endsWith(u'.');
}

} // namespace

class TestShipArchive : public QObject
{
    Q_OBJECT
    QTemporaryDir m_work;
    QString m_tmp, m_cache;

    ShipOptions options() const
    {
        ShipOptions o;
        o.mode = ShipMode::Delta;
        o.cacheDir = m_cache;
        return o;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_work.isValid());
        m_tmp = m_work.filePath(u"tmp"_s);
        m_cache = m_work.filePath(u"cache"_s);
        QVERIFY(QDir().mkpath(m_tmp));
        // QDir::tempPath() (KTar's, QTemporaryFile's and QTemporaryDir's folder) is this one.
        qputenv("TMPDIR", m_tmp.toUtf8());
        QCOMPARE(QDir::tempPath(), m_tmp);
    }

    void init()
    {
        QDir(m_cache).removeRecursively();
        qunsetenv("GANTRY_MAX_LAYER_SIZE");
    }

    void hostileArchiveEndsInOneSentence_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("outer");
        QTest::addColumn<Twist>("twist");
        QTest::addColumn<QString>("cap");
        QTest::addColumn<QStringList>("words");
        const QStringList bomb{u"decompression bomb"_s, u"limit of 16.0 MB"_s, u"GANTRY_MAX_LAYER_SIZE"_s};
        QTest::newRow("bomb-like layer in a .tar.gz") << u"bomb.tar.gz"_s << int(KCompressionDevice::GZip) << Twist{} << u"16MB"_s << bomb;
        QTest::newRow("oversized plain layer in a .tar.gz") << u"bomb-plain.tar.gz"_s << int(KCompressionDevice::GZip)
                                                             << Twist{{}, u"var/preallocated.db"_s, {}, {}, true} << u"16MB"_s
                                                             << QStringList{u"is 67.1 MB"_s /* 64 MiB, in SI */, u"past the limit of 16.0 MB"_s, u"GANTRY_MAX_LAYER_SIZE"_s};
        QTest::newRow("bomb-like layer in a .tar.zst") << u"bomb.tar.zst"_s << int(KCompressionDevice::Zstd) << Twist{} << u"16MB"_s << bomb;
        QTest::newRow("layer path with ../") << u"climb.tar"_s << int(KCompressionDevice::None)
                                              << Twist{u"../../outside/layer.tar"_s, u"a.txt"_s, {}, {}} << QString()
                                              << QStringList{u"outside"_s};
        QTest::newRow("layer entry with ../") << u"entry-climb.tar.gz"_s << int(KCompressionDevice::GZip)
                                               << Twist{{}, u"../../etc/cron.d/gantry-pwned"_s, {}, {}} << QString()
                                               << QStringList{u"hostile"_s};
        QTest::newRow("diff id with shell characters") << u"diffid.tar"_s << int(KCompressionDevice::None)
                                                        << Twist{{}, u"a.txt"_s, u"sha256:$(touch /tmp/ship-archive-pwned)"_s, {}} << QString()
                                                        << QStringList{u"not a sha256 digest"_s};
        QTest::newRow("blob digest with shell characters") << u"blobdigest.tar"_s << int(KCompressionDevice::None)
                                                            << Twist{{}, u"a.txt"_s, {}, u"blobs/sha256/`touch /tmp/ship-archive-pwned`"_s}
                                                            << QString() << QStringList{u"not a sha256 digest"_s};
    }

    void hostileArchiveEndsInOneSentence()
    {
        QFETCH(QString, name);
        QFETCH(int, outer);
        QFETCH(Twist, twist);
        QFETCH(QString, cap);
        QFETCH(QStringList, words);
        const QString path = m_work.filePath(name);
        QVERIFY(!writeImage(path, qint64(64) << 20, KCompressionDevice::CompressionType(outer), twist).isEmpty());
        if (!cap.isEmpty())
            qputenv("GANTRY_MAX_LAYER_SIZE", cap.toUtf8());
        const auto image = prepareImage(path, options(), {}, nullptr);
        QVERIFY(!image);
        const QString error = image.failure().sentence();
        qInfo().noquote() << name << "→" << error;
        QVERIFY2(isOneSentence(error), qPrintable(error));
        for (const QString &w : std::as_const(words))
            QVERIFY2(error.contains(w), qPrintable(u"missing “%1” in: %2"_s.arg(w, error)));
        QVERIFY2(filesUnder(m_tmp).isEmpty(), qPrintable(filesUnder(m_tmp).join(u", "_s)));
        QVERIFY2(filesUnder(m_cache).isEmpty(), qPrintable(filesUnder(m_cache).join(u", "_s)));
        QVERIFY(!QFile::exists(u"/tmp/ship-archive-pwned"_s));
        QVERIFY(!QFile::exists(u"/etc/cron.d/gantry-pwned"_s));
    }

    // The same bomb through the command a user types: one line, before any connection is tried
    // (the destination is a port nothing listens on).
    void cliRefusesTheBombInOneLine()
    {
        const QString path = m_work.filePath(u"cli-bomb.tar.gz"_s);
        QVERIFY(!writeImage(path, qint64(64) << 20, KCompressionDevice::GZip).isEmpty());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"GANTRY_MAX_LAYER_SIZE"_s, u"16MiB"_s);
        env.insert(u"TMPDIR"_s, m_tmp);
        env.insert(u"XDG_CACHE_HOME"_s, m_cache);
        const auto r = GantryTest::runGantry({u"ship"_s, path, u"--to"_s, u"root@127.0.0.1:1"_s, u"--batch"_s}, env, 120000);
        QVERIFY(r.started);
        QVERIFY(r.exitCode != 0);
        const QStringList lines = r.stderrText().split(u'\n', Qt::SkipEmptyParts);
        QVERIFY(!lines.isEmpty());
        const QString last = lines.constLast();
        QVERIFY2(last.startsWith(u"gantry ship: Layer "_s) && last.contains(u"decompression bomb"_s) && last.contains(u"--max-layer-size"_s),
                 qPrintable(r.stderrText()));
        QVERIFY2(!r.stderrText().contains(u"127.0.0.1"_s), qPrintable(r.stderrText())); // refused before connecting
        QVERIFY2(filesUnder(m_tmp).isEmpty(), qPrintable(filesUnder(m_tmp).join(u", "_s)));
        QVERIFY2(filesUnder(m_cache).isEmpty(), qPrintable(filesUnder(m_cache).join(u", "_s)));
    }

    // Under the default cap, the same kind of archive ships: its layer lands in the cache as a
    // gzip blob whose content is the diff id, and the compressed outer archive is streamed —
    // neither the temporary folder nor memory ever holds a decompressed copy.
    void compressedArchiveIsStreamed_data()
    {
        QTest::addColumn<int>("outer");
        QTest::newRow("gzip") << int(KCompressionDevice::GZip);
        QTest::newRow("zstd") << int(KCompressionDevice::Zstd);
    }

    void compressedArchiveIsStreamed()
    {
        QFETCH(int, outer);
        const qint64 size = qint64(128) << 20;
        const QString path = m_work.filePath(u"big.tar.x"_s);
        // The layer is stored plain, as docker save stores it: decompressing the outer archive
        // to a file (what KTar does when given a compressed file's name) would write 128 MiB.
        const QString diffId = writeImage(path, size, KCompressionDevice::CompressionType(outer), Twist{{}, u"var/preallocated.db"_s, {}, {}, true});
        QVERIFY(!diffId.isEmpty());
        QVERIFY(QFileInfo(path).size() < size / 50); // zeros: the archive is small, the layer is not
        // The most work() adds, while it runs, to the temporary folder (named files and unnamed
        // ones) and to this process's resident memory: a decompressed copy shows in one of them.
        struct Peak { qint64 disk = 0; qint64 memory = 0; };
        const auto peakWhile = [this](const std::function<void()> &work) {
            std::atomic_bool running{true};
            std::atomic<qint64> disk{0}, memory{0};
            const qint64 baseline = residentBytes();
            std::thread watcher([&] {
                while (running) {
                    disk = std::max({disk.load(), bytesUnder(m_tmp), bytesOpenUnder(m_tmp)});
                    memory = std::max(memory.load(), residentBytes() - baseline);
                    QThread::msleep(5);
                }
            });
            work();
            running = false;
            watcher.join();
            return Peak{disk.load(), memory.load()};
        };
        QString error;
        std::shared_ptr<const PreparedImage> image;
        const Peak peak = peakWhile([&] {
            const auto prepared = prepareImage(path, options(), {}, nullptr);
            if (prepared)
                image = *prepared;
            else
                error = prepared.failure().sentence();
        });
        QVERIFY2(image, qPrintable(error));
        qInfo().noquote() << u"reading a %1 MiB layer from the archive added %2 KiB on disk and %3 KiB of memory"_s.arg(size >> 20)
                                 .arg(peak.disk >> 10)
                                 .arg(peak.memory >> 10);
        QVERIFY2(peak.disk < size / 4, qPrintable(u"the temporary folder held %1 bytes"_s.arg(peak.disk)));
        // Half the layer leaves room for the sanitizer pass's own bookkeeping; a decompressed
        // copy would be more than the whole layer.
        QVERIFY2(peak.memory < size / 2, qPrintable(u"reading took %1 more bytes of memory"_s.arg(peak.memory)));
        QCOMPARE(image->layers.size(), 1);
        const auto &layer = image->layers.constFirst();
        QCOMPARE(layer.diffId, diffId);
        QVERIFY(layer.size > size);
        QCOMPARE(GantryTest::sha256Of(layer.blobPath), layer.blobSha256);
        QFile blob(layer.blobPath);
        QVERIFY(blob.open(QIODevice::ReadOnly));
        KCompressionDevice gunzip(&blob, false, KCompressionDevice::GZip);
        QVERIFY(gunzip.open(QIODevice::ReadOnly));
        QCryptographicHash hash(QCryptographicHash::Sha256);
        QVERIFY(hash.addData(&gunzip));
        QCOMPARE(u"sha256:"_s + QString::fromLatin1(hash.result().toHex()), diffId);
        QCOMPARE(image->repoTags, QStringList{u"ship-archive-test:latest"_s});
        QVERIFY(filesUnder(m_tmp).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestShipArchive)
#include "tst_ship_archive.moc"
