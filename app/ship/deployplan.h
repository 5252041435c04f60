// SPDX-License-Identifier: MIT
#pragma once

#include "serverprofile.h"
#include "util/failure.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace Gantry {

/// A health-gated switchover of one container on a server, as plain values: what to run,
/// how to tell healthy from failed. Made by planDeploy() (pure, no ssh, no docker); the
/// scripts below are what deployer.cpp sends over ssh, one step each:
///   begin    — removes a leftover "-gantry-next" container, stops (not removes) the running
///              one, writes the env file from stdin into a 0600 file, starts the new
///              container under the temporary name, removes the env file. A `docker run`
///              that fails starts the previous container again before it exits.
///   probe    — the state of a container (status, exit code, restarts, HEALTHCHECK) and,
///              for a check on the server (or to find out whether one is needed), one
///              HTTP probe with curl, wget or bash's /dev/tcp (TCP only for https).
///   commit   — the new container is healthy: removes the old one, renames the new one,
///              tags its image into the keep repository and prunes it to the last N.
///   rollback — the new container failed: its last log lines, removes it, starts the
///              previous one again.
struct DeployPlan
{
    QString container;         ///< the profile's container name
    QString next;              ///< the temporary name of the new container
    QString image;             ///< what `docker run` starts (a tag, an id, or a kept tag)
    QString keepRepo;          ///< gantry-keep/<container>: the images Gantry deployed here
    QStringList runArgs;       ///< docker run options (ports, volumes, network, restart), unquoted
    QByteArray envFile;        ///< KEY=VALUE lines: sent over ssh's stdin, never on a command line
    QString healthUrl;         ///< empty: no URL (HEALTHCHECK or "keeps running" decides)
    RunSettings::HealthWhere healthWhere = RunSettings::HealthWhere::Auto; ///< the profile's choice
    bool healthOnServer = false; ///< probe the URL on the server (curl, wget or bash) instead of from here
    /// Auto found the URL unreachable from here and switched to the server: there the image's
    /// HEALTHCHECK decides when it has one, else the URL probed on the server.
    bool switchedToServer = false;
    int healthTimeoutSec = 60;
    int stopTimeoutSec = 10;
    int stableSec = 5;         ///< no URL and no HEALTHCHECK: running this long without a restart
    int keepImages = 3;
    bool rollback = false;     ///< going back to a kept image (the commit untags the current one)
    QString remoteDir, dockerCommand;
};

/// The container settings of profile (with CLI overrides already applied) and the values
/// of its secret variables (read from the keychain) as a plan to start image.
Result<DeployPlan> planDeploy(const ServerProfile &profile, const QString &image, const QMap<QString, QString> &secretValues);

/// A KEY=VALUE (or KEY) entry's key when it is a valid environment variable name; empty if not.
QString envKey(const QString &entry);
/// "gantry-keep/<name>" with the container name lowered and cleaned into a repository name.
QString keepRepository(const QString &containerName);

QString beginScript(const DeployPlan &plan);
QString probeScript(const DeployPlan &plan, const QString &containerName);
/// fromImage: the image id the replaced container ran (begin's "old" line), for a rollback's untag.
QString commitScript(const DeployPlan &plan, const QString &fromImage);
/// restartPrevious: the previous container was running before begin stopped it.
QString rollbackScript(const DeployPlan &plan, bool restartPrevious);
/// Lists the kept images ("kept TAG ID" lines) and the running container's image ("current ID").
QString keptImagesScript(const DeployPlan &plan);

/// What begin printed.
struct BeginReport
{
    bool oldExists = false;
    bool oldRunning = false;
    QString oldImage;          ///< sha256:...
    qint64 stopAtNs = -1, stoppedAtNs = -1, startedAtNs = -1; ///< the server's clock
    QString newId;
    qint64 stopToStartMs() const { return stopAtNs > 0 && startedAtNs >= stopAtNs ? (startedAtNs - stopAtNs) / 1000000 : -1; }
};
BeginReport parseBegin(const QString &stdoutText);

/// One probe's answer.
struct ProbeState
{
    QString status;            ///< created, running, restarting, exited, dead, gone
    int exitCode = 0;
    int restarts = 0;
    QString health;            ///< none, starting, healthy, unhealthy
    int httpStatus = -1;       ///< the server-side probe: -1 none made, 0 no answer
    int tcp = -1;              ///< the server-side TCP probe (bash, https URL): -1 none, 0 refused, 1 open
    bool probeUnavailable = false; ///< neither curl, wget nor bash on the server
    /// The server's probe got an answer (any HTTP status, an open port, a settled HEALTHCHECK).
    bool serverAnswered() const { return httpStatus > 0 || tcp == 1 || health == u"healthy" || health == u"unhealthy"; }
};
ProbeState parseProbe(const QString &stdoutText);

/// The HTTP check made from this machine: status 0 = no answer (error says why); -1 = none made.
struct LocalCheck
{
    int status = -1;
    QString error;
};

struct Verdict
{
    enum Kind { Wait, Healthy, Failed } kind = Wait;
    QString why;               ///< "exited with code 3", "answered HTTP 500", ...
};
/// Judges one probe of the new container, elapsedMs after it started, with runningSinceMs how
/// long it has been seen running without a restart.
Verdict judge(const DeployPlan &plan, const ProbeState &probe, const LocalCheck &local, qint64 elapsedMs, qint64 runningForMs);

/// A kept image: its tag in the keep repository (sortable by time) and its id.
struct KeptImage
{
    QString tag;
    QString id;
};
struct KeptImages
{
    QList<KeptImage> images;   ///< oldest first
    QString current;           ///< the image id the container runs now; empty: none
};
KeptImages parseKeptImages(const QString &stdoutText);
/// The version before the current one: the kept image just older than the current one's newest
/// tag (or the newest kept image when the current one is not kept). Failure when there is none.
Result<KeptImage> rollbackTarget(const KeptImages &kept, const QString &serverName);

} // namespace Gantry
