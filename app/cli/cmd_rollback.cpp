// SPDX-License-Identifier: MIT
#include "cli.h"
#include "serverflags.h"

#include "ship/deployer.h"
#include "interrupt.h"

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Gantry::Cli {

int rollback(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Goes back to the version deployed before the current one on a server (its image is kept there), "
                                     "health-checked like a deploy: the current container keeps its place until the previous "
                                     "version is healthy, else it serves again."_s);
    parser.addHelpOption();
    const SshFlags sshFlags;
    const RunFlags runFlags;
    for (const auto &o : sshFlags.all() + runFlags.all())
        parser.addOption(o);
    if (const std::optional<int> over = parseArguments(parser, arguments, u"rollback"_s, io))
        return *over;
    if (parser.values(sshFlags.to).size() != 1 || !parser.positionalArguments().isEmpty()) {
        io.err << "gantry rollback: name one server, e.g. 'gantry rollback --to prod'.\n";
        return UsageError;
    }
    Result<ServerProfile> server = resolveServer(parser, sshFlags, parser.value(sshFlags.to), ServerProfiles::load());
    if (!server) {
        io.err << "gantry rollback: " << server.failure().sentence() << '\n';
        return UsageError;
    }
    if (const Status applied = applyRunFlags(parser, runFlags, *server); !applied) {
        io.err << "gantry rollback: " << applied.failure().sentence() << '\n';
        return UsageError;
    }
    const QStringList problems = server->validate();
    if (!problems.isEmpty() || server->containerName.isEmpty()) {
        io.err << "gantry rollback: " << server->displayName() << ": "
               << (problems.isEmpty() ? u"which container? Pass --name NAME or set it in the profile."_s : problems.constFirst()) << '\n';
        return UsageError;
    }
    SshOptions ssh;
    ssh.connectTimeoutSec = qMax(1, parser.value(sshFlags.timeout).toInt());
    ssh.acceptFingerprint = parser.value(sshFlags.accept);
    if (!parser.isSet(sshFlags.batch) && isatty(STDIN_FILENO))
        ssh.responder = [name = server->displayName()](const AskpassRequest &r) { return askOnTerminal(r, name); };
    const Interrupt interrupt;  // Ctrl-C once: stop and clean up; twice: exit at once
    const std::atomic_bool *cancel = interrupt.flag();
    const DeployOutcome outcome = rollbackServer(*server, ssh, [&](const QString &line) { io.err << line << '\n' << Qt::flush; }, cancel);
    if (outcome.result != DeployOutcome::NotRun && !outcome.image.isEmpty())
        recordDeploy(*server, u"rollback"_s, outcome, 0, io.err);
    if (!outcome.ok()) {
        io.err << "gantry rollback: " << server->displayName() << ": " << outcome.failure.sentence() << '\n';
        return outcome.failure.cancelled() ? Cancelled : Failure;
    }
    io.out << server->displayName() << ": rolled back: " << describeSwitch(outcome, server->containerName) << '\n';
    return Ok;
}

} // namespace Gantry::Cli
