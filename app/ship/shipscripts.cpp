// SPDX-License-Identifier: MIT
#include "shipscripts.h"

#include "deltaremote.h"
#include "remotepolicy.h"

using namespace Qt::StringLiterals;

namespace Gantry::ShipScripts {

QString engineCheck()
{
    return u"v=$($D version --format '{{.Server.Os}}/{{.Server.Arch}}' 2>&1) || { echo \"gantry: docker on the server failed: $v\" >&2; exit 5; }; "
           "echo \"engine $v\"; echo \"driver $($D info --format '{{json .DriverStatus}}' 2>/dev/null)\"; "
           "command -v sha256sum >/dev/null 2>&1 || { echo 'gantry: sha256sum is missing on the server' >&2; exit 4; }; "_s;
}

QString archiveFile(const QString &archiveSha256, const QString &suffix)
{
    return u"\"$dir/archives/"_s + archiveSha256 + suffix + u'"';
}

QString blobFile(const QString &hex) { return u"\"$dir/blobs/"_s + hex + u".tar.gz\""_s; }

QString inventory(const ServerProfile &server, bool deltaMode, bool deltas, const QStringList &layerHexes,
                  const QString &archiveFileExpr)
{
    // An assembly folder in $dir/tmp older than three hours (a docker load times out after
    // one) was left by a ship whose connection died during docker load: it goes. Younger
    // ones may belong to a ship running from another machine right now.
    QString script = RemotePolicy::prelude(server)
        + u"mkdir -p \"$dir/blobs\" \"$dir/tmp\" \"$dir/archives\" || { echo \"gantry: cannot create $dir\" >&2; exit 3; }; "
          "find \"$dir/tmp\" -mindepth 1 -maxdepth 1 -name "_s + RemotePolicy::tokenNamePattern() + u" -mmin +180 -exec rm -rf {} + 2>/dev/null; "_s
        + engineCheck();
    if (!deltaMode)
        return script + u"f="_s + archiveFileExpr
            + u"; if [ -f \"$f\" ]; then echo have; elif [ -f \"$f.partial\" ]; then echo \"partial $(wc -c < \"$f.partial\")\"; else echo missing; fi"_s;
    script += u"ids=$($D image ls -q --no-trunc 2>/dev/null | sort -u); [ -n \"$ids\" ] && $D image inspect --format 'layers {{json .RootFS.Layers}}' $ids 2>/dev/null; "_s;
    if (deltas)
        script += deltaInventoryScript();
    return script + u"for b in "_s + layerHexes.join(u' ')
        + u"; do f=\"$dir/blobs/$b.tar.gz\"; if [ -f \"$f\" ] && [ -f \"$f.sha256\" ]; then "
          "if [ \"$(sha256sum < \"$f\" | cut -d' ' -f1)\" = \"$(cat \"$f.sha256\")\" ]; then echo \"blob $b ok\"; "
          "else rm -f \"$f\" \"$f.sha256\"; echo \"blob $b corrupt\"; fi; "
          "elif [ -f \"$f.partial\" ]; then echo \"blob $b partial $(wc -c < \"$f.partial\")\"; else echo \"blob $b missing\"; fi; done; true"_s;
}

QString receive(const ServerProfile &server, const QString &fileExpr, const QString &sha, qint64 size, bool append, bool sidecar)
{
    return RemotePolicy::prelude(server) + u"f="_s + fileExpr + u"; mkdir -p \"$(dirname \"$f\")\" || exit 3; "_s
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

QString loadArchive(const ServerProfile &server, const QString &archiveFileExpr)
{
    return RemotePolicy::prelude(server) + u"f="_s + archiveFileExpr
        + u"; $D load -i \"$f\" || exit $?; for o in \"$dir\"/archives/*; do case \"$o\" in \"$f\"|*.partial) ;; "_s
        + RemotePolicy::archiveNamePattern() + u") rm -f \"$o\" ;; esac; done; true"_s;
}

namespace {
QString assemblyFolder(const QString &token) { return u"t=\"$dir/tmp/"_s + token + u"\"; "_s; }
} // namespace

QString storeInAssembly(const ServerProfile &server, const QString &token, const QString &name, bool makeFolder)
{
    return RemotePolicy::prelude(server) + assemblyFolder(token) + (makeFolder ? u"mkdir -p \"$t/layers\" && "_s : QString())
        + u"cat > \"$t/"_s + name + u'"';
}

QString assembleAndLoad(const ServerProfile &server, const QString &token, const QStringList &blobHexes)
{
    return RemotePolicy::prelude(server) + assemblyFolder(token) + u"cd \"$t\" || exit 3; for b in "_s + blobHexes.join(u' ')
        + u"; do ln -f \"$dir/blobs/$b.tar.gz\" \"layers/$b.tar.gz\" 2>/dev/null || cp \"$dir/blobs/$b.tar.gz\" \"layers/$b.tar.gz\" || { cd /; rm -rf \"$t\"; exit 3; }; done; "
          "tar -cf - manifest.json config.json layers | $D load; rc=$?; cd /; rm -rf \"$t\"; exit $rc"_s;
}

QString checkServer(const ServerProfile &server)
{
    return RemotePolicy::prelude(server)
        + u"mkdir -p \"$dir\" && [ -w \"$dir\" ] || { echo \"gantry: the remote folder $dir is not writable\" >&2; exit 3; }; "_s
        + engineCheck() + u"echo \"version $($D version --format '{{.Server.Version}}')\""_s;
}

} // namespace Gantry::ShipScripts
