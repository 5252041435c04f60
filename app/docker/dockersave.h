// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QByteArrayView>
#include <QFileDevice>
#include <QString>

#include <atomic>
#include <chrono>
#include <functional>

namespace Gantry {

/// What `docker image inspect` says of an image before it is read: its id and its size in
/// the engine (an estimate of the `docker save` stream's length).
struct EngineImage
{
    QString id;       ///< the image id ("sha256:…")
    qint64 size = -1; ///< bytes in the engine (-1: unknown)
};

/// Asks the engine for IMAGE (name:tag or id), or says why it cannot be read: NotFound,
/// EngineDown, DockerMissing, Other. Blocking (at most 30 seconds).
Result<EngineImage> inspectEngineImage(const QString &docker, const QString &image);

/// Takes one chunk of the stream, or says why it cannot, in its own words (it knows where the
/// bytes go); that Failure ends the stream and is returned as it is.
using DockerSaveSink = std::function<Status(QByteArrayView chunk)>;

/// Streams `docker save IMAGE` (stdout) chunk by chunk (at most 2^20 bytes each) into sink and
/// returns the bytes it handed over. Honours cancel (checked at least every 200 ms: a
/// Cancelled failure) and stops when docker sends nothing for stallTimeout; in every case
/// that ends early the docker process is killed and reaped, never left running. An empty
/// stream is a failure. Blocking: for worker threads and the CLI.
Result<qint64> streamDockerSave(const QString &docker, const QString &image, const DockerSaveSink &sink,
                                const std::atomic_bool *cancel = nullptr,
                                std::chrono::milliseconds stallTimeout = std::chrono::minutes(5));

/// The one `docker save` spool: streams IMAGE into FILE (open for writing) and flushes it;
/// progress (optional) gets the bytes written so far. A chunk FILE does not take, or a
/// flush that fails, is "Cannot write WHAT (the file's error): free some disk space and try
/// again." — WHAT names the file for the user ("the image into Gantry's cache /x"). Blocking,
/// like streamDockerSave.
Result<qint64> spoolDockerSave(const QString &docker, const QString &image, QFileDevice &file, const QString &what,
                               const std::function<void(qint64 written)> &progress, const std::atomic_bool *cancel = nullptr);

} // namespace Gantry
