// SPDX-License-Identifier: MIT
#include "serverflags.h"

#include "util/terminaltext.h"

#include "buildrun/deployhistory.h"
#include "ship/deployplan.h"
#include "ship/deployrecord.h"
#include "ship/runsettings.h"
#include "ship/secretstore.h"

#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QProcessEnvironment>

#include <cstdio>
#include <tuple>
#include <termios.h>
#include <unistd.h>

namespace Gantry::Cli {

namespace {

QMutex &ttyMutex()
{
    static QMutex m;
    return m;
}

Failure flagFailure(const QString &cause, const QString &fix) { return Failure(ErrorClass::Other, cause, fix); }

/// A whole number of seconds (or images) in [low, high] from a flag.
Result<int> boundedNumber(const QString &value, const QString &flag, int low, int high)
{
    bool ok = false;
    const int n = value.toInt(&ok);
    if (!ok || n < low || n > high)
        return flagFailure(u"--%1 wants a whole number from %2 to %3, not '%4'"_s.arg(flag).arg(low).arg(high).arg(value.left(20)),
                           u"For example --%1 %2."_s.arg(flag).arg(qMax(low, 3)));
    return n;
}

/// -e KEY=VALUE stays; -e KEY takes the value from this process's environment.
Result<QStringList> resolveEnv(const QStringList &values)
{
    const QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QStringList out;
    for (const QString &v : values) {
        const QString key = envKey(v);
        if (key.isEmpty())
            return flagFailure(u"-e '%1' does not start with a variable name"_s.arg(v.section(u'=', 0, 0).left(40)),
                               u"Write -e KEY=VALUE, or -e KEY to pass KEY's value from this environment."_s);
        if (v.contains(u'=')) {
            out << v;
        } else if (environment.contains(key)) {
            out << key + u'=' + environment.value(key);
        } else {
            return flagFailure(u"-e %1 asks for %1's value from this environment, but it is not set"_s.arg(key),
                               u"Export %1 first, or write -e %1=VALUE."_s.arg(key));
        }
    }
    return out;
}

} // namespace

QList<QCommandLineOption> RunFlags::all() const
{
    return {name, port, env, secretEnv, volume, network, restartPolicy, health, healthOnServer, healthFromHere, healthTimeout, stopTimeout, keep};
}

QList<QCommandLineOption> SshFlags::all() const
{
    return {to, identity, jump, knownHosts, remoteDir, remoteDocker, accept, batch, timeout};
}

/// The values of a flag, each checked by the run settings' grammar; the failure names the flag.
static Result<QStringList> checkedValues(const QCommandLineParser &parser, const QCommandLineOption &option, Status (*check)(const QString &))
{
    const QStringList values = parser.values(option);
    for (const QString &v : values)
        if (const Status s = check(v); !s) {
            const QString flag = option.names().constFirst();
            return flagFailure((flag.size() == 1 ? u"-"_s : u"--"_s) + flag + u": "_s + s.failure().cause, s.failure().fix);
        }
    return values;
}

Status applyRunFlags(const QCommandLineParser &parser, const RunFlags &f, ServerProfile &server)
{
    using namespace RunSettings;
    const QList<std::tuple<const QCommandLineOption *, Status (*)(const QString &), QStringList *>> lists{
        {&f.port, checkPort, &server.ports}, {&f.secretEnv, checkSecretName, &server.secretEnv}, {&f.volume, checkVolume, &server.volumes}};
    for (const auto &[option, check, target] : lists) {
        if (!parser.isSet(*option))
            continue;
        const Result<QStringList> values = checkedValues(parser, *option, check);
        if (!values)
            return values.failure();
        *target = *values;
    }
    const QList<std::tuple<const QCommandLineOption *, Status (*)(const QString &), QString *>> singles{
        {&f.name, checkContainerName, &server.containerName}, {&f.network, checkNetwork, &server.network},
        {&f.restartPolicy, checkRestartPolicy, &server.restartPolicy}, {&f.health, checkHealthUrl, &server.healthUrl}};
    for (const auto &[option, check, target] : singles) {
        if (!parser.isSet(*option))
            continue;
        const Result<QStringList> values = checkedValues(parser, *option, check);
        if (!values)
            return values.failure();
        *target = values->constLast();
    }
    if (parser.isSet(f.env)) {
        const Result<QStringList> env = resolveEnv(parser.values(f.env));
        if (!env)
            return env.failure();
        for (const QString &e : *env)
            if (const Status s = checkEnv(e); !s)
                return flagFailure(u"-e: "_s + s.failure().cause, s.failure().fix);
        server.env = *env;
    }
    if (parser.isSet(f.healthOnServer) && parser.isSet(f.healthFromHere))
        return flagFailure(u"--health-on-server and --health-from-here contradict each other"_s, u"Give one of them."_s);
    if (parser.isSet(f.healthOnServer))
        server.healthWhere = HealthWhere::Server;
    if (parser.isSet(f.healthFromHere))
        server.healthWhere = HealthWhere::Here;
    const QList<std::tuple<const QCommandLineOption *, int *, int, int>> numbers{
        {&f.healthTimeout, &server.healthTimeoutSec, 1, 3600}, {&f.stopTimeout, &server.stopTimeoutSec, 0, 600}, {&f.keep, &server.keepImages, 1, 100}};
    for (const auto &[option, target, low, high] : numbers) {
        if (!parser.isSet(*option))
            continue;
        const Result<int> n = boundedNumber(parser.value(*option), option->names().constLast(), low, high);
        if (!n)
            return n.failure();
        *target = *n;
    }
    return {};
}

Result<ServerProfile> resolveServer(const QCommandLineParser &parser, const SshFlags &f, const QString &to,
                                    const QList<ServerProfile> &profiles)
{
    std::optional<ServerProfile> server = ServerProfiles::find(profiles, to);
    if (!server) {
        const Result<ServerProfile> destination = ServerProfile::fromDestination(to);
        if (!destination)
            return destination.failure();
        server = *destination;
    }
    if (parser.isSet(f.identity))
        server->identityFile = QFileInfo(parser.value(f.identity)).absoluteFilePath();
    if (parser.isSet(f.jump))
        server->jumpHost = parser.value(f.jump);
    if (parser.isSet(f.knownHosts))
        server->knownHostsFile = QFileInfo(parser.value(f.knownHosts)).absoluteFilePath();
    if (parser.isSet(f.remoteDir))
        server->remoteDir = parser.value(f.remoteDir);
    if (parser.isSet(f.remoteDocker))
        server->dockerCommand = parser.value(f.remoteDocker);
    return *server;
}

Result<QString> storeSecretFromStdin(const QString &to, const QString &key)
{
    QList<ServerProfile> profiles = ServerProfiles::load();
    qsizetype index = -1;
    for (qsizetype i = 0; i < profiles.size(); ++i)
        if (profiles.at(i).name == to)
            index = i;
    if (index < 0)
        return flagFailure(u"--store-secret needs a saved server profile, and '%1' is none"_s.arg(to),
                           u"Add the server on the Ship page first (gantry ship --list-servers shows them)."_s);
    if (envKey(key) != key)
        return flagFailure(u"'%1' is not a variable name"_s.arg(key.left(40)), u"Use letters, digits and _, e.g. DATABASE_URL."_s);
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return flagFailure(u"Standard input cannot be read"_s, u"Pipe the value in: printf %s \"$VALUE\" | gantry ship --store-secret KEY --to SERVER."_s);
    QByteArray value = in.readLine(1024 * 1024);
    while (value.endsWith('\n') || value.endsWith('\r'))
        value.chop(1);
    if (value.isEmpty())
        return flagFailure(u"No value for %1 arrived on standard input"_s.arg(key), u"Pipe the value in (one line)."_s);
    ServerProfile &profile = profiles[index];
    if (const Status stored = SecretStore::write(profile.containerEnvKey(key), QString::fromUtf8(value)); !stored)
        return stored.failure();
    if (!profile.secretEnv.contains(key)) {
        profile.secretEnv << key;
        ServerProfiles::save(profiles);
    }
    return u"%1 of %2 is in the keychain; the container gets it through a 0600 env file, never a command line."_s.arg(key, to);
}

void recordDeploy(const ServerProfile &server, const QString &action, const DeployOutcome &outcome, qint64 bytesSent, QTextStream &err)
{
    if (const Status recorded = Gantry::recordDeploy(server, action, outcome, bytesSent); !recorded)
        err << "gantry: " << recorded.failure().sentence() << '\n';
}

void printDeployHistory(const QStringList &servers, const QList<ServerProfile> &profiles, QTextStream &out)
{
    QStringList names;
    for (const QString &to : servers) {
        const std::optional<ServerProfile> p = ServerProfiles::find(profiles, to);
        names << (p ? p->displayName() : to);
    }
    DeployHistory history;
    QList<DeployRecord> records;
    if (names.isEmpty())
        records = history.recent({}, 100);
    for (const QString &name : names)
        records += history.recent(name, 100);
    if (records.isEmpty())
        out << "No deploys recorded yet.\n";
    for (const DeployRecord &r : records)
        out << r.time.toString(Qt::ISODate) << "  " << r.server << "  " << r.action << "  " << r.result << "  " << r.image << "  "
            << (r.imageId.isEmpty() ? u"-"_s : r.imageId.left(19)) << "  " << r.bytesSent << " bytes"
            << (r.switchMs >= 0 ? u"  switch %1 ms"_s.arg(r.switchMs) : QString()) << "  " << r.detail << '\n';
}

QString describeSwitch(const DeployOutcome &outcome, const QString &container)
{
    QString s = u"switched %1 to %2 (%3)"_s.arg(container, outcome.image, outcome.healthDetail);
    if (outcome.stopToStartMs >= 0)
        s += u"; stop→start %1 ms on the server"_s.arg(outcome.stopToStartMs);
    if (outcome.stopToHealthyMs >= 0)
        s += u", stop→healthy %1 ms"_s.arg(outcome.stopToHealthyMs);
    if (!outcome.pruned.isEmpty())
        s += u"; pruned %1 older image(s)"_s.arg(outcome.pruned.size());
    return s;
}

AskpassReply askOnTerminal(const AskpassRequest &request, const QString &server)
{
    QMutexLocker lock(&ttyMutex());
    QFile tty(u"/dev/tty"_s);
    if (!tty.open(QIODevice::ReadWrite | QIODevice::Unbuffered))
        return {};
    const int fd = tty.handle();
    if (request.kind == AskpassRequest::HostKey) {
        tty.write((u"\n%1\n[%2] Trust this host key (%3 %4)? Type yes or no: "_s
                       .arg(terminalSafe(request.prompt.section(u"Are you sure"_s, 0, 0).trimmed()), server, terminalSafe(request.keyType),
                            terminalSafe(request.fingerprint)))
                      .toUtf8());
        const QString answer = QString::fromUtf8(tty.readLine()).trimmed().toLower();
        return {true, answer == u"yes" ? u"yes"_s : u"no"_s};
    }
    // Echo off before the prompt shows: what is typed as soon as it appears is never echoed.
    termios old{};
    const bool haveTermios = tcgetattr(fd, &old) == 0;
    if (haveTermios) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(fd, TCSANOW, &quiet); // keep what was typed ahead
    }
    tty.write((u"[%1] %2"_s.arg(server, terminalSafe(request.prompt.trimmed())) + u' ').toUtf8());
    const QByteArray line = tty.readLine();
    if (haveTermios)
        tcsetattr(fd, TCSANOW, &old);
    tty.write("\n");
    if (line.isEmpty())
        return {};
    return {true, QString::fromUtf8(line).chopped(line.endsWith('\n') ? 1 : 0)};
}

} // namespace Gantry::Cli
