// SPDX-License-Identifier: MIT
#include "cli.h"
#include "serverflags.h"

#include "buildrun/deployhistory.h"

#include "util/terminaltext.h"

#include "interrupt.h"
#include "ship/deployrecord.h"
#include "ship/serverprofile.h"
#include "ship/shellquote.h"
#include "ship/shipper.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QThreadPool>
#include <QtConcurrentRun>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Gantry::Cli {

namespace {

QString eta(qint64 s)
{
    if (s < 0)
        return u"?"_s;
    return u"%1:%2"_s.arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

/// ship's own options, after the ssh and run flags it shares with rollback (the order --help lists them).
struct ShipFlags
{
    SshFlags ssh;
    RunFlags run;
    QCommandLineOption full{u"full"_s, u"Send the whole archive instead of only the missing layers."_s};
    QCommandLineOption noDeltas{u"no-deltas"_s, u"Send missing layers whole, never as zstd patches against earlier layers on the server."_s};
    QCommandLineOption restart{u"restart"_s, u"After loading, switch the container to the new image: the running one is stopped "
                                              "(not removed) until the new one is healthy, else it serves again."_s};
    QCommandLineOption rate{u"limit-rate"_s, u"Send at most KB kilobytes per second."_s, u"KB"_s};
    QCommandLineOption check{u"check"_s, u"Only test the connection: log in, check docker and the remote folder."_s};
    QCommandLineOption list{u"list-servers"_s, u"List the server profiles and exit."_s};
    QCommandLineOption history{u"history"_s, u"Show the deploy history (of the --to servers, else all) and exit."_s};
    QCommandLineOption storeSecret{u"store-secret"_s, u"Read KEY's value from standard input into the keychain for the profile "
                                                       "named by --to, and add KEY to its secret variables."_s,
                                   u"KEY"_s};
    QList<QCommandLineOption> all() const
    {
        return ssh.all() + run.all() + QList<QCommandLineOption>{full, noDeltas, restart, rate, check, list, history, storeSecret};
    }
};

void declareOptions(QCommandLineParser &parser, const ShipFlags &flags)
{
    parser.setApplicationDescription(u"Sends an image (from the engine, or a docker-archive file) to one or more servers over SSH "
                                     "and loads it there. By default only the layers a server lacks are sent (compressed, each "
                                     "verified); --full sends the whole archive (resumable, verified by sha256)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"IMAGE"_s, u"An image in the engine (name:tag) or a docker-archive file."_s);
    for (const auto &o : flags.all())
        parser.addOption(o);
}

/// --list-servers, --history and --store-secret: done at once, with their exit code; none of
/// them given: nullopt (the command ships).
std::optional<int> runListing(const QCommandLineParser &parser, const ShipFlags &flags, const QList<ServerProfile> &profiles, Io io)
{
    if (parser.isSet(flags.list)) {
        if (profiles.isEmpty())
            io.out << "No server profiles yet: add one on the Ship page, or use --to USER@HOST[:PORT].\n";
        for (const ServerProfile &p : profiles)
            io.out << p.name << "  " << p.destination() << ':' << p.port << "  " << p.remoteDir << '\n';
        return Ok;
    }
    if (parser.isSet(flags.history)) {
        printDeployHistory(parser.values(flags.ssh.to), profiles, io.out);
        return Ok;
    }
    if (parser.isSet(flags.storeSecret)) {
        const Result<QString> stored = storeSecretFromStdin(parser.value(flags.ssh.to), parser.value(flags.storeSecret));
        (stored ? io.out : io.err) << (stored ? *stored : u"gantry ship: "_s + stored.failure().sentence()) << '\n';
        return stored ? Ok : Failure;
    }
    return std::nullopt;
}

/// What `gantry ship` was asked to do.
struct ShipRequest
{
    QString source;               ///< the image or archive; empty with --check
    QList<ServerProfile> servers; ///< each --to, resolved, with the run flags applied
    ShipOptions options;
    bool check = false;           ///< --check: only test the connections
    bool interactive = false;     ///< host keys and passwords may be asked on the terminal
};


/// Each --to as a server profile with the ssh and run flags applied, checked.
Result<QList<ServerProfile>> requestedServers(const QCommandLineParser &parser, const ShipFlags &flags, const QList<ServerProfile> &profiles)
{
    QList<ServerProfile> servers;
    for (const QString &to : parser.values(flags.ssh.to)) {
        Result<ServerProfile> server = resolveServer(parser, flags.ssh, to, profiles);
        if (!server)
            return usageError(server.failure().sentence());
        if (const Status applied = applyRunFlags(parser, flags.run, *server); !applied)
            return usageError(applied.failure().sentence());
        const QStringList problems = server->validate();
        if (!problems.isEmpty())
            return usageError(server->displayName() + u": "_s + problems.constFirst());
        servers << *server;
    }
    return servers;
}

/// The ship's options from the flags; --restart needs every server's container name.
Result<ShipOptions> shipOptions(const QCommandLineParser &parser, const ShipFlags &flags, const QList<ServerProfile> &servers)
{
    ShipOptions options;
    options.mode = parser.isSet(flags.full) ? ShipMode::Full : ShipMode::Delta;
    options.restart = parser.isSet(flags.restart);
    options.deltas = !parser.isSet(flags.noDeltas);
    if (options.restart)
        for (const ServerProfile &s : servers)
            if (s.containerName.isEmpty())
                return usageError(u"--restart needs a container name for "_s + s.displayName() + u": pass --name NAME or set it in the profile."_s);
    if (parser.isSet(flags.rate)) {
        bool ok = false;
        const qint64 kb = parser.value(flags.rate).toLongLong(&ok);
        if (!ok || kb <= 0)
            return usageError(u"--limit-rate wants a positive number of kilobytes per second."_s);
        options.bytesPerSecond = kb * 1000;
    }
    options.ssh.connectTimeoutSec = qMax(1, parser.value(flags.ssh.timeout).toInt());
    options.ssh.acceptFingerprint = parser.value(flags.ssh.accept);
    return options;
}

/// The parsed command line as a request; a failure is a usage error.
Result<ShipRequest> shipRequest(const QCommandLineParser &parser, const ShipFlags &flags, const QList<ServerProfile> &profiles)
{
    ShipRequest request;
    request.check = parser.isSet(flags.check);
    if (!request.check && parser.positionalArguments().size() != 1)
        return usageError(u"name exactly one image or archive, e.g. 'gantry ship hello-backend:latest --to prod'."_s);
    if (parser.values(flags.ssh.to).isEmpty())
        return usageError(u"say where to ship with --to PROFILE or --to USER@HOST[:PORT]."_s);
    const Result<QList<ServerProfile>> servers = requestedServers(parser, flags, profiles);
    if (!servers)
        return servers.failure();
    request.servers = *servers;
    const Result<ShipOptions> options = shipOptions(parser, flags, request.servers);
    if (!options)
        return options.failure();
    request.options = *options;
    if (!request.check)
        request.source = parser.positionalArguments().constFirst();
    request.interactive = !parser.isSet(flags.ssh.batch) && isatty(STDIN_FILENO);
    return request;
}

/// The ssh options for one server: asking on the terminal when the request is interactive.
SshOptions sshFor(const ShipRequest &request, const ServerProfile &server)
{
    SshOptions ssh = request.options.ssh;
    if (request.interactive)
        ssh.responder = [name = server.displayName()](const AskpassRequest &r) { return askOnTerminal(r, name); };
    return ssh;
}

/// --check: logs in to each server; exit 1 when one fails.
int checkServers(const ShipRequest &request, const std::atomic_bool *cancel, Io io)
{
    int failures = 0;
    for (const ServerProfile &server : request.servers) {
        const Result<QString> checked = checkServer(server, sshFor(request, server), cancel);
        const QString message = checked ? *checked : checked.failure().sentence();
        (checked ? io.out : io.err) << (checked ? "" : "gantry ship: ") << terminalSafe(message, false) << '\n';
        failures += checked ? 0 : 1;
    }
    return failures ? Failure : Ok;
}

/// Progress lines from every server's thread, one whole line at a time, on standard error.
class ProgressLog
{
public:
    explicit ProgressLog(QTextStream &err) : m_err(err) {}
    void say(const QString &line)
    {
        QMutexLocker lock(&m_mutex);
        m_err << terminalSafe(line, false) << '\n' << Qt::flush;
    }

private:
    QMutex m_mutex;
    QTextStream &m_err;
};

/// What one server's progress printer remembers between two reports.
struct ServerProgress
{
    QString tag;                                    ///< "[server] "
    QElapsedTimer lastRate;                         ///< when the last "uploading" line was printed
    ShipProgress::Phase lastPhase = ShipProgress::Preparing;
    QList<LayerShipState::State> lastStates;        ///< each layer's state at the last report
};

/// One line per layer whose state changed since the last report (pending ones are not shown).
void sayLayerChanges(ServerProgress &state, const ShipProgress &p, ProgressLog &log)
{
    for (int i = 0; i < p.layers.size(); ++i) {
        const auto layerState = p.layers.at(i).state;
        if (i < state.lastStates.size() && state.lastStates.at(i) == layerState)
            continue;
        if (layerState != LayerShipState::Pending)
            log.say(state.tag + u"layer %1/%2 %3 (%4): %5"_s.arg(i + 1)
                                    .arg(p.layers.size())
                                    .arg(p.layers.at(i).diffId.mid(7, 12), formatBytes(p.layers.at(i).compressedSize),
                                         p.layers.at(i).describe()));
    }
    state.lastStates.clear();
    for (const auto &l : p.layers)
        state.lastStates << l.state;
}

/// A server's progress: its layers' changes, each message, and while uploading the rate at
/// most twice a second.
void sayProgress(ServerProgress &state, const ShipProgress &p, ProgressLog &log)
{
    sayLayerChanges(state, p, log);
    if (p.phase != state.lastPhase || p.phase != ShipProgress::Uploading) {
        state.lastPhase = p.phase;
        log.say(state.tag + p.message);
        return;
    }
    if (state.lastRate.isValid() && state.lastRate.elapsed() < 500)
        return;
    state.lastRate.start();
    const int percent = p.toSend > 0 ? int(p.sent * 100 / p.toSend) : 100;
    log.say(state.tag + u"uploading %1%  %2 of %3  %4/s  ETA %5"_s.arg(percent)
                            .arg(formatBytes(p.sent), formatBytes(p.toSend), formatBytes(qint64(p.bytesPerSecond)), eta(p.etaSeconds)));
}

/// Ships the image to one server (on a worker thread), printing its progress.
ShipResult shipToServer(const PreparedImage &image, const ServerProfile &server, const ShipRequest &request, ProgressLog &log,
                        const std::atomic_bool *cancel)
{
    ShipOptions options = request.options;
    options.ssh = sshFor(request, server);
    ServerProgress state;
    state.tag = u"["_s + server.displayName() + u"] "_s;
    return shipImage(image, server, options, [&](const ShipProgress &p) { sayProgress(state, p, log); }, cancel);
}

/// A server that was to switch containers gets a deploy record, also when the ship failed before
/// the switchover (not when it was cancelled).
void recordShipDeploy(const ShipRequest &request, const ServerProfile &server, const ShipResult &r, const PreparedImage &image,
                      QTextStream &err)
{
    const bool switchover = request.options.restart || server.afterLoad == ServerProfile::AfterLoad::Restart;
    if (const std::optional<DeployOutcome> outcome = shipDeployOutcome(r, switchover, image.runRef))
        recordDeploy(server, u"deploy"_s, *outcome, r.bytesSent, err);
}

/// Why a server did not get the image, and how much was sent before.
void printShipFailure(const ShipResult &r, QTextStream &err)
{
    err << "gantry ship: " << r.server << ": " << terminalSafe(r.error(), false) << '\n';
    if (r.bytesSent > 0)
        err << "gantry ship: " << r.server << ": " << r.bytesSent << " bytes were sent before it stopped.\n";
}

/// What a server loaded: the summary, notes, the remote output, the bytes and the switch.
void printShipped(const ShipResult &r, const PreparedImage &image, const ServerProfile &server, QTextStream &out)
{
    out << r.server << ": loaded " << (r.loadedImage.isEmpty() ? image.runRef : r.loadedImage) << "; " << r.summary() << '\n';
    for (const QString &note : r.notes)
        out << r.server << ": " << note << '\n';
    if (!r.remoteOutput.trimmed().isEmpty())
        for (const QString &line : r.remoteOutput.trimmed().split(u'\n'))
            out << r.server << ": remote: " << terminalSafe(line, false) << '\n';
    out << r.server << ": sent " << r.bytesSent << " bytes, saved " << r.bytesSaved() << " bytes";
    if (r.uploadMs > 0)
        out << ", uploaded in " << r.uploadMs << " ms (" << formatBytes(r.bytesSent * 1000 / qMax<qint64>(1, r.uploadMs)) << "/s)";
    if (r.resumedFrom > 0)
        out << ", resumed at " << r.resumedFrom << " bytes";
    if (r.resent > 0)
        out << ", re-sent " << r.resent << " damaged upload(s)";
    out << '\n';
    if (r.deploy.ok())
        out << r.server << ": " << describeSwitch(r.deploy, server.containerName) << '\n';
}

/// Prepares the image once, ships it to every server at once, then prints each outcome in the
/// order of --to.
int shipToServers(const ShipRequest &request, const std::atomic_bool *cancel, Io io)
{
    ProgressLog log(io.err);
    const auto prepared = prepareImage(request.source, request.options, [&](const ShipProgress &p) { log.say(p.message); }, cancel);
    if (!prepared) {
        io.err << "gantry ship: " << prepared.failure().sentence() << '\n';
        return cancel->load() ? Cancelled : Failure;
    }
    const std::shared_ptr<const PreparedImage> image = *prepared;

    QThreadPool pool;
    pool.setMaxThreadCount(int(request.servers.size()));
    QList<QFuture<ShipResult>> futures;
    for (const ServerProfile &server : request.servers)
        futures << QtConcurrent::run(&pool, [&, server] { return shipToServer(*image, server, request, log, cancel); });
    int failures = 0;
    bool cancelled = false;
    for (int i = 0; i < futures.size(); ++i) {
        const ShipResult r = futures[i].result();
        recordShipDeploy(request, request.servers.at(i), r, *image, io.err);
        if (!r.ok()) {
            ++failures;
            cancelled = cancelled || r.cancelled();
            printShipFailure(r, io.err);
            continue;
        }
        printShipped(r, *image, request.servers.at(i), io.out);
    }
    if (cancelled)
        return Cancelled;
    return failures ? Failure : Ok;
}

} // namespace

int ship(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    const ShipFlags flags;
    declareOptions(parser, flags);
    if (const std::optional<int> over = parseArguments(parser, arguments, u"ship"_s, io))
        return *over;
    const QList<ServerProfile> profiles = ServerProfiles::load();
    if (const std::optional<int> listed = runListing(parser, flags, profiles, io))
        return *listed;
    const Result<ShipRequest> request = shipRequest(parser, flags, profiles);
    if (!request)
        return refuse(request.failure(), u"ship"_s, io);
    const Interrupt interrupt;  // Ctrl-C once: stop and clean up; twice: exit at once
    if (request->check)
        return checkServers(*request, interrupt.flag(), io);
    return shipToServers(*request, interrupt.flag(), io);
}

} // namespace Gantry::Cli
