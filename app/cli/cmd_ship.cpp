// SPDX-License-Identifier: MIT
#include "cli.h"

#include "util/terminaltext.h"

#include "ship/interrupt.h"
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

#include <cstdio>
#include <termios.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Gantry::Cli {

namespace {

QMutex &ttyMutex()
{
    static QMutex m;
    return m;
}

/// Asks on the terminal (never the command line, never a file): host keys and passwords.
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
    tty.write((u"[%1] %2"_s.arg(server, terminalSafe(request.prompt.trimmed())) + u' ').toUtf8());
    termios old{};
    const bool haveTermios = tcgetattr(fd, &old) == 0;
    if (haveTermios) {
        termios quiet = old;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(fd, TCSANOW, &quiet); // keep what was typed ahead
    }
    const QByteArray line = tty.readLine();
    if (haveTermios)
        tcsetattr(fd, TCSANOW, &old);
    tty.write("\n");
    if (line.isEmpty())
        return {};
    return {true, QString::fromUtf8(line).chopped(line.endsWith('\n') ? 1 : 0)};
}

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
    const QCommandLineOption toOpt(u"to"_s, u"A server profile's name or USER@HOST[:PORT]; repeat for several servers at once."_s, u"SERVER"_s);
    const QCommandLineOption fullOpt(u"full"_s, u"Send the whole archive instead of only the missing layers."_s);
    const QCommandLineOption noDeltasOpt(u"no-deltas"_s, u"Send missing layers whole, never as zstd patches against earlier layers on the server."_s);
    const QCommandLineOption restartOpt(u"restart"_s, u"After loading, (re)start the container (name from the profile or --name)."_s);
    const QCommandLineOption identityOpt({u"i"_s, u"identity"_s}, u"Use this private key (IdentitiesOnly)."_s, u"FILE"_s);
    const QCommandLineOption jumpOpt(u"jump"_s, u"Connect through this jump host (ProxyJump)."_s, u"HOST"_s);
    const QCommandLineOption knownOpt(u"known-hosts"_s, u"Use this known_hosts file instead of ~/.ssh/known_hosts."_s, u"FILE"_s);
    const QCommandLineOption dirOpt(u"remote-dir"_s, u"Gantry's folder on the server (default .gantry under the login's home)."_s, u"DIR"_s);
    const QCommandLineOption dockerOpt(u"remote-docker"_s, u"How to call docker on the server, e.g. \"sudo -n docker\"."_s, u"CMD"_s);
    const QCommandLineOption nameOpt(u"name"_s, u"Container name for --restart."_s, u"NAME"_s);
    const QCommandLineOption portOpt({u"p"_s, u"publish"_s}, u"Port mapping for --restart (docker run -p)."_s, u"PORTS"_s);
    const QCommandLineOption envOpt({u"e"_s, u"env"_s}, u"Environment variable for --restart (KEY=VALUE)."_s, u"VAR"_s);
    const QCommandLineOption healthOpt(u"health"_s, u"After --restart, wait until this URL answers (checked from here)."_s, u"URL"_s);
    const QCommandLineOption acceptOpt(u"accept-host-key"_s, u"Trust an unknown host key if its fingerprint is exactly FP (SHA256:...)."_s, u"FP"_s);
    const QCommandLineOption batchOpt(u"batch"_s, u"Never ask: unknown host keys and missing passwords are refused."_s);
    const QCommandLineOption rateOpt(u"limit-rate"_s, u"Send at most KB kilobytes per second."_s, u"KB"_s);
    const QCommandLineOption checkOpt(u"check"_s, u"Only test the connection: log in, check docker and the remote folder."_s);
    const QCommandLineOption listOpt(u"list-servers"_s, u"List the server profiles and exit."_s);
    const QCommandLineOption timeoutOpt(u"connect-timeout"_s, u"Seconds to wait for the server (default 10)."_s, u"S"_s, u"10"_s);
    for (const auto &o : {toOpt, fullOpt, noDeltasOpt, restartOpt, identityOpt, jumpOpt, knownOpt, dirOpt, dockerOpt, nameOpt, portOpt, envOpt,
                          healthOpt, acceptOpt, batchOpt, rateOpt, checkOpt, listOpt, timeoutOpt})
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
        std::optional<ServerProfile> server = ServerProfiles::find(profiles, to);
        if (!server) {
            QString error;
            server = ServerProfile::fromDestination(to, &error);
            if (!server) {
                io.err << "gantry ship: " << error << '\n';
                return UsageError;
            }
        }
        if (parser.isSet(identityOpt))
            server->identityFile = QFileInfo(parser.value(identityOpt)).absoluteFilePath();
        if (parser.isSet(jumpOpt))
            server->jumpHost = parser.value(jumpOpt);
        if (parser.isSet(knownOpt))
            server->knownHostsFile = QFileInfo(parser.value(knownOpt)).absoluteFilePath();
        if (parser.isSet(dirOpt))
            server->remoteDir = parser.value(dirOpt);
        if (parser.isSet(dockerOpt))
            server->dockerCommand = parser.value(dockerOpt);
        if (parser.isSet(nameOpt))
            server->containerName = parser.value(nameOpt);
        if (parser.isSet(portOpt))
            server->ports = parser.values(portOpt);
        if (parser.isSet(envOpt))
            server->env = parser.values(envOpt);
        if (parser.isSet(healthOpt))
            server->healthUrl = parser.value(healthOpt);
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
    options.ssh.connectTimeoutSec = qMax(1, parser.value(timeoutOpt).toInt());
    options.ssh.acceptFingerprint = parser.value(acceptOpt);
    const bool interactive = !parser.isSet(batchOpt) && isatty(STDIN_FILENO);

    const std::atomic_bool *cancel = installInterruptFlag();
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
            bool ok = false;
            const QString message = checkServer(server, ssh, &ok, cancel);
            (ok ? io.out : io.err) << (ok ? "" : "gantry ship: ") << terminalSafe(message, false) << '\n';
            failures += ok ? 0 : 1;
        }
        return failures ? Failure : Ok;
    }

    const QString source = parser.positionalArguments().constFirst();
    QString error;
    const auto image = prepareImage(source, options, [&](const ShipProgress &p) { say(p.message); }, cancel, &error);
    if (!image) {
        io.err << "gantry ship: " << error << '\n';
        return cancel->load() ? Cancelled : Failure;
    }

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
        if (!r.ok) {
            ++failures;
            cancelled = cancelled || r.cancelled;
            io.err << "gantry ship: " << r.server << ": " << terminalSafe(r.error, false) << '\n';
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
    }
    if (cancelled)
        return Cancelled;
    return failures ? Failure : Ok;
}

} // namespace Gantry::Cli
