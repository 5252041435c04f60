// SPDX-License-Identifier: MIT
#include "shipper.h"

#include "docker/dockersave.h"
#include "image/imagearchive.h"

#include "deltaship.h"
#include "deployer.h"
#include "exporter.h"
#include "remotepolicy.h"
#include "shiparchive.h"
#include "shellquote.h"
#include "util/format.h"
#include "util/processrunner.h"

#include <KCompressionDevice>

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QThread>
#include <QTimer>
#include <QUuid>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString hexOf(const QString &digest) { return digest.section(u':', -1); }

bool isCancelled(const std::atomic_bool *cancel) { return cancel && cancel->load(); }

/// Throttles progress reports and computes speed and ETA.
class ProgressMeter
{
public:
    ProgressMeter(ShipProgress &p, const ShipProgressFn &fn) : m_p(p), m_fn(fn) { m_clock.start(); }
    void startTransfer(qint64 toSend)
    {
        m_p.toSend = toSend;
        m_p.sent = 0;
        m_transfer.start();
    }
    void setSent(qint64 sent, bool force = false)
    {
        m_p.sent = sent;
        const qint64 ms = m_transfer.isValid() ? m_transfer.elapsed() : 0;
        if (ms > 0) {
            m_p.bytesPerSecond = double(sent) * 1000.0 / double(ms);
            m_p.etaSeconds = m_p.bytesPerSecond > 1 ? qint64(double(m_p.toSend - sent) / m_p.bytesPerSecond) : -1;
        }
        if (force || m_last.isValid() == false || m_last.elapsed() >= 250) {
            m_last.start();
            emitNow();
        }
    }
    void phase(ShipProgress::Phase phase, const QString &message)
    {
        m_p.phase = phase;
        m_p.message = message;
        emitNow();
    }
    void emitNow()
    {
        if (m_fn)
            m_fn(m_p);
    }

private:
    ShipProgress &m_p;
    const ShipProgressFn &m_fn;
    QElapsedTimer m_clock, m_transfer, m_last;
};

QMutex &cacheMutex()
{
    static QMutex mutex;
    return mutex;
}

