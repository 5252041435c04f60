// SPDX-License-Identifier: MIT
#include "deployrecord.h"

using namespace Qt::StringLiterals;

namespace Gantry {

DeployRecord deployRecordOf(const ServerProfile &server, const QString &action, const DeployOutcome &outcome, qint64 bytesSent)
{
    DeployRecord record;
    record.time = QDateTime::currentDateTimeUtc();
    record.server = server.displayName();
    record.container = server.containerName;
    record.action = action;
    record.image = outcome.image;
    record.imageId = outcome.imageId;
    record.bytesSent = bytesSent;
    record.result = DeployOutcome::resultName(outcome.result == DeployOutcome::NotRun ? DeployOutcome::Failed : outcome.result);
    record.detail = outcome.ok() ? outcome.healthDetail : outcome.failure.sentence();
    record.switchMs = outcome.stopToHealthyMs;
    return record;
}

std::optional<DeployOutcome> shipDeployOutcome(const ShipResult &ship, bool switchover, const QString &image)
{
    if (!switchover || ship.cancelled())
        return std::nullopt;
    DeployOutcome outcome = ship.deploy;
    if (outcome.result == DeployOutcome::NotRun) { // the ship failed before the switchover
        outcome.image = image;
        outcome.failure = ship.failure.value_or(Failure(ErrorClass::None, {}));
    }
    return outcome;
}

Status recordDeploy(const ServerProfile &server, const QString &action, const DeployOutcome &outcome, qint64 bytesSent, const QString &dbPath)
{
    DeployHistory history(dbPath);
    if (const Result<qint64> id = history.add(deployRecordOf(server, action, outcome, bytesSent)); !id)
        return id.failure();
    return {};
}

} // namespace Gantry
