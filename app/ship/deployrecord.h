// SPDX-License-Identifier: MIT
#pragma once

#include "buildrun/deployhistory.h"
#include "deployer.h"
#include "serverprofile.h"
#include "shipper.h"

#include <optional>

namespace Gantry {

/// The history row of a switchover (or of a ship with --restart that failed before it).
DeployRecord deployRecordOf(const ServerProfile &server, const QString &action, const DeployOutcome &outcome, qint64 bytesSent);
/// What a ship adds to the deploy history: nothing when it was not to switch containers
/// (switchover false) or was cancelled; else the switchover's outcome, or — when the ship
/// failed before the switchover — a failed deploy of image with the ship's failure.
std::optional<DeployOutcome> shipDeployOutcome(const ShipResult &ship, bool switchover, const QString &image);
/// Appends it to the deploy history (dbPath empty: the build history's file).
Status recordDeploy(const ServerProfile &server, const QString &action, const DeployOutcome &outcome, qint64 bytesSent,
                    const QString &dbPath = {});

} // namespace Gantry
