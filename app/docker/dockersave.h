// SPDX-License-Identifier: MIT
#pragma once

#include "util/errorclass.h"

#include <QByteArrayView>
#include <QFileDevice>
#include <QString>

#include <atomic>
#include <chrono>
#include <functional>

namespace Gantry {

/// What `docker image inspect` says of an image before it is read: its id and its size in
/// the engine (an estimate of the `docker save` stream's length), or why it cannot be read.
struct EngineImageInfo
{
    bool ok = false;
    QString id;                                ///< the image id ("sha256:…")
    qint64 size = -1;                          ///< bytes in the engine (-1: unknown)
    ErrorClass errorClass = ErrorClass::None;  ///< NotFound, EngineDown, DockerMissing, Other
    QString error;                             ///< one sentence when !ok
};

/// Asks the engine for IMAGE (name:tag or id). Blocking (at most 30 seconds).
EngineImageInfo inspectEngineImage(const QString &docker, const QString &image);

struct DockerSaveResult
{
    bool ok = false;
    bool cancelled = false;
    bool sinkFailed = false;                   ///< the sink refused a chunk; the caller words that error
    ErrorClass errorClass = ErrorClass::None;
    QString error;                             ///< one sentence when !ok (empty when sinkFailed)
    qint64 bytes = 0;                          ///< bytes of the stream handed to the sink
};

/// Streams `docker save IMAGE` (stdout) chunk by chunk (at most 1 MiB each) into sink,
/// which returns false to stop. Honours cancel (checked at least every 200 ms) and stops
/// when docker sends nothing for stallTimeout; in every case that ends early the docker
/// process is killed and reaped, never left running. An empty stream is a failure.
/// Blocking: for worker threads and the CLI.
DockerSaveResult streamDockerSave(const QString &docker, const QString &image,
                                  const std::function<bool(QByteArrayView chunk)> &sink,
                                  const std::atomic_bool *cancel = nullptr,
                                  std::chrono::milliseconds stallTimeout = std::chrono::minutes(5));

/// The one `docker save` spool: streams IMAGE into FILE (open for writing) and flushes it;
/// progress (optional) gets the bytes written so far. A chunk FILE does not take, or a
/// flush that fails, ends it with sinkFailed set (the caller words that, with
/// file.errorString(): it knows where the file is). Blocking, like streamDockerSave.
DockerSaveResult spoolDockerSave(const QString &docker, const QString &image, QFileDevice &file,
                                 const std::function<void(qint64 written)> &progress, const std::atomic_bool *cancel = nullptr);

} // namespace Gantry
