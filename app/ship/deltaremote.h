// SPDX-License-Identifier: MIT
#pragma once

#include <QSet>
#include <QString>

namespace Gantry {

/// What the server said about deltas in its inventory.
struct ServerDeltaFacts
{
    QString zstd;          ///< `zstd -V` (empty: no zstd on the server's PATH)
    QSet<QString> blobs;   ///< diff ids (sha256:...) of the complete blobs in its cache
};

/// Shell text appended to the ship's inventory (after `dir=...;`): a `zstd ...` line and a
/// `cached <hex>` line per complete blob in $dir/blobs.
QString deltaInventoryScript();

/// Takes the line if it belongs to deltaInventoryScript()'s output; false otherwise.
bool parseDeltaInventoryLine(const QString &line, ServerDeltaFacts &facts);

/// Where a patch waits on the server (a shell word using $dir).
QString remotePatchFile(const QString &diffId, const QString &referenceDiffId);

/// The remote command that stores stdin as the patch (appending to a partial one when
/// append), checks its sha256 and prints `verified` or `mismatch`.
QString receivePatchCommand(const QString &diffId, const QString &referenceDiffId, const QString &sha256, qint64 size, bool append);

/// The remote command that rebuilds layer diffId from the patch and the server's blob of
/// referenceDiffId: checks the reference's sha256 against its diff id, runs
/// `zstd -d --long=W --patch-from=REF`, checks the result's sha256 against diffId, and only
/// then stores it gzipped as $dir/blobs/<hex>.tar.gz (+ .sha256). Prints one line:
/// `delta ok` or `delta whole <reason>`; exit code != 0 only for a server failure
/// (disk full, ...). Uses $dir; works in $dir/tmp/<token>, removed on exit.
QString applyPatchCommand(const QString &diffId, const QString &referenceDiffId, int windowLog, const QString &token);

/// From applyPatchCommand()'s output: empty when applied, else why the layer goes whole (a clause).
QString applyOutcome(const QString &output);

} // namespace Gantry
