// SPDX-License-Identifier: MIT
#pragma once

#include "deployplan.h"
#include "serverprofile.h"
#include "sshconnection.h"
#include "util/failure.h"

#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace Gantry {

/// How a switchover ended (deployer.cpp runs a DeployPlan on a server).
struct DeployOutcome
{
    enum Result { NotRun, Healthy, RolledBack, Failed };
    Result result = NotRun;
    Failure failure;           ///< RolledBack / Failed: what happened and what to do
    QString image;             ///< what was started
    QString imageId;           ///< sha256:... of the image that serves now (Healthy)
    QString healthDetail;      ///< "http://…/api/health answered HTTP 200"
    qint64 stopToStartMs = -1; ///< the server's clock: docker stop began → the new container started
    qint64 stopToHealthyMs = -1; ///< the switch as seen from here: stop began → the new one was healthy
    QStringList logTail;       ///< the failed container's last log lines
    QStringList pruned;        ///< kept tags removed from the server
    bool ok() const { return result == Healthy; }
    static QString resultName(Result result); ///< "healthy", "rolled back", "failed"
};

using SayFn = std::function<void(const QString &)>;

/// Reads the values of profile.secretEnv from the keychain (blocking: worker threads, CLI).
Result<QMap<QString, QString>> readContainerSecrets(const ServerProfile &profile);

/// Runs plan over ssh: begin, wait for health (from here or on the server), then commit — or,
/// when the new container exits, restarts, fails its check or the time limit passes, roll back
/// to the previous container and check that it is healthy again. Blocking.
DeployOutcome runSwitchover(SshConnection &ssh, const DeployPlan &plan, const SayFn &say, const std::atomic_bool *cancel);

/// `gantry rollback` / Roll Back: connects, picks the version before the current one among the
/// images Gantry kept on the server and switches to it (health-gated the same way). Blocking.
DeployOutcome rollbackServer(const ServerProfile &profile, const SshOptions &options, const SayFn &say, const std::atomic_bool *cancel);

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::DeployOutcome)
