// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/buildhistory.h"
#include "util/failure.h"

#include <QString>

namespace Gantry {

/// The image a project's last successful build made, and whether the engine still holds it.
struct LastImage
{
    enum class State { NeverBuilt, InEngine, Gone };
    State state = State::NeverBuilt;
    BuildRecord record;   ///< the newest succeeded build of the project (when not NeverBuilt)
    QString imageRef;     ///< what to inspect and ship: the tag, else the image id
    QString imageId;      ///< as the engine reports it now (InEngine)
};

/// The newest succeeded build of projectRoot in the history (empty historyPath: the
/// default one); none when the project was never built successfully. Pure: no docker.
std::optional<BuildRecord> lastSucceededBuild(const QString &projectRoot, const QString &historyPath = {});

/// lastSucceededBuild(), then `docker image inspect` of its tag (or id). Blocks: run it
/// on a worker thread. A Failure only when docker itself cannot answer (engine down).
Result<LastImage> findLastImage(const QString &projectRoot, const QString &historyPath = {});

} // namespace Gantry
