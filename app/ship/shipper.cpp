// SPDX-License-Identifier: MIT
#include "shipper.h"

#include "docker/dockersave.h"

#include "deltaship.h"
#include "deployer.h"
#include "exporter.h"
#include "remotefailure.h"
#include "remotepolicy.h"
#include "shiparchive.h"
#include "shipcache.h"
#include "shipplan.h"
#include "shipprogress.h"
#include "shipscripts.h"
#include "util/cancelflag.h"
#include "util/digest.h"
#include "util/format.h"
#include "util/processrunner.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryFile>
#include <QUuid>

using namespace Qt::StringLiterals;

namespace Gantry {

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


namespace {

/// Calls say at most every 250 ms (the first call waits 250 ms too).
class Throttle
{
public:
    Throttle() { m_shown.start(); }
    bool due()
    {
        if (m_shown.elapsed() < 250)
            return false;
        m_shown.restart();
        return true;
    }

private:
    QElapsedTimer m_shown;
};

QString aboutOf(const QString &what, qint64 done, qint64 total)
{
    return total > 0 ? u"%1: %2 of about %3…"_s.arg(what, formatBytes(done), formatBytes(total)) : u"%1: %2…"_s.arg(what, formatBytes(done));
}

/// Full mode, an engine image: the kept gzip archive of its id, exported when not there yet.
Result<QString> keptArchiveOf(const QString &source, const QString &idHex, const QString &cache, ProgressMeter &meter,
                              const std::atomic_bool *cancel)
{
    // One gzip archive per image id, kept so that an interrupted upload resumes byte for byte.
    const QString archivePath = ShipCache::keptArchive(cache, idHex);
    if (QFileInfo::exists(archivePath) && QFileInfo::exists(archivePath + u".sha256"_s))
        return archivePath;
    meter.phase(ShipProgress::Preparing, u"Exporting %1…"_s.arg(source));
    Throttle throttle;
    const auto exportProgress = [&](const ExportProgress &e) {
        if (!throttle.due())
            return;
        const QString what = e.phase == ExportProgress::Saving ? u"Exporting %1"_s.arg(source) : u"Checking the archive of %1"_s.arg(source);
        meter.phase(ShipProgress::Preparing, aboutOf(what, e.done, e.total));
    };
    if (const Result<ExportedArchive> r = exportImage({source, archivePath, Compression::Gzip}, exportProgress, cancel); !r)
        return r.failure();
    return archivePath;
}

/// The archive to read for source: the file itself, the kept archive of an engine image
/// (full mode), or a docker save spooled into spool (delta mode).
Result<QString> archiveFor(const QString &source, const ShipOptions &options, const QString &cache, ProgressMeter &meter,
                           std::unique_ptr<QTemporaryFile> &spool, const std::atomic_bool *cancel)
{
    if (QFileInfo(source).isFile())
        return QFileInfo(source).absoluteFilePath();
    // One inspect serves both: the id names the cached archive, the size the progress.
    const Result<EngineImage> info = inspectEngineImage(u"docker"_s, source);
    if (!info && info.failure().errorClass == ErrorClass::DockerMissing)
        return Failure(ErrorClass::DockerMissing, u"The docker command could not be started"_s,
                       u"Install Docker or set its path in Preferences."_s);
    if (!info)
        return Failure(ErrorClass::NotFound, u"The image %1 is neither in the Docker engine nor a file"_s.arg(source),
                       u"Build it first, or check the name ('docker image ls') or the path."_s);
    if (options.mode == ShipMode::Full)
        return keptArchiveOf(source, hexOf(info->id), cache, meter, cancel);
    const QString what = u"Reading %1 from the engine (docker save)"_s.arg(source);
    meter.phase(ShipProgress::Preparing, what + u"…"_s);
    Throttle throttle;
    auto saved = ShipCache::spoolImage(source, cache, [&](qint64 done) {
        if (throttle.due())
            meter.phase(ShipProgress::Preparing, aboutOf(what, done, info->size));
    }, cancel);
    if (!saved)
        return saved.failure();
    spool = std::move(saved).value();
    return spool->fileName();
}

/// Full mode: the archive's suffix, size and sha256 (from its FILE.sha256 when that is newer).
Status describeFullArchive(PreparedImage &image, const QString &archivePath, ProgressMeter &meter, const std::atomic_bool *cancel)
{
    image.archivePath = archivePath;
    image.archiveSize = QFileInfo(archivePath).size();
    const QString name = QFileInfo(archivePath).fileName();
    static const QRegularExpression suffix(u"(\\.tar(\\.(gz|zst|xz|bz2))?|\\.tgz)$"_s);
    image.archiveSuffix = suffix.match(name).hasMatch() ? suffix.match(name).captured(1) : u".tar"_s;
    // An export's own FILE.sha256 (written after the archive) saves reading it again; the
    // server checks the sha256 anyway, so a stale one only costs a re-send and an error.
    QFile sum(archivePath + u".sha256"_s);
    const QFileInfo sumInfo(sum.fileName());
    if (sumInfo.exists() && sumInfo.lastModified() >= QFileInfo(archivePath).lastModified() && sum.open(QIODevice::ReadOnly)) {
        const QString hex = QString::fromLatin1(sum.readLine()).section(u' ', 0, 0).trimmed();
        if (hex.size() == 64 && !hex.contains(QRegularExpression(u"[^0-9a-f]"_s)))
            image.archiveSha256 = hex;
    }
    if (image.archiveSha256.isEmpty()) {
        meter.phase(ShipProgress::Preparing, u"Computing the archive's sha256…"_s);
        image.archiveSha256 = fileSha256(archivePath, cancel);
    }
    if (image.archiveSha256.isEmpty())
        return isCancelled(cancel) ? Failure(ErrorClass::Cancelled, u"Shipping was cancelled."_s)
                                   : Failure(ErrorClass::Unreadable, u"The archive %1 cannot be read"_s.arg(archivePath), u"Check the file."_s);
    return {};
}

Result<std::shared_ptr<const PreparedImage>> prepare(const QString &source, const ShipOptions &options, ProgressMeter &meter,
                                                     const std::atomic_bool *cancel)
{
    auto image = std::make_shared<PreparedImage>();
    image->source = source;
    const QString cache = options.cacheDir.isEmpty() ? defaultShipCacheDir() : options.cacheDir;
    if (const Status made = ShipCache::makeFolders(cache); !made)
        return made.failure();
    std::unique_ptr<QTemporaryFile> spool; // a docker save, removed when preparing ends
    const Result<QString> archivePath = archiveFor(source, options, cache, meter, spool, cancel);
    if (!archivePath)
        return archivePath.failure();

    // One reader for Inspect, Export and Ship: an archive file from elsewhere and the engine's
    // own docker save alike go through ImageArchive (links, traversal, caps, bombs, digests).
    meter.phase(ShipProgress::Preparing, u"Checking the image archive…"_s);
    Throttle throttle;
    auto archive = openShipArchive(*archivePath, options.mode == ShipMode::Delta, cancel, [&](qint64 done, qint64 total) {
        if (throttle.due())
            meter.phase(ShipProgress::Preparing, total > 0 ? u"Checking the image archive: %1 of %2…"_s.arg(formatBytes(done), formatBytes(total))
                                                           : u"Checking the image archive: %1…"_s.arg(formatBytes(done)));
    });
    if (!archive)
        return archive.failure();
    describeForShip(archive->image, *image);
    if (options.mode == ShipMode::Full) {
        if (const Status described = describeFullArchive(*image, *archivePath, meter, cancel); !described)
            return described.failure();
        return std::shared_ptr<const PreparedImage>(image);
    }
    for (int i = 0; i < image->layers.size(); ++i) {
        meter.phase(ShipProgress::Preparing, u"Compressing layer %1 of %2…"_s.arg(i + 1).arg(image->layers.size()));
        if (const Status cached = ShipCache::cacheLayer(*archive->layers, i, cache + u"/blobs"_s, image->layers[i], cancel); !cached)
            return cached.failure();
    }
    return std::shared_ptr<const PreparedImage>(image);
}

} // namespace

Result<std::shared_ptr<const PreparedImage>> prepareImage(const QString &source, const ShipOptions &options,
                                                          const ShipProgressFn &progressFn, const std::atomic_bool *cancel)
{
    ShipProgress p;
    ProgressMeter meter(p, progressFn);
    return prepare(source, options, meter, cancel);
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

namespace {

/// One ship of a prepared image to one server: connect, ask what it holds (ShipScripts),
/// decide (ShipPlan), send the archive or the missing layers (whole or as deltas), load,
/// then the health-gated switchover. Each step returns false after fail() filled the result.
class ShipSession
{
public:
    ShipSession(const PreparedImage &image, const ServerProfile &server, const ShipOptions &options,
                const ShipProgressFn &progressFn, const std::atomic_bool *cancel)
        : m_image(image), m_server(server), m_options(options), m_cancel(cancel), m_meter(m_p, progressFn),
          m_ssh(server, options.ssh)
    {
        m_result.server = server.displayName();
        m_result.mode = options.mode;
        m_result.layers = int(image.layers.size());
        for (const auto &l : image.layers) {
            LayerShipState s;
            s.diffId = l.diffId;
            s.size = l.size;
            s.compressedSize = l.blobSize;
            m_p.layers << s;
        }
    }

    ShipResult run()
    {
        const bool shipped = connect() && askInventory()
            && (m_options.mode == ShipMode::Full ? sendArchive() && loadArchive() : sendLayers() && assembleAndLoad());
        if (!shipped || !restartIfAsked()) {
            // Every step that stops says why (fail()); this only guards against one that did not.
            if (!m_result.failure)
                m_result.failure = Failure(ErrorClass::Other, u"Shipping to %1 stopped without a reason"_s.arg(m_server.displayName()),
                                           u"Ship again; if it stops again, report it with the log."_s);
            return m_result;
        }
        m_meter.phase(ShipProgress::Done, m_result.summary());
        return m_result;
    }

private:
    bool fail(const Failure &failure)
    {
        m_result.failure = isCancelled(m_cancel)
            ? Failure(ErrorClass::Cancelled, u"Shipping to %1 was cancelled; the next ship resumes it."_s.arg(m_server.displayName()))
            : failure;
        return false;
    }
    bool fail(const QString &sentence, ErrorClass errorClass = ErrorClass::Other) { return fail(Failure(errorClass, sentence)); }
    bool failRemote(const ProcessResult &r, const QString &what) { return fail(remoteFailure(r, m_ssh, what)); }
    bool cancelled() { return isCancelled(m_cancel) ? fail(u"Shipping was cancelled."_s, ErrorClass::Cancelled), true : false; }

    bool connect()
    {
        m_meter.phase(ShipProgress::Connecting, u"Connecting to %1…"_s.arg(m_server.displayName()));
        const Status opened = m_ssh.open(m_cancel);
        return opened || fail(opened.failure());
    }

    bool askInventory()
    {
        m_meter.phase(ShipProgress::Checking, u"Asking %1 what it already has…"_s.arg(m_server.displayName()));
        QStringList hexes;
        for (const auto &l : m_image.layers)
            hexes << hexOf(l.diffId);
        const ProcessResult r = m_ssh.run(ShipScripts::inventory(m_server, m_options.mode == ShipMode::Delta, m_options.deltas, hexes,
                                                                 archiveFile()),
                                          300000);
        if (!r.ok())
            return failRemote(r, u"checking the server"_s);
        m_inventory = parseInventory(r.stdoutText());
        const Status platform = checkPlatform(m_image, m_inventory, m_server.displayName());
        return platform || fail(platform.failure());
    }

    QString archiveFile() const { return ShipScripts::archiveFile(m_image.archiveSha256, m_image.archiveSuffix); }

    /// Uploads source from offset to fileExpr on the server (ShipScripts::receive); true when it
    /// arrived and its sha256 was verified there, false with *failed set when the upload broke.
    bool upload(QFile &source, qint64 offset, const QString &fileExpr, const QString &sha, qint64 size, bool sidecar,
                qint64 sentBefore, qint64 &sent, bool *failed)
    {
        QElapsedTimer clock;
        clock.start();
        const auto up = m_ssh.upload(&source, ShipScripts::receive(m_server, fileExpr, sha, size, offset > 0, sidecar),
                                     [&](qint64 n) { m_meter.setSent(sentBefore + n); }, m_cancel, m_options.bytesPerSecond);
        sent = up.sent;
        m_result.uploadMs += clock.elapsed();
        *failed = !up.ok();
        if (!up.ok()) {
            fail(*up.failure);
            return false;
        }
        return up.output.contains("verified");
    }

    bool sendArchive()
    {
        m_result.bytesFull = m_image.archiveSize;
        if (m_inventory.archiveState == ServerInventory::ArchiveState::Have)
            return true;
        for (int attempt = 0; attempt < 2; ++attempt) {
            const qint64 offset = attempt == 0 ? archiveResumeOffset(m_inventory, m_image.archiveSize) : 0;
            m_result.resumedFrom = offset;
            QFile in(m_image.archivePath);
            if (!in.open(QIODevice::ReadOnly) || !in.seek(offset))
                return fail(Failure(ErrorClass::Other, u"The archive %1 cannot be read"_s.arg(m_image.archivePath), u"Check the file."_s));
            m_meter.startTransfer(m_image.archiveSize - offset);
            m_meter.phase(ShipProgress::Uploading,
                          offset > 0 ? u"Resuming the upload at %1 of %2…"_s.arg(formatBytes(offset), formatBytes(m_image.archiveSize))
                                     : u"Uploading %1…"_s.arg(formatBytes(m_image.archiveSize)));
            qint64 sent = 0;
            bool failed = false;
            const bool verified = upload(in, offset, archiveFile(), m_image.archiveSha256, m_image.archiveSize, false, 0, sent, &failed);
            m_result.bytesSent += sent;
            m_meter.setSent(sent, true);
            if (failed)
                return false;
            if (verified)
                return true;
            ++m_result.resent;
        }
        return fail(u"The archive arrived damaged on %1 twice (sha256 mismatch): check the server's disk and the network, "
                    "and that %2.sha256 belongs to this archive (delete it to have it computed again)."_s
                        .arg(m_server.displayName(), m_image.archivePath));
    }

    bool loadArchive()
    {
        if (cancelled()) // the last bytes may have arrived as Cancel was pressed: load nothing
            return false;
        m_meter.phase(ShipProgress::Loading, u"sha256 verified on the server; loading the image (docker load)…"_s);
        return runLoad(ShipScripts::loadArchive(m_server, archiveFile()));
    }

    bool runLoad(const QString &script)
    {
        const ProcessResult load = m_ssh.run(script, 3600000);
        m_result.remoteOutput += QString::fromUtf8(load.standardOutput + load.standardError);
        if (!load.ok())
            return failRemote(load, u"docker load"_s);
        static const QRegularExpression loaded(u"Loaded image(?: ID)?: (\\S+)"_s);
        m_result.loadedImage = loaded.match(m_result.remoteOutput).captured(1);
        return true;
    }

    /// Marks what the plan found on the server; makes the deltas; announces what will go.
    bool planLayers(DeltaShipper &deltas)
    {
        for (int i = 0; i < m_plan.layers.size(); ++i) {
            if (m_plan.layers.at(i).action == ShipPlan::Action::AlreadyThere)
                m_p.layers[i].state = LayerShipState::AlreadyThere;
            else if (m_plan.layers.at(i).action == ShipPlan::Action::InEngine)
                m_p.layers[i].state = LayerShipState::InEngine;
        }
        m_result.layersPresent = m_plan.layersPresent;
        m_result.bytesFull = m_plan.bytesFull;
        m_result.bytesWholeLayers = m_plan.bytesWholeLayers;
        if (m_options.deltas) {
            const Status made = deltas.prepare(m_plan.toSend, [&](const QString &m) { m_meter.phase(ShipProgress::Checking, m); }, m_cancel);
            if (!made)
                return fail(made.failure());
            m_result.notes = deltas.notes();
            for (const QString &note : std::as_const(m_result.notes))
                m_meter.phase(ShipProgress::Checking, note);
        }
        qint64 sendBytes = 0;
        for (int i : std::as_const(m_plan.toSend))
            sendBytes += deltas.hasPatch(i) ? deltas.patchSize(i) : m_image.layers.at(i).blobSize - m_plan.layers.at(i).resumeFrom;
        // The image's config and manifest travel with every delta ship, as they would in a full one.
        m_result.bytesFull += m_image.config.size() + m_image.manifest().size();
        m_meter.startTransfer(sendBytes);
        m_meter.phase(ShipProgress::Uploading, u"%1 of %2 layers already on the server: sending %3 instead of %4"_s.arg(m_result.layersPresent)
                                                   .arg(m_result.layers)
                                                   .arg(formatBytes(sendBytes), formatBytes(m_result.bytesFull)));
        return true;
    }

    bool sendLayers()
    {
        m_plan = planShip(m_image, m_inventory);
        DeltaShipper deltas(m_image, m_options.cacheDir.isEmpty() ? defaultShipCacheDir() : m_options.cacheDir, m_inventory.deltaFacts);
        if (!planLayers(deltas))
            return false;
        for (int i : std::as_const(m_plan.toSend)) {
            if (cancelled())
                return false;
            m_p.layers[i].state = LayerShipState::Sending;
            bool whole = true;
            if (deltas.hasPatch(i) && !sendDelta(i, deltas, whole))
                return false;
            if (whole && !sendWhole(i))
                return false;
            m_p.layers[i].state = LayerShipState::Verified;
            m_meter.setSent(m_sent, true);
        }
        return true;
    }

    /// Layer i as a zstd patch; whole is set when the server could not use it.
    bool sendDelta(int i, DeltaShipper &deltas, bool &whole)
    {
        m_p.layers[i].transfer = LayerShipState::Delta;
        const auto explain = [&](const ProcessResult &r, const QString &what) { return remoteFailure(r, m_ssh, what); };
        const auto d = deltas.send(i, m_ssh, RemotePolicy::prelude(m_server), [&](qint64 n) { m_meter.setSent(m_sent + n); }, m_cancel,
                                   m_options.bytesPerSecond, explain);
        if (!d)
            return fail(d.failure());
        m_sent += d->sent;
        m_result.bytesSent = m_sent;
        m_p.layers[i].sentBytes = d->sent;
        whole = !d->applied;
        if (d->applied) {
            ++m_result.layersDelta;
            return true;
        }
        m_result.notes << d->whyWhole;
        m_p.toSend += m_image.layers.at(i).blobSize - deltas.patchSize(i);
        m_meter.phase(ShipProgress::Uploading, d->whyWhole);
        return true;
    }

    /// Layer i's gzip blob, resuming a partial upload once, sent again once after a mismatch.
    bool sendWhole(int i)
    {
        const PreparedImage::Layer &l = m_image.layers.at(i);
        m_p.layers[i].transfer = LayerShipState::Whole;
        for (int attempt = 0; attempt < 2; ++attempt) {
            const qint64 offset = attempt == 0 ? m_plan.layers.at(i).resumeFrom : 0;
            QFile in(l.blobPath);
            if (!in.open(QIODevice::ReadOnly) || !in.seek(offset))
                return fail(u"Gantry's cached layer %1 cannot be read: ship again (it will be made anew)."_s.arg(l.blobPath));
            qint64 sent = 0;
            bool failed = false;
            const bool verified = upload(in, offset, ShipScripts::blobFile(hexOf(l.diffId)), l.blobSha256, l.blobSize, true, m_sent, sent, &failed);
            m_sent += sent;
            m_p.layers[i].sentBytes += sent;
            m_result.bytesSent = m_sent;
            if (failed)
                return false;
            if (verified)
                return true;
            ++m_result.resent;
        }
        return fail(Failure(ErrorClass::Other, u"A layer arrived damaged on %1 twice (sha256 mismatch)"_s.arg(m_server.displayName()),
                            u"Check the server's disk and the network."_s));
    }

    bool assembleAndLoad()
    {
        // Past this point the server's engine changes: a Cancel pressed while the last layer
        // was verified stops here, with the layers kept for the next ship.
        if (cancelled())
            return false;
        m_meter.phase(ShipProgress::Loading, u"Assembling the image on the server and loading it (docker load)…"_s);
        const QString token = QUuid::createUuid().toString(QUuid::Id128);
        const QByteArray manifest = m_image.manifest();
        const ProcessResult c1 = m_ssh.run(ShipScripts::storeInAssembly(m_server, token, u"config.json"_s, true), 60000, m_image.config);
        const ProcessResult c2 = c1.ok() ? m_ssh.run(ShipScripts::storeInAssembly(m_server, token, u"manifest.json"_s, false), 60000, manifest) : c1;
        if (!c2.ok())
            return failRemote(c2, u"storing the image config"_s);
        m_result.bytesSent += m_image.config.size() + manifest.size();
        return runLoad(ShipScripts::assembleAndLoad(m_server, token, m_plan.assembleHexes()));
    }

    bool restartIfAsked()
    {
        if (!m_options.restart && m_server.afterLoad != ServerProfile::AfterLoad::Restart)
            return true;
        if (m_server.containerName.trimmed().isEmpty())
            return fail(Failure(ErrorClass::Other, u"Restarting needs a container name"_s, u"Set one in the server's profile."_s));
        if (cancelled()) // loaded, but the running container stays as it was
            return false;
        const Status deployed = deployAfterLoad(m_ssh, m_image, m_server, m_meter, m_result, m_cancel);
        return deployed || fail(deployed.failure());
    }

    const PreparedImage &m_image;
    const ServerProfile &m_server;
    const ShipOptions &m_options;
    const std::atomic_bool *m_cancel;
    ShipResult m_result;
    ShipProgress m_p;
    ProgressMeter m_meter;
    SshConnection m_ssh;
    ServerInventory m_inventory;
    ShipPlan m_plan;
    qint64 m_sent = 0; ///< delta mode: bytes of layers handed to ssh so far
};

} // namespace

ShipResult shipImage(const PreparedImage &image, const ServerProfile &server, const ShipOptions &options,
                     const ShipProgressFn &progressFn, const std::atomic_bool *cancel)
{
    return ShipSession(image, server, options, progressFn, cancel).run();
}

Result<QString> checkServer(const ServerProfile &server, const SshOptions &options, const std::atomic_bool *cancel)
{
    SshConnection ssh(server, options);
    if (const Status opened = ssh.open(cancel); !opened)
        return opened.failure();
    const ProcessResult r = ssh.run(ShipScripts::checkServer(server), 60000);
    if (!r.ok())
        return remoteFailure(r, ssh, u"checking docker"_s);
    const ServerInventory engine = parseInventory(r.stdoutText());
    const QString store = engine.containerdStore ? u"containerd image store"_s : u"classic image store"_s;
    return u"Connected to %1: Docker %2 (%3, %4); the remote folder %5 is writable."_s.arg(ssh.hostDescription(), engine.engineVersion,
                                                                                          engine.platform, store, server.remoteDir);
}

} // namespace Gantry
