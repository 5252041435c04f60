// SPDX-License-Identifier: MIT
#pragma once

#include "ship/deployplan.h" // Gantry::keepRepository()
#include "util/processrunner.h"

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

} // namespace GantryTest::ShipFixtures
