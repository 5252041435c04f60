// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <optional>

namespace Gantry {

/// How an exported archive is compressed (KCompressionDevice does the work).
enum class Compression { None, Gzip, Zstd, Xz };

QString compressionName(Compression compression);           ///< "none", "gzip", "zstd", "xz"
std::optional<Compression> compressionFromName(const QString &name); ///< also accepts "zst", "gz", "plain"
QString compressionSuffix(Compression compression);         ///< ".tar", ".tar.gz", ".tar.zst", ".tar.xz"
/// Where an export of image goes unless told otherwise: in folder, under the image's name (each
/// run of characters a file name should not hold becomes "-") and the compression's suffix.
QString defaultExportPath(const QString &image, Compression compression, const QString &folder);
QStringList compressionNames();

struct ExportOptions
{
    QString image;           ///< an image the engine has (name:tag or id)
    QString outputPath;      ///< the final file; its folder must exist
    Compression compression = Compression::None;
};

struct ExportProgress
{
    enum Phase { Saving, Verifying } phase = Saving;
    qint64 done = 0;   ///< bytes of the docker save stream read (or verified)
    qint64 total = 0;  ///< estimate: the image's size in the engine (0: unknown)
};

/// A complete, verified archive.
struct ExportedArchive
{
    QString path;           ///< the archive, under its final name
    QString sha256Path;     ///< the .sha256 file beside it
    QString sha256;         ///< hex sha256 of the archive file as written
    qint64 archiveBytes = 0;
    qint64 imageBytes = 0;  ///< bytes of the (uncompressed) docker save stream
    QString warning;        ///< the archive is fine but its .sha256 could not be written (one sentence)
};

using ExportProgressFn = std::function<void(const ExportProgress &)>;

/// What an export ends with: the archive, or why there is none (Cancelled when cancelled).
using ExportOutcome = Result<ExportedArchive>;

/// Streams `docker save IMAGE` into options.outputPath, compressed as asked. The file is
/// written under a temporary name in the same folder, read back and checked (decompressed
/// bytes and their sha256 equal what docker sent), and only then renamed to its final name;
/// then "<file>.sha256" (sha256sum format) is written beside it. On failure or cancel
/// nothing is left behind. Blocking: call it from a worker thread or the CLI.
ExportOutcome exportImage(const ExportOptions &options, const ExportProgressFn &progress = {},
                          const std::atomic_bool *cancel = nullptr);

/// sha256 of a file in hex (empty when it cannot be read). Blocking.
QString fileSha256(const QString &path, const std::atomic_bool *cancel = nullptr,
                   const std::function<void(qint64)> &progress = {});

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::ExportProgress)
Q_DECLARE_METATYPE(Gantry::ExportOutcome)
