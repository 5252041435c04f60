// SPDX-License-Identifier: MIT
#pragma once

#include "ship/deployplan.h" // Gantry::keepRepository()
#include "servermachine.h"
#include "testsupport.h"
#include "util/processrunner.h"

#include <QDir>
#include <QFile>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>

namespace GantryTest::ShipFixtures {

/// Runs the docker client of one engine: the client's own (GantryTest::runDocker) or a
/// server machine's (ServerMachine::docker).
using DockerFn = std::function<Gantry::ProcessResult(const QStringList &)>;

/// Removes the tags the switchover keeps for rollbacks on the engine docker talks to, so that
/// a test's "the engine does not have the image" holds. The repository is the product's own
/// Gantry::keepRepository(container), never a name rebuilt by hand.
inline void removeKeptImages(const DockerFn &docker, const QString &container)
{
    const QStringList kept = docker({QStringLiteral("image"), QStringLiteral("ls"), QStringLiteral("--format"),
                                     QStringLiteral("{{.Repository}}:{{.Tag}}"), Gantry::keepRepository(container)})
                                 .stdoutText()
                                 .split(u'\n', Qt::SkipEmptyParts);
    if (!kept.isEmpty())
        docker(QStringList{QStringLiteral("rmi")} + kept);
}

/// Builds a tiny image on the client's engine in seconds (FROM scratch, one layer holding one
/// file whose content is `content`), for tests that need something to ship but not the app.
inline bool buildTinyImage(const QString &tag, const QString &folder, const QString &content, QString *error)
{
    QDir().mkpath(folder);
    QFile file(folder + QStringLiteral("/content.txt"));
    QFile dockerfile(folder + QStringLiteral("/Dockerfile"));
    if (!file.open(QIODevice::WriteOnly) || file.write(content.toUtf8()) < 0 || !dockerfile.open(QIODevice::WriteOnly)
        || dockerfile.write("FROM scratch\nCOPY content.txt /content.txt\n") < 0) {
        *error = QStringLiteral("could not write the tiny image's build context in ") + folder;
        return false;
    }
    file.close();
    dockerfile.close();
    const auto r = runDocker({QStringLiteral("build"), QStringLiteral("-q"), QStringLiteral("-t"), tag, folder}, 300000);
    if (!r.ok())
        *error = QStringLiteral("docker build of %1 failed: %2").arg(tag, r.stderrText().right(1500));
    return r.ok();
}

/// The `gantry ship` flags that reach a ServerMachine as a user would: --to root@127.0.0.1:PORT,
/// the key it accepts (-i), the known_hosts file that trusts its host key, Gantry's folder
/// there and --batch (no prompts).
inline QStringList shipArgs(const ServerMachine &server, const QString &remoteDir)
{
    return {QStringLiteral("--to"), server.destination(), QStringLiteral("-i"), server.clientKey(), QStringLiteral("--known-hosts"),
            server.knownHostsFile(), QStringLiteral("--remote-dir"), remoteDir, QStringLiteral("--batch")};
}

/// This process's environment with the client's cache and settings (XDG_CACHE_HOME,
/// XDG_CONFIG_HOME) inside a test's own folder: a `gantry` it starts shares nothing with the user's.
inline QProcessEnvironment clientEnvironment(const QString &workFolder)
{
    auto e = QProcessEnvironment::systemEnvironment();
    e.insert(QStringLiteral("XDG_CACHE_HOME"), workFolder + QStringLiteral("/cache"));
    e.insert(QStringLiteral("XDG_CONFIG_HOME"), workFolder + QStringLiteral("/config"));
    return e;
}

/// gzip size of one layer of a docker-save archive, measured with the system's gzip (-1 when
/// that fails): what a whole-layer upload would send, to compare a delta with.
inline qint64 gzipSizeOfLayer(const QString &archive, const QString &diffId)
{
    const auto r = Gantry::runProcess(QStringLiteral("sh"), {QStringLiteral("-c"), QStringLiteral("tar -xOf \"$1\" \"blobs/sha256/$2\" | gzip -c | wc -c"),
                                                             QStringLiteral("sh"), archive, diffId.section(u':', 1)});
    return r.ok() ? r.stdoutText().toLongLong() : -1;
}

} // namespace GantryTest::ShipFixtures
