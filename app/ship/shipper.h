// SPDX-License-Identifier: MIT
#pragma once

#include "deployer.h"
#include "serverprofile.h"
#include "sshconnection.h"
#include "util/failure.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>

namespace Gantry {

enum class ShipMode {
    Delta, ///< only the layers the server lacks, assembled and loaded there (default)
    Full,  ///< the whole archive, resumable, verified, then docker load
};

/// One layer of the image being shipped and what happens to it on one server.
struct LayerShipState
{
    enum State { Pending, InEngine, AlreadyThere, Sending, Verified };
    enum Transfer { NotSent, Whole, Delta }; ///< how a layer the server lacks travels
    QString diffId;            ///< sha256:... of the uncompressed layer
    qint64 size = 0;           ///< uncompressed bytes
    qint64 compressedSize = 0; ///< gzip bytes (what would be sent)
    State state = Pending;
    Transfer transfer = NotSent;
    qint64 sentBytes = 0;      ///< what went over the link for it (a delta: the patch)
    QString note;              ///< why a layer that could have gone as a delta went whole
    static QString stateName(State state);
    /// "already there", "delta: sent 178 KB of 1.4 MB", "whole: 1.4 MB", "sending delta", ...
    QString describe() const;
};

struct ShipProgress
{
    enum Phase { Preparing, Connecting, Checking, Uploading, Loading, Restarting, HealthCheck, Done };
    Phase phase = Preparing;
    QString message;           ///< what happens now, in words
    qint64 sent = 0;           ///< bytes sent in this ship so far
    qint64 toSend = 0;         ///< bytes this ship has to send
    double bytesPerSecond = 0;
    qint64 etaSeconds = -1;    ///< -1: unknown
    QList<LayerShipState> layers;
};

struct ShipResult
{
    /// Why this server did not get the image (HostKeyChanged, RemoteDiskFull, ..., Cancelled);
    /// none when it did. The numbers below are filled either way (how far it got).
    std::optional<Failure> failure;
    bool ok() const { return !failure.has_value(); }
    bool cancelled() const { return failure && failure->cancelled(); }
    ErrorClass errorClass() const { return failure ? failure->errorClass : ErrorClass::None; }
    QString error() const { return failure ? failure->sentence() : QString(); } ///< one sentence, for a log line
    QString server;            ///< display name
    ShipMode mode = ShipMode::Delta;
    qint64 bytesSent = 0;      ///< bytes handed to ssh: blobs/archive plus config and manifest
    qint64 bytesFull = 0;      ///< what sending the whole image (compressed) would have cost
    int layers = 0;
    int layersPresent = 0;     ///< already on the server (blob cache or engine)
    int layersDelta = 0;       ///< sent as a zstd patch against an earlier layer
    qint64 bytesWholeLayers = 0; ///< what sending the missing layers whole (gzip) would have cost
    QStringList notes;         ///< one line per layer that went whole although a delta was considered
    qint64 resumedFrom = 0;    ///< full mode: bytes that were already on the server
    int resent = 0;            ///< uploads repeated after a failed verification
    qint64 uploadMs = 0;       ///< time spent uploading (and verifying on the server)
    QString loadedImage;       ///< what docker load said it loaded
    QString remoteOutput;      ///< docker load / run output
    bool healthOk = false;
    DeployOutcome deploy;      ///< the switchover after loading (result NotRun without a restart)
    qint64 bytesSaved() const { return qMax<qint64>(0, bytesFull - bytesSent); }
    /// "3 of 5 layers already on the server: sent 2.1 MB instead of 14.2 MB", then how the
    /// deltas did against whole missing layers and the whole image gzipped (docker save | gzip)
    QString summary() const;
};

/// The image, ready to be shipped to any number of servers (made once, read-only after).
struct PreparedImage
{
    QString source;            ///< what the user named (image or archive)
    QString runRef;            ///< how `docker run` names it after loading
    QByteArray config;
    QString configDigest;
    QStringList repoTags;
    QString os, architecture;
    struct Layer
    {
        QString diffId;
        qint64 size = 0;
        QString blobPath;      ///< local gzip blob (delta mode)
        QString blobSha256;    ///< hex of the gzip blob
        qint64 blobSize = 0;
    };
    QList<Layer> layers;
    QString archivePath;       ///< full mode: the file to upload
    QString archiveSha256;
    qint64 archiveSize = 0;
    QString archiveSuffix;     ///< ".tar", ".tar.gz", ...
    QByteArray manifest() const; ///< manifest.json for the archive assembled on the server
};

struct ShipOptions
{
    ShipMode mode = ShipMode::Delta;
    bool restart = false;      ///< run the profile's after-load action even if it says "nothing"
    qint64 bytesPerSecond = 0; ///< > 0: limit the upload rate
    bool deltas = true;        ///< delta mode: send zstd patches against earlier layers the server holds
    SshOptions ssh;
    QString cacheDir;          ///< local blob/archive cache; empty: the user's cache folder
};

using ShipProgressFn = std::function<void(const ShipProgress &)>;

/// Makes source (an image in the engine, or a docker-archive file) ready to ship: reads its
/// config and layers, compresses each layer once into the local cache (delta), or finds/makes
/// the archive and its sha256 (full). Blocking.
Result<std::shared_ptr<const PreparedImage>> prepareImage(const QString &source, const ShipOptions &options,
                                                          const ShipProgressFn &progress, const std::atomic_bool *cancel);

/// Ships a prepared image to one server. Blocking; one call per worker thread.
ShipResult shipImage(const PreparedImage &image, const ServerProfile &server, const ShipOptions &options,
                     const ShipProgressFn &progress, const std::atomic_bool *cancel);

/// "Test connection": logs in, checks docker and the remote folder. Returns the sentence
/// saying what works ("Connected to HOST: Docker V (OS/ARCH, image store); …") or the Failure.
Result<QString> checkServer(const ServerProfile &server, const SshOptions &options, const std::atomic_bool *cancel = nullptr);

/// The local cache folder used when ShipOptions::cacheDir is empty.
QString defaultShipCacheDir();

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::ShipProgress)
Q_DECLARE_METATYPE(Gantry::ShipResult)
