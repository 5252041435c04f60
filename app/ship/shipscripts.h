// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

namespace Gantry {

struct ServerProfile;

/// Every shell script a ship runs on a server, in one place (pure: values in, text out).
/// Each starts with RemotePolicy::prelude() — umask 077, $dir (Gantry's folder, checked)
/// and $D (docker) — and reports on stdout in the line format ShipPlan's parseInventory()
/// reads, or fails with a "gantry: " sentence on stderr and an exit code
/// remoteFailure() (remotefailure.h) knows.
namespace ShipScripts {

/// Prints "engine OS/ARCH" and "driver JSON" (the image store); exits 5 when docker fails
/// and 4 without sha256sum.
QString engineCheck();

/// What the server holds, asked once per ship: Gantry's folders made, stale assembly
/// folders (older than 3 h) removed, the engine checked, then
///  - delta mode: "layers [diff ids]" per engine image, the delta inventory (references,
///    zstd) when deltas are on, and "blob HEX ok|corrupt|missing|partial N" per layer
///    (a blob whose sidecar sha256 does not match is removed);
///  - full mode: "have", "missing" or "partial N" for the archive file.
QString inventory(const ServerProfile &server, bool deltaMode, bool deltas, const QStringList &layerHexes,
                  const QString &archiveFile);

/// "\"$dir/archives/SHA256SUFFIX\"": where a full-mode archive lives on the server.
QString archiveFile(const QString &archiveSha256, const QString &suffix);
/// "\"$dir/blobs/HEX.tar.gz\"": where a layer blob lives on the server.
QString blobFile(const QString &hex);

/// Appends stdin to FILE.partial (refusing links), checks its size and sha256 and renames it
/// to FILE (with a FILE.sha256 sidecar first when asked); prints "verified" or
/// "mismatch HEX". A shorter file (the link broke) stays for the next run to resume.
QString receive(const ServerProfile &server, const QString &fileExpr, const QString &sha, qint64 size, bool append,
                bool sidecar);

/// docker load of a full-mode archive, then removal of Gantry's other archives.
QString loadArchive(const ServerProfile &server, const QString &archiveFile);

/// Writes stdin to NAME in the assembly folder $dir/tmp/TOKEN (made with its layers/ folder).
QString storeInAssembly(const ServerProfile &server, const QString &token, const QString &name, bool makeFolder);
/// Links (or copies) the blobs into the assembly folder TOKEN, pipes it as a docker-archive
/// into docker load, and removes the folder whatever happens.
QString assembleAndLoad(const ServerProfile &server, const QString &token, const QStringList &blobHexes);

/// "Test connection": the folder is writable, the engine answers; prints "version V" too.
QString checkServer(const ServerProfile &server);

} // namespace ShipScripts

} // namespace Gantry