/// Compresses a layer (streamed from the archive by ImageLayerStream, decompressed if docker
/// stored it compressed, and cut off past the layer cap) into the local cache as gzip,
/// checking that its uncompressed sha256 is the diff id. A failure leaves no temporary file.
bool makeBlob(const ImageLayerStream &archive, int index, const QString &blobDir, PreparedImage::Layer &layer,
              const std::atomic_bool *cancel, QString *error)
{
    const QString hex = hexOf(layer.diffId);
    const QString path = QDir(blobDir).filePath(hex + u".tar.gz"_s);
    const QString sidecar = path + u".sha256"_s;
    QMutexLocker lock(&cacheMutex());
    if (QFileInfo::exists(path) && QFileInfo::exists(sidecar)) {
        QFile f(sidecar);
        if (f.open(QIODevice::ReadOnly)) {
            const QStringList parts = QString::fromLatin1(f.readAll()).split(u' ', Qt::SkipEmptyParts);
            if (parts.size() == 2 && parts.at(1).trimmed().toLongLong() == QFileInfo(path).size()) {
                layer.blobPath = path;
                layer.blobSha256 = parts.at(0);
                layer.blobSize = QFileInfo(path).size();
                return true;
            }
        }
    }
    auto opened = archive.openLayer(index);
    if (!opened) {
        *error = opened.failure().sentence();
        return false;
    }
    const std::unique_ptr<QIODevice> input = std::move(opened).value();
    QTemporaryFile temp(QDir(blobDir).filePath(u".blob-XXXXXX"_s));
    if (!temp.open()) {
        *error = u"Cannot write in Gantry's cache %1 (%2): check the free space."_s.arg(blobDir, temp.errorString());
        return false;
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 total = 0;
    {
        KCompressionDevice out(&temp, false, KCompressionDevice::GZip);
        if (!out.open(QIODevice::WriteOnly)) {
            *error = u"Cannot compress into Gantry's cache %1: check the free space."_s.arg(blobDir);
            return false;
        }
        QByteArray buffer(1024 * 1024, Qt::Uninitialized);
        for (;;) {
            if (isCancelled(cancel)) {
                *error = u"Shipping was cancelled."_s;
                return false;
            }
            const qint64 n = input->read(buffer.data(), buffer.size());
            if (n < 0) {
                *error = input->errorString(); // damaged, or past the layer cap: one sentence
                return false;
            }
            if (n == 0)
                break;
            hash.addData(QByteArrayView(buffer.constData(), n));
            total += n;
            if (out.write(buffer.constData(), n) != n) {
                *error = u"Writing Gantry's cache %1 failed (%2): free some disk space."_s.arg(blobDir, temp.errorString());
                return false;
            }
        }
        out.close();
        if (temp.error() != QFileDevice::NoError) {
            *error = u"Writing Gantry's cache %1 failed (%2): free some disk space."_s.arg(blobDir, temp.errorString());
            return false;
        }
    }
    if (QString::fromLatin1(hash.result().toHex()) != hex) {
        *error = u"Layer %1 of the image does not match its digest %2: the archive is damaged; export or build the image again."_s
                     .arg(index + 1)
                     .arg(layer.diffId);
        return false;
    }
    temp.close();
    layer.size = total;
    layer.blobSha256 = fileSha256(temp.fileName());
    layer.blobSize = QFileInfo(temp.fileName()).size();
    QFile::remove(path);
    if (!temp.rename(path)) {
        *error = u"Cannot store a layer in Gantry's cache %1: check its permissions."_s.arg(blobDir);
        return false;
    }
    temp.setAutoRemove(false);
    QSaveFile side(sidecar);
    if (side.open(QIODevice::WriteOnly)) {
        side.write(u"%1 %2\n"_s.arg(layer.blobSha256).arg(layer.blobSize).toLatin1());
        side.commit();
    }
    layer.blobPath = path;
    return true;
}

/// umask 077, $dir and $D, and the remote folder checked (RemotePolicy::prelude).
QString remoteDirVar(const ServerProfile &s) { return RemotePolicy::prelude(s); }

/// The command that appends stdin to FILE.partial, checks its sha256 and renames it to FILE.
/// A shorter file (the link broke) stays for the next run to resume.
QString receiveCommand(const ServerProfile &s, const QString &fileExpr, const QString &sha, qint64 size, bool append, bool sidecar)
{
    return remoteDirVar(s) + u"f="_s + fileExpr + u"; mkdir -p \"$(dirname \"$f\")\" || exit 3; "_s
        + RemotePolicy::refuseLink(u"\"$f\""_s) + RemotePolicy::refuseLink(u"\"$f.partial\""_s)
        + RemotePolicy::refuseLink(u"\"$f.sha256\""_s) + RemotePolicy::refuseLink(u"\"$f.sha256.partial\""_s) + u"cat "_s
        + (append ? u">>"_s : u">"_s)
        + u" \"$f.partial\" || exit 3; n=$(wc -c < \"$f.partial\"); if [ \"$n\" -lt "_s + QString::number(size)
        + u" ]; then echo \"gantry: only $n of "_s + QString::number(size)
        + u" bytes arrived\" >&2; exit 6; fi; h=$(sha256sum < \"$f.partial\" | cut -d' ' -f1); if [ \"$h\" = "_s + sha
        + u" ]; then "_s
        // The sidecar first, itself written under a temporary name: a blob under its final
        // name always has a complete one (a full disk must not leave half of it).
        + (sidecar ? u"{ echo "_s + sha + u" > \"$f.sha256.partial\" && mv -f \"$f.sha256.partial\" \"$f.sha256\"; } || exit 3; "_s : QString())
        + u"mv -f \"$f.partial\" \"$f\" || exit 3; echo verified; else rm -f \"$f.partial\"; echo \"mismatch $h\"; fi"_s;
}

QString engineCheckScript()
{
    return u"v=$($D version --format '{{.Server.Os}}/{{.Server.Arch}}' 2>&1) || { echo \"gantry: docker on the server failed: $v\" >&2; exit 5; }; "
           "echo \"engine $v\"; echo \"driver $($D info --format '{{json .DriverStatus}}' 2>/dev/null)\"; "
           "command -v sha256sum >/dev/null 2>&1 || { echo 'gantry: sha256sum is missing on the server' >&2; exit 4; }; "_s;
}

QString goArch(const QString &arch)
{
    if (arch == u"x86_64")
        return u"amd64"_s;
    if (arch == u"aarch64")
        return u"arm64"_s;
    return arch;
}

ErrorClass remoteErrorClass(const ProcessResult &r, const SshConnection &ssh)
{
    if (r.timedOut)
        return ErrorClass::LinkDropped;
    if (r.exitCode == 255)
        return ssh.failureClass(r.stderrText());
    if (r.started && r.exitCode < 0)
        return ErrorClass::LinkDropped; // the local ssh was ended by a signal: the link is gone
    return SshConnection::remoteFailureClass(r.exitCode, r.stderrText());
}

QString remoteError(const ProcessResult &r, const SshConnection &ssh, const QString &what)
{
    if (r.timedOut)
        return u"%1 did not answer while %2 (timeout): check the server and the network, then ship again."_s.arg(ssh.hostDescription(), what);
    if (r.exitCode == 255 || (r.started && r.exitCode < 0)) {
        // The login was done by the master connection: a command that ends with ssh's own
        // failure (or an ssh ended by a signal) means the connection went away while it ran.
        const QString last = r.stderrText().section(u'\n', -1).trimmed();
        const QString why = r.exitCode < 0 ? u"the ssh process was ended by a signal"_s
                            : last.isEmpty() ? u"ssh ended without a message"_s
                                             : last;
        return u"The connection to %1 broke during %2 (%3): check the network and ship again — what already arrived stays on the server."_s
            .arg(ssh.hostDescription(), what, why);
    }
    if (const QString full = ssh.diskFullError(r.stderrText()); !full.isEmpty())
        return full;
    // One line, whatever the server printed: its lines joined, "gantry: " prefixes dropped.
    QStringList lines;
    for (QString line : r.stderrText().split(u'\n', Qt::SkipEmptyParts)) {
        line = line.trimmed();
        if (line.startsWith(u"gantry: "_s))
            line = line.mid(8).trimmed();
        if (!line.isEmpty())
            lines << line;
    }
    QString err = lines.join(u' ');
    if (err.isEmpty())
        err = u"exit code %1"_s.arg(r.exitCode);
    QString action = what;
    if (!action.isEmpty())
        action[0] = action.at(0).toUpper();
    const QString fix = SshConnection::remoteFailureFix(SshConnection::remoteFailureClass(r.exitCode, r.stderrText()));
    if (!fix.isEmpty())
        return u"%1 failed on %2 (%3). %4"_s.arg(action, ssh.hostDescription(), err, fix);
    if (!err.endsWith(u'.'))
        err += u'.'; // one sentence, whatever the server said ("Killed")
    return u"%1 failed on %2: %3"_s.arg(action, ssh.hostDescription(), err);
}

} // namespace

