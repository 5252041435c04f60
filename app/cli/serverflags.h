// SPDX-License-Identifier: MIT
#pragma once

#include "ship/askpass.h"
#include "ship/deployer.h"
#include "ship/serverprofile.h"
#include "util/failure.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QList>
#include <QTextStream>

namespace Gantry::Cli {

using namespace Qt::StringLiterals;

/// The container's run settings on the command line: each one given replaces the profile's
/// for this run (a list flag replaces the whole list); `ship --restart` and `rollback` share them.
struct RunFlags
{
    QCommandLineOption name{u"name"_s, u"Container name (the profile's by default)."_s, u"NAME"_s};
    QCommandLineOption port{{u"p"_s, u"publish"_s}, u"Port mapping (docker run -p); repeat for several."_s, u"PORTS"_s};
    QCommandLineOption env{{u"e"_s, u"env"_s},
                           u"Environment variable KEY=VALUE, or KEY to take the value from this environment (never on the "
                           "server's command line); repeat for several."_s,
                           u"VAR"_s};
    QCommandLineOption secretEnv{u"secret-env"_s, u"A variable whose value is in the keychain (stored with --store-secret); repeat."_s,
                                 u"KEY"_s};
    QCommandLineOption volume{{u"v"_s, u"volume"_s}, u"Volume (docker run -v SOURCE:TARGET); repeat for several."_s, u"VOL"_s};
    QCommandLineOption network{u"network"_s, u"Docker network of the container."_s, u"NET"_s};
    QCommandLineOption restartPolicy{u"restart-policy"_s, u"docker run --restart (default unless-stopped)."_s, u"POLICY"_s};
    QCommandLineOption health{u"health"_s, u"The new container must answer this URL (2xx/3xx) before it replaces the old one."_s, u"URL"_s};
    QCommandLineOption healthOnServer{u"health-on-server"_s,
                                      u"Check health on the server (the image's HEALTHCHECK, else curl, wget or bash there) even when "
                                      "this machine reaches the URL."_s};
    QCommandLineOption healthFromHere{u"health-from-here"_s,
                                      u"Check the health URL only from this machine (by default Gantry checks on the server when "
                                      "this machine cannot reach the URL)."_s};
    QCommandLineOption healthTimeout{u"health-timeout"_s, u"Seconds the new container has to become healthy (default 60)."_s, u"S"_s};
    QCommandLineOption stopTimeout{u"stop-timeout"_s, u"Seconds docker stop waits for the old container (default 10)."_s, u"S"_s};
    QCommandLineOption keep{u"keep"_s, u"How many deployed images the server keeps for rollbacks (default 3)."_s, u"N"_s};
    QList<QCommandLineOption> all() const;
};

/// How to reach the server: shared by ship and rollback.
struct SshFlags
{
    QCommandLineOption to{u"to"_s, u"A server profile's name or USER@HOST[:PORT] (ship: repeat for several servers at once)."_s, u"SERVER"_s};
    QCommandLineOption identity{{u"i"_s, u"identity"_s}, u"Use this private key (IdentitiesOnly)."_s, u"FILE"_s};
    QCommandLineOption jump{u"jump"_s, u"Connect through this jump host (ProxyJump)."_s, u"HOST"_s};
    QCommandLineOption knownHosts{u"known-hosts"_s, u"Use this known_hosts file instead of ~/.ssh/known_hosts."_s, u"FILE"_s};
    QCommandLineOption remoteDir{u"remote-dir"_s, u"Gantry's folder on the server (default .gantry under the login's home)."_s, u"DIR"_s};
    QCommandLineOption remoteDocker{u"remote-docker"_s, u"How to call docker on the server, e.g. \"sudo -n docker\"."_s, u"CMD"_s};
    QCommandLineOption accept{u"accept-host-key"_s, u"Trust an unknown host key if its fingerprint is exactly FP (SHA256:...)."_s, u"FP"_s};
    QCommandLineOption batch{u"batch"_s, u"Never ask: unknown host keys and missing passwords are refused."_s};
    QCommandLineOption timeout{u"connect-timeout"_s, u"Seconds to wait for the server (default 10)."_s, u"S"_s, u"10"_s};
    QList<QCommandLineOption> all() const;
};

/// Applies the run flags that were given to server; each value is checked with the grammar the
/// server dialog uses (ship/runsettings.h). Failure: one sentence naming the flag.
Status applyRunFlags(const QCommandLineParser &parser, const RunFlags &flags, ServerProfile &server);
/// The profile named `to`, or USER@HOST[:PORT], with the ssh flags applied.
Result<ServerProfile> resolveServer(const QCommandLineParser &parser, const SshFlags &flags, const QString &to,
                                    const QList<ServerProfile> &profiles);
/// --store-secret KEY: reads the value from stdin (one line), keeps it in the keychain for the
/// profile `to` and adds KEY to its secret variables. Returns what to print.
Result<QString> storeSecretFromStdin(const QString &to, const QString &key);

/// Adds a deploy (or rollback) of server to the deploy history; a history that cannot be written
/// is reported on err but does not fail the command (the server is switched either way).
void recordDeploy(const ServerProfile &server, const QString &action, const DeployOutcome &outcome, qint64 bytesSent, QTextStream &err);
/// The deploy history of these servers (profile names or destinations; empty: all), newest first.
void printDeployHistory(const QStringList &servers, const QList<ServerProfile> &profiles, QTextStream &out);
/// "switched hello to app:latest (…answered HTTP 200); stop→start 412 ms on the server, stop→healthy 1310 ms".
QString describeSwitch(const DeployOutcome &outcome, const QString &container);

/// Asks on the terminal (never the command line, never a file): host keys and passwords.
AskpassReply askOnTerminal(const AskpassRequest &request, const QString &server);

} // namespace Gantry::Cli
