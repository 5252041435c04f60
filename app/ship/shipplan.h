// SPDX-License-Identifier: MIT
#pragma once

#include "deltaremote.h"
#include "util/failure.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Gantry {

struct PreparedImage;

/// What a server said it holds, parsed from ShipScripts::inventory()'s output (pure).
struct ServerInventory
{
    QString platform;                   ///< "linux/amd64" (the server engine's OS/ARCH)
    QString engineVersion;              ///< "27.5.1" (only ShipScripts::checkServer asks)
    bool containerdStore = false;       ///< the engine uses the containerd image store
    QList<QStringList> engineLayerLists; ///< diff ids of each image in the server's engine
    QHash<QString, QString> blobState;  ///< layer hex -> "ok", "corrupt", "partial", "missing"
    QHash<QString, qint64> blobPartial; ///< layer hex -> bytes of its .partial upload
    /// Full mode: the archive file on the server ("have", "missing" or "partial N" in the output).
    enum class ArchiveState { NotAsked, Have, Missing, Partial };
    ArchiveState archiveState = ArchiveState::NotAsked;
    qint64 archivePartial = 0;          ///< full mode: bytes of the archive's .partial upload
    ServerDeltaFacts deltaFacts;        ///< zstd and the complete blobs (references for deltas)
};

/// Reads the inventory's lines; unknown lines are ignored.
ServerInventory parseInventory(const QString &stdoutText);

/// "amd64" for "x86_64", "arm64" for "aarch64": docker's names for what `uname -m` says.
QString goArch(const QString &arch);

/// A Failure when the server's engine runs another platform than the image is built for:
/// the sentence names both and what to do. Nothing when they match or either is unknown.
Status checkPlatform(const PreparedImage &image, const ServerInventory &inventory, const QString &serverName);

/// What happens to each layer of a delta-mode ship, decided from the inventory alone.
struct ShipPlan
{
    enum class Action { AlreadyThere, InEngine, Send };
    struct Layer
    {
        Action action = Action::Send;
        qint64 resumeFrom = 0; ///< Send: bytes of a partial upload to append to (0: from the start)
    };
    QList<Layer> layers;
    QList<int> toSend;          ///< indexes of the layers that travel, in image order
    int layersPresent = 0;      ///< already in the server's blob cache or its engine
    qint64 bytesFull = 0;       ///< all layer blobs, as if the whole image went
    qint64 bytesWholeLayers = 0; ///< the layers that travel, sent whole
    /// The blobs the assembled archive needs (every layer but those the engine already
    /// holds as a chain from the bottom, which a classic-store docker load does not need).
    QStringList assembleHexes() const;
    QStringList layerHexes;     ///< every layer's hex, in image order
};

/// Decides, per layer: already in the server's cache (blob verified there), already in its
/// engine as part of a chain from the bottom (classic store only: the containerd store wants
/// every layer in the archive), or to send (resuming a partial upload no longer than the blob).
ShipPlan planShip(const PreparedImage &image, const ServerInventory &inventory);

/// Full mode: where the archive's upload resumes (0: from the start).
qint64 archiveResumeOffset(const ServerInventory &inventory, qint64 archiveSize);

} // namespace Gantry