QString LayerShipState::stateName(State state)
{
    switch (state) {
    case Pending: return u"waiting"_s;
    case InEngine: return u"already there (engine)"_s;
    case AlreadyThere: return u"already there"_s;
    case Sending: return u"sending"_s;
    case Verified: return u"verified"_s;
    }
    return {};
}

QString LayerShipState::describe() const
{
    if (state == Verified && transfer == Delta)
        return u"delta: sent %1 of %2, verified"_s.arg(formatBytes(sentBytes), formatBytes(compressedSize));
    if (state == Verified)
        return u"whole: %1, verified"_s.arg(formatBytes(sentBytes > 0 ? sentBytes : compressedSize));
    if (state == Sending)
        return transfer == Delta ? u"sending delta"_s : u"sending whole"_s;
    return stateName(state);
}

QString ShipResult::summary() const
{
    if (mode == ShipMode::Full) {
        QString s = u"sent %1 of the %2 archive"_s.arg(formatBytes(bytesSent), formatBytes(bytesFull));
        if (resumedFrom > 0)
            s += u" (resumed: %1 were already on the server)"_s.arg(formatBytes(resumedFrom));
        return s;
    }
    QString s = u"%1 of %2 layers already on the server: sent %3 instead of %4"_s.arg(layersPresent)
                    .arg(layers)
                    .arg(formatBytes(bytesSent), formatBytes(bytesFull));
    if (layersDelta > 0)
        s += u" (%1 as deltas; whole missing layers: %2; the whole image gzipped, as docker save | gzip: %3)"_s.arg(layersDelta)
                 .arg(formatBytes(bytesWholeLayers), formatBytes(bytesFull));
    return s;
}

QByteArray PreparedImage::manifest() const
{
    QJsonArray layerPaths;
    for (const Layer &l : layers)
        layerPaths.append(u"layers/%1.tar.gz"_s.arg(hexOf(l.diffId)));
    QJsonObject image{{u"Config"_s, u"config.json"_s}, {u"Layers"_s, layerPaths}};
    image.insert(u"RepoTags"_s, QJsonArray::fromStringList(repoTags));
    return QJsonDocument(QJsonArray{image}).toJson(QJsonDocument::Compact);
}

QString defaultShipCacheDir()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + u"/gantry/ship"_s;
}

