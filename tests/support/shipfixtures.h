// SPDX-License-Identifier: MIT
#pragma once

#include "ship/deployplan.h" // Gantry::keepRepository()
#include "testsupport.h"
#include "util/processrunner.h"

#include <QDir>
#include <QFile>
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

} // namespace GantryTest::ShipFixtures
