// SPDX-License-Identifier: MIT
#include "cli.h"
#include "serverflags.h"

#include "buildrun/deployhistory.h"

#include "util/terminaltext.h"

#include "interrupt.h"
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

} // namespace

int ship(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Sends an image (from the engine, or a docker-archive file) to one or more servers over SSH "
                                     "and loads it there. By default only the layers a server lacks are sent (compressed, each "
                                     "verified); --full sends the whole archive (resumable, verified by sha256)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"IMAGE"_s, u"An image in the engine (name:tag) or a docker-archive file."_s);
    const SshFlags sshFlags;
    const RunFlags runFlags;
    const QCommandLineOption &toOpt = sshFlags.to;
    const QCommandLineOption fullOpt(u"full"_s, u"Send the whole archive instead of only the missing layers."_s);
    const QCommandLineOption noDeltasOpt(u"no-deltas"_s, u"Send missing layers whole, never as zstd patches against earlier layers on the server."_s);
    const QCommandLineOption restartOpt(u"restart"_s, u"After loading, switch the container to the new image: the running one is stopped "
                                                       "(not removed) until the new one is healthy, else it serves again."_s);
    const QCommandLineOption rateOpt(u"limit-rate"_s, u"Send at most KB kilobytes per second."_s, u"KB"_s);
    const QCommandLineOption checkOpt(u"check"_s, u"Only test the connection: log in, check docker and the remote folder."_s);
    const QCommandLineOption listOpt(u"list-servers"_s, u"List the server profiles and exit."_s);
    const QCommandLineOption historyOpt(u"history"_s, u"Show the deploy history (of the --to servers, else all) and exit."_s);
    const QCommandLineOption storeSecretOpt(u"store-secret"_s, u"Read KEY's value from standard input into the keychain for the profile "
                                                                "named by --to, and add KEY to its secret variables."_s,
                                            u"KEY"_s);
    for (const auto &o : sshFlags.all() + runFlags.all() + QList<QCommandLineOption>{fullOpt, noDeltasOpt, restartOpt, rateOpt, checkOpt, listOpt, historyOpt, storeSecretOpt})
        parser.addOption(o);
    if (!parser.parse(arguments)) {
        io.err << "gantry ship: " << parser.errorText() << '\n';
        return UsageError;
    }
    if (parser.isSet(u"help"_s)) {
        io.out << parser.helpText();
        return Ok;
    }
    const QList<ServerProfile> profiles = ServerProfiles::load();
    if (parser.isSet(listOpt)) {
        if (profiles.isEmpty())
            io.out << "No server profiles yet: add one on the Ship page, or use --to USER@HOST[:PORT].\n";
        for (const ServerProfile &p : profiles)
            io.out << p.name << "  " << p.destination() << ':' << p.port << "  " << p.remoteDir << '\n';
        return Ok;
    }
    if (parser.isSet(historyOpt)) {
        printDeployHistory(parser.values(toOpt), profiles, io.out);
        return Ok;
    }
    if (parser.isSet(storeSecretOpt)) {
        const Result<QString> stored = storeSecretFromStdin(parser.value(toOpt), parser.value(storeSecretOpt));
        (stored ? io.out : io.err) << (stored ? *stored : u"gantry ship: "_s + stored.failure().sentence()) << '\n';
        return stored ? Ok : Failure;
    }
    const bool check = parser.isSet(checkOpt);
    if (!check && parser.positionalArguments().size() != 1) {
        io.err << "gantry ship: name exactly one image or archive, e.g. 'gantry ship hello-backend:latest --to prod'.\n";
        return UsageError;
    }
    if (parser.values(toOpt).isEmpty()) {
        io.err << "gantry ship: say where to ship with --to PROFILE or --to USER@HOST[:PORT].\n";
        return UsageError;
    }
    QList<ServerProfile> servers;
    for (const QString &to : parser.values(toOpt)) {
        Result<ServerProfile> server = resolveServer(parser, sshFlags, to, profiles);
        if (!server) {
            io.err << "gantry ship: " << server.failure().sentence() << '\n';
            return UsageError;
        }
        if (const Status applied = applyRunFlags(parser, runFlags, *server); !applied) {
            io.err << "gantry ship: " << applied.failure().sentence() << '\n';
            return UsageError;
        }
        const QStringList problems = server->validate();
        if (!problems.isEmpty()) {
            io.err << "gantry ship: " << server->displayName() << ": " << problems.constFirst() << '\n';
            return UsageError;
        }
        servers << *server;
    }

    ShipOptions options;
    options.mode = parser.isSet(fullOpt) ? ShipMode::Full : ShipMode::Delta;
    options.restart = parser.isSet(restartOpt);
    options.deltas = !parser.isSet(noDeltasOpt);
    if (options.restart)
        for (const ServerProfile &s : servers)
            if (s.containerName.isEmpty()) {
                io.err << "gantry ship: --restart needs a container name for " << s.displayName() << ": pass --name NAME or set it in the profile.\n";
                return UsageError;
            }
    if (parser.isSet(rateOpt)) {
        bool ok = false;
        const qint64 kb = parser.value(rateOpt).toLongLong(&ok);
        if (!ok || kb <= 0) {
            io.err << "gantry ship: --limit-rate wants a positive number of kilobytes per second.\n";
            return UsageError;
        }
        options.bytesPerSecond = kb * 1000;
    }
    options.ssh.connectTimeoutSec = qMax(1, parser.value(sshFlags.timeout).toInt());
    options.ssh.acceptFingerprint = parser.value(sshFlags.accept);
    const bool interactive = !parser.isSet(sshFlags.batch) && isatty(STDIN_FILENO);

    const Interrupt interrupt;  // Ctrl-C once: stop and clean up; twice: exit at once
    const std::atomic_bool *cancel = interrupt.flag();
    QMutex outMutex;
    const auto say = [&](const QString &line) {
        QMutexLocker lock(&outMutex);
        io.err << terminalSafe(line, false) << '\n' << Qt::flush;
    };

    if (check) {
        int failures = 0;
        for (const ServerProfile &server : servers) {
            SshOptions ssh = options.ssh;
            if (interactive)
                ssh.responder = [name = server.displayName()](const AskpassRequest &r) { return askOnTerminal(r, name); };
            const Result<QString> checked = checkServer(server, ssh, cancel);
            const QString message = checked ? *checked : checked.failure().sentence();
            (checked ? io.out : io.err) << (checked ? "" : "gantry ship: ") << terminalSafe(message, false) << '\n';
            failures += checked ? 0 : 1;
        }
        return failures ? Failure : Ok;
    }

    const QString source = parser.positionalArguments().constFirst();
    const auto prepared = prepareImage(source, options, [&](const ShipProgress &p) { say(p.message); }, cancel);
    if (!prepared) {
        io.err << "gantry ship: " << prepared.failure().sentence() << '\n';
        return cancel->load() ? Cancelled : Failure;
    }
    const std::shared_ptr<const PreparedImage> image = *prepared;

    QThreadPool pool;
    pool.setMaxThreadCount(int(servers.size()));
    QList<QFuture<ShipResult>> futures;
    for (const ServerProfile &server : servers) {
        futures << QtConcurrent::run(&pool, [&, server] {
            const QString tag = u"["_s + server.displayName() + u"] "_s;
            ShipOptions opts = options;
            if (interactive)
                opts.ssh.responder = [name = server.displayName()](const AskpassRequest &r) { return askOnTerminal(r, name); };
            QElapsedTimer last;
            ShipProgress::Phase lastPhase = ShipProgress::Preparing;
            QList<LayerShipState::State> lastStates;
            return shipImage(*image, server, opts, [&](const ShipProgress &p) {
                for (int i = 0; i < p.layers.size(); ++i) {
                    const auto state = p.layers.at(i).state;
                    if (i < lastStates.size() && lastStates.at(i) == state)
                        continue;
                    if (state != LayerShipState::Pending)
                        say(tag + u"layer %1/%2 %3 (%4): %5"_s.arg(i + 1)
                                      .arg(p.layers.size())
                                      .arg(p.layers.at(i).diffId.mid(7, 12), formatBytes(p.layers.at(i).compressedSize),
                                           p.layers.at(i).describe()));
                }
                lastStates.clear();
                for (const auto &l : p.layers)
                    lastStates << l.state;
                if (p.phase != lastPhase || p.phase != ShipProgress::Uploading) {
                    lastPhase = p.phase;
                    say(tag + p.message);
                    return;
                }
                if (last.isValid() && last.elapsed() < 500)
                    return;
                last.start();
                const int percent = p.toSend > 0 ? int(p.sent * 100 / p.toSend) : 100;
                say(tag + u"uploading %1%  %2 of %3  %4/s  ETA %5"_s.arg(percent)
                              .arg(formatBytes(p.sent), formatBytes(p.toSend), formatBytes(qint64(p.bytesPerSecond)), eta(p.etaSeconds)));
            }, cancel);
        });
    }
    int failures = 0;
    bool cancelled = false;
    for (int i = 0; i < futures.size(); ++i) {
        const ShipResult r = futures[i].result();
        const bool deployed = options.restart || servers.at(i).afterLoad == ServerProfile::AfterLoad::Restart;
        if (deployed && !r.cancelled()) {
            DeployOutcome outcome = r.deploy;
            if (outcome.result == DeployOutcome::NotRun) { // the ship failed before the switchover
                outcome.image = image->runRef;
                outcome.failure = r.failure.value_or(Gantry::Failure(ErrorClass::None, {}));
            }
            recordDeploy(servers.at(i), u"deploy"_s, outcome, r.bytesSent, io.err);
        }
        if (!r.ok()) {
            ++failures;
            cancelled = cancelled || r.cancelled();
            io.err << "gantry ship: " << r.server << ": " << terminalSafe(r.error(), false) << '\n';
            if (r.bytesSent > 0)
                io.err << "gantry ship: " << r.server << ": " << r.bytesSent << " bytes were sent before it stopped.\n";
            continue;
        }
        io.out << r.server << ": loaded " << (r.loadedImage.isEmpty() ? image->runRef : r.loadedImage) << "; " << r.summary() << '\n';
        for (const QString &note : r.notes)
            io.out << r.server << ": " << note << '\n';
        if (!r.remoteOutput.trimmed().isEmpty())
            for (const QString &line : r.remoteOutput.trimmed().split(u'\n'))
                io.out << r.server << ": remote: " << terminalSafe(line, false) << '\n';
        io.out << r.server << ": sent " << r.bytesSent << " bytes, saved " << r.bytesSaved() << " bytes";
        if (r.uploadMs > 0)
            io.out << ", uploaded in " << r.uploadMs << " ms (" << formatBytes(r.bytesSent * 1000 / qMax<qint64>(1, r.uploadMs)) << "/s)";
        if (r.resumedFrom > 0)
            io.out << ", resumed at " << r.resumedFrom << " bytes";
        if (r.resent > 0)
            io.out << ", re-sent " << r.resent << " damaged upload(s)";
        io.out << '\n';
        if (r.deploy.ok())
            io.out << r.server << ": " << describeSwitch(r.deploy, servers.at(i).containerName) << '\n';
    }
    if (cancelled)
        return Cancelled;
    return failures ? Failure : Ok;
}

} // namespace Gantry::Cli