std::shared_ptr<const PreparedImage> prepareImage(const QString &source, const ShipOptions &options,
                                                  const ShipProgressFn &progressFn, const std::atomic_bool *cancel,
                                                  QString *error)
{
    ShipProgress p;
    ProgressMeter meter(p, progressFn);
    auto image = std::make_shared<PreparedImage>();
    image->source = source;
    const QString cache = options.cacheDir.isEmpty() ? defaultShipCacheDir() : options.cacheDir;
    if (!QDir().mkpath(cache + u"/blobs"_s) || !QDir().mkpath(cache + u"/archives"_s)) {
        *error = u"Gantry cannot create its cache folder %1: check the permissions and free space."_s.arg(cache);
        return nullptr;
    }

    QString archivePath;
    std::unique_ptr<QTemporaryFile> saved;
    const bool isFile = QFileInfo(source).isFile();
    if (isFile) {
        archivePath = QFileInfo(source).absoluteFilePath();
    } else {
        // One inspect serves both: the id names the cached archive, the size the progress.
        const EngineImageInfo info = inspectEngineImage(u"docker"_s, source);
        if (info.errorClass == ErrorClass::DockerMissing) {
            *error = u"The docker command could not be started: install Docker or set its path in Preferences."_s;
            return nullptr;
        }
        if (!info.ok) {
            *error = u"The image %1 is neither in the Docker engine nor a file: build it first, or check the name ('docker image ls') or the path."_s.arg(source);
            return nullptr;
        }
        const QString idHex = hexOf(info.id);
        if (options.mode == ShipMode::Full) {
            // One gzip archive per image id, kept so that an interrupted upload resumes byte for byte.
            archivePath = QDir(cache).filePath(u"archives/%1.tar.gz"_s.arg(idHex));
            // Keep the three most recently shipped archives (a resume needs the same bytes).
            const QFileInfoList old = QDir(cache + u"/archives"_s).entryInfoList({u"*.tar.gz"_s}, QDir::Files, QDir::Time);
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
            if (!QFileInfo::exists(archivePath) || !QFileInfo::exists(archivePath + u".sha256"_s)) {
                meter.phase(ShipProgress::Preparing, u"Exporting %1…"_s.arg(source));
                QElapsedTimer shown;
                shown.start();
                const auto exportProgress = [&](const ExportProgress &e) {
                    if (shown.elapsed() < 250)
                        return;
                    shown.restart();
                    const QString what = e.phase == ExportProgress::Saving ? u"Exporting %1"_s.arg(source) : u"Checking the archive of %1"_s.arg(source);
                    meter.phase(ShipProgress::Preparing, e.total > 0 ? u"%1: %2 of about %3…"_s.arg(what, formatBytes(e.done), formatBytes(e.total))
                                                                     : u"%1: %2…"_s.arg(what, formatBytes(e.done)));
                };
                const ExportResult r = exportImage({source, archivePath, Compression::Gzip}, exportProgress, cancel);
                if (!r.ok) {
                    *error = r.error;
                    return nullptr;
                }
            }
        } else {
            meter.phase(ShipProgress::Preparing, u"Reading %1 from the engine (docker save)…"_s.arg(source));
            saved = std::make_unique<QTemporaryFile>(QDir(cache).filePath(u".save-XXXXXX.tar"_s));
            if (!saved->open()) {
                *error = u"Cannot write in Gantry's cache %1: check the free space."_s.arg(cache);
                return nullptr;
            }
            saved->close();
            QFile spool(saved->fileName());
            if (!spool.open(QIODevice::WriteOnly)) {
                *error = u"Cannot write in Gantry's cache %1 (%2): check the free space and permissions."_s.arg(cache, spool.errorString());
                return nullptr;
            }
            QElapsedTimer shown;
            shown.start();
            const DockerSaveResult r = streamDockerSave(
                u"docker"_s, source,
                [&](QByteArrayView chunk) {
                    if (spool.write(chunk.data(), chunk.size()) != chunk.size())
                        return false;
                    if (shown.elapsed() >= 250) {
                        shown.restart();
                        const QString read = formatBytes(spool.pos());
                        meter.phase(ShipProgress::Preparing,
                                    info.size > 0 ? u"Reading %1 from the engine (docker save): %2 of about %3…"_s.arg(source, read, formatBytes(info.size))
                                                  : u"Reading %1 from the engine (docker save): %2…"_s.arg(source, read));
                    }
                    return true;
                },
                cancel);
            if (r.cancelled) {
                *error = u"Shipping was cancelled."_s;
                return nullptr;
            }
            if (r.sinkFailed || (r.ok && !spool.flush())) {
                *error = u"Cannot write the image into Gantry's cache %1 (%2): free some disk space and try again."_s.arg(cache, spool.errorString());
                return nullptr;
            }
            if (!r.ok) {
                *error = r.error;
                return nullptr;
            }
            spool.close();
            archivePath = saved->fileName();
        }
    }

    // One reader for Inspect, Export and Ship: an archive file from elsewhere and the engine's
    // own docker save alike go through ImageArchive (links, traversal, caps, bombs, digests).
    meter.phase(ShipProgress::Preparing, u"Checking the image archive…"_s);
    QElapsedTimer checkShown;
    checkShown.start();
    auto archive = openShipArchive(archivePath, options.mode == ShipMode::Delta, cancel, [&](qint64 done, qint64 total) {
        if (checkShown.elapsed() < 250)
            return;
        checkShown.restart();
        meter.phase(ShipProgress::Preparing, total > 0 ? u"Checking the image archive: %1 of %2…"_s.arg(formatBytes(done), formatBytes(total))
                                                       : u"Checking the image archive: %1…"_s.arg(formatBytes(done)));
    });
    if (!archive) {
        *error = archive.failure().sentence();
        return nullptr;
    }
    describeForShip(archive->image, *image);

    if (options.mode == ShipMode::Full) {
        image->archivePath = archivePath;
        image->archiveSize = QFileInfo(archivePath).size();
        const QString name = QFileInfo(archivePath).fileName();
        static const QRegularExpression suffix(u"(\\.tar(\\.(gz|zst|xz|bz2))?|\\.tgz)$"_s);
        image->archiveSuffix = suffix.match(name).hasMatch() ? suffix.match(name).captured(1) : u".tar"_s;
        // An export's own FILE.sha256 (written after the archive) saves reading it again; the
        // server checks the sha256 anyway, so a stale one only costs a re-send and an error.
        QFile sum(archivePath + u".sha256"_s);
        const QFileInfo sumInfo(sum.fileName());
        if (sumInfo.exists() && sumInfo.lastModified() >= QFileInfo(archivePath).lastModified() && sum.open(QIODevice::ReadOnly)) {
            const QString hex = QString::fromLatin1(sum.readLine()).section(u' ', 0, 0).trimmed();
            if (hex.size() == 64 && !hex.contains(QRegularExpression(u"[^0-9a-f]"_s)))
                image->archiveSha256 = hex;
        }
        if (image->archiveSha256.isEmpty()) {
            meter.phase(ShipProgress::Preparing, u"Computing the archive's sha256…"_s);
            image->archiveSha256 = fileSha256(archivePath, cancel);
        }
        if (image->archiveSha256.isEmpty()) {
            *error = isCancelled(cancel) ? u"Shipping was cancelled."_s : u"The archive %1 cannot be read: check the file."_s.arg(archivePath);
            return nullptr;
        }
        return image;
    }

    const QString blobDir = cache + u"/blobs"_s;
    for (int i = 0; i < image->layers.size(); ++i) {
        meter.phase(ShipProgress::Preparing, u"Compressing layer %1 of %2…"_s.arg(i + 1).arg(image->layers.size()));
        if (!makeBlob(*archive->layers, i, blobDir, image->layers[i], cancel, error))
            return nullptr;
    }
    return image;
}

