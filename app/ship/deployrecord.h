// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/deployhistory.h"
#include "deployer.h"
#include "serverprofile.h"

namespace Gantry {

/// The history row of a switchover (or of a ship with --restart that failed before it).
DeployRecord deployRecordOf(const ServerProfile &server, const QString &action, const DeployOutcome &outcome, qint64 bytesSent);
/// Appends it to the deploy history (dbPath empty: the build history's file).
Status recordDeploy(const ServerProfile &server, const QString &action, const DeployOutcome &outcome, qint64 bytesSent,
                    const QString &dbPath = {});

} // namespace Gantry