namespace {

/// The health-gated switchover (deployer.cpp) after docker load; its outcome goes into result.
Status deployAfterLoad(SshConnection &ssh, const PreparedImage &image, const ServerProfile &server, ProgressMeter &meter,
                       ShipResult &result, const std::atomic_bool *cancel)
{
    const Result<QMap<QString, QString>> secrets = readContainerSecrets(server);
    if (!secrets)
        return secrets.failure();
    const Result<DeployPlan> plan = planDeploy(server, image.runRef, *secrets);
    if (!plan)
        return plan.failure();
    meter.phase(ShipProgress::Restarting, u"Starting container %1…"_s.arg(server.containerName));
    result.deploy = runSwitchover(ssh, *plan, [&](const QString &line) {
        meter.phase(line.startsWith(u"Waiting"_s) ? ShipProgress::HealthCheck : ShipProgress::Restarting, line);
        result.remoteOutput += line + u'\n';
    }, cancel);
    if (!result.deploy.ok())
        return result.deploy.failure;
    result.healthOk = true;
    return {};
}

} // namespace

ShipResult shipImage(const PreparedImage &image, const ServerProfile &server, const ShipOptions &options,
                     const ShipProgressFn &progressFn, const std::atomic_bool *cancel)
{
    ShipResult result;
    result.server = server.displayName();
    result.mode = options.mode;
    result.layers = int(image.layers.size());
    ShipProgress p;
    ProgressMeter meter(p, progressFn);
    for (const auto &l : image.layers) {
        LayerShipState s;
        s.diffId = l.diffId;
        s.size = l.size;
        s.compressedSize = l.blobSize;
        p.layers << s;
    }
    const auto failWith = [&](const QString &error, ErrorClass errorClass = ErrorClass::Other) {
        result.error = error;
        result.errorClass = errorClass;
        result.cancelled = isCancelled(cancel);
        if (result.cancelled) {
            result.error = u"Shipping to %1 was cancelled; the next ship resumes it."_s.arg(server.displayName());
            result.errorClass = ErrorClass::Cancelled;
        }
        return result;
    };

    meter.phase(ShipProgress::Connecting, u"Connecting to %1…"_s.arg(server.displayName()));
    SshConnection ssh(server, options.ssh);
    QString error;
    if (!ssh.open(&error, cancel))
        return failWith(error, ssh.errorClass());

    const QString sharedVars = remoteDirVar(server);
    meter.phase(ShipProgress::Checking, u"Asking %1 what it already has…"_s.arg(server.displayName()));
    // An assembly folder in $dir/tmp older than three hours (a docker load times out after
    // one) was left by a ship whose connection died during docker load: it goes. Younger
    // ones may belong to a ship running from another machine right now.
    QString script = sharedVars + u"mkdir -p \"$dir/blobs\" \"$dir/tmp\" \"$dir/archives\" || { echo \"gantry: cannot create $dir\" >&2; exit 3; }; "
                                  "find \"$dir/tmp\" -mindepth 1 -maxdepth 1 -name "_s + RemotePolicy::tokenNamePattern() + u" -mmin +180 -exec rm -rf {} + 2>/dev/null; "_s
        + engineCheckScript();
    if (options.mode == ShipMode::Delta) {
        script += u"ids=$($D image ls -q --no-trunc 2>/dev/null | sort -u); [ -n \"$ids\" ] && $D image inspect --format 'layers {{json .RootFS.Layers}}' $ids 2>/dev/null; "_s;
        QStringList hexes;
        for (const auto &l : image.layers)
            hexes << hexOf(l.diffId);
        if (options.deltas)
            script += deltaInventoryScript();
        script += u"for b in "_s + hexes.join(u' ')
            + u"; do f=\"$dir/blobs/$b.tar.gz\"; if [ -f \"$f\" ] && [ -f \"$f.sha256\" ]; then "
              "if [ \"$(sha256sum < \"$f\" | cut -d' ' -f1)\" = \"$(cat \"$f.sha256\")\" ]; then echo \"blob $b ok\"; "
              "else rm -f \"$f\" \"$f.sha256\"; echo \"blob $b corrupt\"; fi; "
              "elif [ -f \"$f.partial\" ]; then echo \"blob $b partial $(wc -c < \"$f.partial\")\"; else echo \"blob $b missing\"; fi; done; true"_s;
    } else {
        const QString file = u"\"$dir/archives/"_s + image.archiveSha256 + image.archiveSuffix + u'"';
        script += u"f="_s + file + u"; if [ -f \"$f\" ]; then echo have; elif [ -f \"$f.partial\" ]; then echo \"partial $(wc -c < \"$f.partial\")\"; else echo missing; fi"_s;
    }
    const ProcessResult inventory = ssh.run(script, 300000);
    if (!inventory.ok())
        return failWith(remoteError(inventory, ssh, u"checking the server"_s), remoteErrorClass(inventory, ssh));

    bool containerdStore = false;
    QList<QStringList> engineLayerLists;
    QHash<QString, QString> blobState;
    QString fullState;
    qint64 partialSize = 0;
    QHash<QString, qint64> blobPartial;
    ServerDeltaFacts deltaFacts;
    for (const QString &line : inventory.stdoutText().split(u'\n', Qt::SkipEmptyParts)) {
        if (parseDeltaInventoryLine(line, deltaFacts)) {
            continue;
        } else if (line.startsWith(u"engine "_s)) {
            const QString platform = line.mid(7).trimmed();
            const QString wanted = image.os + u'/' + goArch(image.architecture);
            if (!image.architecture.isEmpty() && platform != wanted && !platform.isEmpty())
                return failWith(u"The image is built for %1 but %2 runs %3: build it for %3 (Configure → Target, or gantry build --platform %3) "
                                  "or ship it to a server that runs %1."_s
                                    .arg(wanted, server.displayName(), platform));
        } else if (line.startsWith(u"driver "_s)) {
            containerdStore = line.contains(u"io.containerd.snapshotter"_s);
        } else if (line.startsWith(u"layers "_s)) {
            QStringList ids;
            for (const auto &v : QJsonDocument::fromJson(line.mid(7).toUtf8()).array())
                ids << v.toString();
            engineLayerLists << ids;
        } else if (line.startsWith(u"blob "_s)) {
            const QStringList parts = line.split(u' ');
            if (parts.size() >= 3) {
                blobState.insert(parts.at(1), parts.at(2));
                if (parts.at(2) == u"partial" && parts.size() >= 4)
                    blobPartial.insert(parts.at(1), parts.at(3).toLongLong());
            }
        } else if (line == u"have" || line == u"missing") {
            fullState = line;
        } else if (line.startsWith(u"partial "_s)) {
            fullState = u"partial"_s;
            partialSize = line.mid(8).toLongLong();
        }
    }

    if (options.mode == ShipMode::Full) {
        result.bytesFull = image.archiveSize;
        const QString file = u"\"$dir/archives/"_s + image.archiveSha256 + image.archiveSuffix + u'"';
        if (fullState != u"have") {
            for (int attempt = 0; attempt < 2; ++attempt) {
                qint64 offset = fullState == u"partial" && partialSize <= image.archiveSize ? partialSize : 0;
                if (attempt > 0)
                    offset = 0;
                result.resumedFrom = offset;
                QFile in(image.archivePath);
                if (!in.open(QIODevice::ReadOnly) || !in.seek(offset))
                    return failWith(u"The archive %1 cannot be read: check the file."_s.arg(image.archivePath));
                meter.startTransfer(image.archiveSize - offset);
                meter.phase(ShipProgress::Uploading,
                            offset > 0 ? u"Resuming the upload at %1 of %2…"_s.arg(formatBytes(offset), formatBytes(image.archiveSize))
                                       : u"Uploading %1…"_s.arg(formatBytes(image.archiveSize)));
                const qint64 before = result.bytesSent;
                QElapsedTimer uploadClock;
                uploadClock.start();
                const auto up = ssh.upload(&in, receiveCommand(server, file, image.archiveSha256, image.archiveSize, offset > 0, false),
                                           [&](qint64 n) { meter.setSent(n); }, cancel, options.bytesPerSecond);
                result.bytesSent = before + up.sent;
                result.uploadMs += uploadClock.elapsed();
                meter.setSent(up.sent, true);
                if (!up.ok)
                    return failWith(up.error, up.errorClass);
                if (up.output.contains("verified"))
                    break;
                ++result.resent;
                if (attempt == 1)
                    return failWith(u"The archive arrived damaged on %1 twice (sha256 mismatch): check the server's disk and the network, "
                                        "and that %2.sha256 belongs to this archive (delete it to have it computed again)."_s
                                        .arg(server.displayName(), image.archivePath));
            }
        }
        if (isCancelled(cancel)) // the last bytes may have arrived as Cancel was pressed: load nothing
            return failWith(u"Shipping was cancelled."_s, ErrorClass::Cancelled);
        meter.phase(ShipProgress::Loading, u"sha256 verified on the server; loading the image (docker load)…"_s);
        const ProcessResult load = ssh.run(sharedVars + u"f="_s + file
                                               + u"; $D load -i \"$f\" || exit $?; for o in \"$dir\"/archives/*; do case \"$o\" in \"$f\"|*.partial) ;; "_s
                                               + RemotePolicy::archiveNamePattern() + u") rm -f \"$o\" ;; esac; done; true"_s,
                                           3600000);
        result.remoteOutput += QString::fromUtf8(load.standardOutput + load.standardError);
        if (!load.ok())
            return failWith(remoteError(load, ssh, u"docker load"_s), remoteErrorClass(load, ssh));
    } else {
        // Layers the engine already holds as a chain need not be in a classic-store archive;
        // the containerd store wants every layer in a docker-format archive.
        int enginePrefix = 0;
        if (!containerdStore) {
            for (const QStringList &ids : engineLayerLists) {
                int k = 0;
                while (k < ids.size() && k < image.layers.size() && ids.at(k) == image.layers.at(k).diffId)
                    ++k;
                enginePrefix = qMax(enginePrefix, k);
            }
        }
        QList<int> toSend;
        qint64 sendBytes = 0;
        for (int i = 0; i < image.layers.size(); ++i) {
            const PreparedImage::Layer &l = image.layers.at(i);
            result.bytesFull += l.blobSize;
            const QString state = blobState.value(hexOf(l.diffId));
            if (state == u"ok") {
                p.layers[i].state = LayerShipState::AlreadyThere;
                ++result.layersPresent;
            } else if (i < enginePrefix) {
                p.layers[i].state = LayerShipState::InEngine;
                ++result.layersPresent;
            } else {
                toSend << i;
                result.bytesWholeLayers += l.blobSize;
            }
        }
        DeltaShipper deltas(image, options.cacheDir.isEmpty() ? defaultShipCacheDir() : options.cacheDir, deltaFacts);
        if (options.deltas) {
            const Status made = deltas.prepare(toSend, [&](const QString &m) { meter.phase(ShipProgress::Checking, m); }, cancel);
            if (!made)
                return failWith(made.failure().sentence(), made.failure().errorClass);
            result.notes = deltas.notes();
            for (const QString &note : std::as_const(result.notes))
                meter.phase(ShipProgress::Checking, note);
        }
        for (int i : toSend) {
            const PreparedImage::Layer &l = image.layers.at(i);
            sendBytes += deltas.hasPatch(i) ? deltas.patchSize(i) : l.blobSize - qBound<qint64>(0, blobPartial.value(hexOf(l.diffId)), l.blobSize);
        }
        const auto explain = [&](const ProcessResult &r, const QString &what) { return Failure(remoteErrorClass(r, ssh), remoteError(r, ssh, what)); };
        // The image's config and manifest travel with every delta ship, as they would in a full one.
        result.bytesFull += image.config.size() + image.manifest().size();
        meter.startTransfer(sendBytes);
        meter.phase(ShipProgress::Uploading, u"%1 of %2 layers already on the server: sending %3 instead of %4"_s.arg(result.layersPresent)
                                                 .arg(result.layers)
                                                 .arg(formatBytes(sendBytes), formatBytes(result.bytesFull)));
        qint64 sentBefore = 0;
        for (int i : toSend) {
            if (isCancelled(cancel))
                return failWith(u"Shipping was cancelled."_s, ErrorClass::Cancelled);
            const PreparedImage::Layer &l = image.layers.at(i);
            const QString hex = hexOf(l.diffId);
            p.layers[i].state = LayerShipState::Sending;
            if (deltas.hasPatch(i)) {
                p.layers[i].transfer = LayerShipState::Delta;
                const auto d = deltas.send(i, ssh, sharedVars, [&](qint64 n) { meter.setSent(sentBefore + n); }, cancel,
                                           options.bytesPerSecond, explain);
                if (!d)
                    return failWith(d.failure().sentence(), d.failure().errorClass);
                sentBefore += d->sent;
                result.bytesSent = sentBefore;
                p.layers[i].sentBytes = d->sent;
                if (d->applied) {
                    p.layers[i].state = LayerShipState::Verified;
                    ++result.layersDelta;
                    meter.setSent(sentBefore, true);
                    continue;
                }
                result.notes << d->whyWhole;
                p.toSend += l.blobSize - deltas.patchSize(i);
                meter.phase(ShipProgress::Uploading, d->whyWhole);
            }
            p.layers[i].transfer = LayerShipState::Whole;
            const QString file = u"\"$dir/blobs/"_s + hex + u".tar.gz\""_s;
            bool verified = false;
            for (int attempt = 0; attempt < 2 && !verified; ++attempt) {
                const qint64 partial = attempt == 0 ? blobPartial.value(hex) : 0;
                const qint64 offset = partial > 0 && partial <= l.blobSize ? partial : 0;
                QFile in(l.blobPath);
                if (!in.open(QIODevice::ReadOnly) || !in.seek(offset))
                    return failWith(u"Gantry's cached layer %1 cannot be read: ship again (it will be made anew)."_s.arg(l.blobPath));
                QElapsedTimer uploadClock;
                uploadClock.start();
                const auto up = ssh.upload(&in, receiveCommand(server, file, l.blobSha256, l.blobSize, offset > 0, true),
                                           [&](qint64 n) { meter.setSent(sentBefore + n); }, cancel, options.bytesPerSecond);
                sentBefore += up.sent;
                p.layers[i].sentBytes += up.sent;
                result.bytesSent = sentBefore;
                result.uploadMs += uploadClock.elapsed();
                if (!up.ok)
                    return failWith(up.error, up.errorClass);
                verified = up.output.contains("verified");
                if (!verified)
                    ++result.resent;
            }
            if (!verified)
                return failWith(u"A layer arrived damaged on %1 twice (sha256 mismatch): check the server's disk and the network."_s
                                    .arg(server.displayName()));
            p.layers[i].state = LayerShipState::Verified;
            meter.setSent(sentBefore, true);
        }

        // Past this point the server's engine changes: a Cancel pressed while the last layer
        // was verified stops here, with the layers kept for the next ship.
        if (isCancelled(cancel))
            return failWith(u"Shipping was cancelled."_s, ErrorClass::Cancelled);
        meter.phase(ShipProgress::Loading, u"Assembling the image on the server and loading it (docker load)…"_s);
        const QString token = QUuid::createUuid().toString(QUuid::Id128);
        const QString tmp = u"t=\"$dir/tmp/"_s + token + u"\"; "_s;
        const QByteArray manifest = image.manifest();
        const ProcessResult c1 = ssh.run(sharedVars + tmp + u"mkdir -p \"$t/layers\" && cat > \"$t/config.json\""_s, 60000, image.config);
        const ProcessResult c2 = c1.ok() ? ssh.run(sharedVars + tmp + u"cat > \"$t/manifest.json\""_s, 60000, manifest) : c1;
        if (!c2.ok())
            return failWith(remoteError(c2, ssh, u"storing the image config"_s), remoteErrorClass(c2, ssh));
        result.bytesSent += image.config.size() + manifest.size();
        QStringList needed;
        for (int i = 0; i < image.layers.size(); ++i)
            if (p.layers.at(i).state != LayerShipState::InEngine)
                needed << hexOf(image.layers.at(i).diffId);
        const QString assemble = sharedVars + tmp + u"cd \"$t\" || exit 3; for b in "_s + needed.join(u' ')
            + u"; do ln -f \"$dir/blobs/$b.tar.gz\" \"layers/$b.tar.gz\" 2>/dev/null || cp \"$dir/blobs/$b.tar.gz\" \"layers/$b.tar.gz\" || { cd /; rm -rf \"$t\"; exit 3; }; done; "
              "tar -cf - manifest.json config.json layers | $D load; rc=$?; cd /; rm -rf \"$t\"; exit $rc"_s;
        const ProcessResult load = ssh.run(assemble, 3600000);
        result.remoteOutput += QString::fromUtf8(load.standardOutput + load.standardError);
        if (!load.ok())
            return failWith(remoteError(load, ssh, u"docker load"_s), remoteErrorClass(load, ssh));
    }
    static const QRegularExpression loaded(u"Loaded image(?: ID)?: (\\S+)"_s);
    result.loadedImage = loaded.match(result.remoteOutput).captured(1);

    if (options.restart || server.afterLoad == ServerProfile::AfterLoad::Restart) {
        if (server.containerName.trimmed().isEmpty())
            return failWith(u"Restarting needs a container name: set one in the server's profile."_s);
        if (isCancelled(cancel)) // loaded, but the running container stays as it was
            return failWith(u"Shipping was cancelled."_s, ErrorClass::Cancelled);
        if (const Status deployed = deployAfterLoad(ssh, image, server, meter, result, cancel); !deployed)
            return failWith(deployed.failure().sentence(), deployed.failure().errorClass);
    }
    meter.phase(ShipProgress::Done, result.summary());
    result.ok = true;
    return result;
}

QString checkServer(const ServerProfile &server, const SshOptions &options, bool *ok, const std::atomic_bool *cancel,
                    ErrorClass *errorClass)
{
    *ok = false;
    SshConnection ssh(server, options);
    QString error;
    if (!ssh.open(&error, cancel)) {
        setErrorClass(errorClass, ssh.errorClass());
        return error;
    }
    const ProcessResult r = ssh.run(remoteDirVar(server) + u"mkdir -p \"$dir\" && [ -w \"$dir\" ] || { echo \"gantry: the remote folder $dir is not writable\" >&2; exit 3; }; "_s
                                        + engineCheckScript() + u"echo \"version $($D version --format '{{.Server.Version}}')\""_s,
                                    60000);
    if (!r.ok()) {
        setErrorClass(errorClass, remoteErrorClass(r, ssh));
        return remoteError(r, ssh, u"checking docker"_s);
    }
    QString platform, version, store = u"classic image store"_s;
    for (const QString &line : r.stdoutText().split(u'\n')) {
        if (line.startsWith(u"engine "_s))
            platform = line.mid(7);
        else if (line.startsWith(u"version "_s))
            version = line.mid(8);
        else if (line.startsWith(u"driver "_s) && line.contains(u"io.containerd.snapshotter"_s))
            store = u"containerd image store"_s;
    }
    *ok = true;
    setErrorClass(errorClass, ErrorClass::None);
    return u"Connected to %1: Docker %2 (%3, %4); the remote folder %5 is writable."_s.arg(ssh.hostDescription(), version, platform, store,
                                                                                          server.remoteDir);
}

} // namespace Gantry
