// SPDX-License-Identifier: MIT
#include "remotefailure.h"

#include "sshconnection.h"

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

/// The class of a remote command's failure from its exit code and stderr (exit 255 is ssh's own:
/// loginFailure() tells those apart).
ErrorClass commandClass(int exitCode, const QString &err)
{
    if (exitCode == 255)
        return ErrorClass::LinkDropped;
    if (err.contains(u"No space left"_s) || err.contains(u"Disk quota exceeded"_s))
        return ErrorClass::RemoteDiskFull;
    if (err.contains(u"Permission denied"_s) || err.contains(u"Read-only file system"_s) || err.contains(u"not writable"_s)
        || err.contains(u"cannot create"_s))
        return ErrorClass::RemotePermission;
    if (exitCode == 5 || err.contains(u"docker on the server failed"_s)) {
        if (err.contains(u"not found"_s) || err.contains(u"No such file"_s))
            return ErrorClass::RemoteDockerMissing;
        if (err.contains(u"Cannot connect to the Docker daemon"_s))
            return ErrorClass::EngineDown;
    }
    if (exitCode == 127)
        return ErrorClass::RemoteDockerMissing;
    if (exitCode == 6)
        return ErrorClass::LinkDropped; // the receiver got fewer bytes than were sent
    return ErrorClass::RemoteFailed;
}

/// What to do about a remote failure of that class; empty when there is nothing specific.
QString fixFor(ErrorClass errorClass)
{
    switch (errorClass) {
    case ErrorClass::RemoteDiskFull:
        return u"Free some space on the server (or choose a remote folder on another disk in the server's profile), then ship again."_s;
    case ErrorClass::RemotePermission:
        return u"Make the remote folder writable for the login user, or choose another remote folder in the server's profile."_s;
    case ErrorClass::RemoteDockerMissing:
        return u"Install Docker on the server, or set the docker command (e.g. \"sudo -n docker\") in the server's profile."_s;
    case ErrorClass::EngineDown:
        return u"Start the Docker engine on the server (e.g. 'sudo systemctl start docker')."_s;
    case ErrorClass::LinkDropped:
        return u"Check the network and ship again: the transfer resumes where it stopped."_s;
    default:
        return {};
    }
}

ErrorClass classOf(const ProcessResult &r, const SshConnection &ssh)
{
    if (r.timedOut)
        return ErrorClass::LinkDropped;
    if (r.exitCode == 255)
        return ssh.loginFailure(r.stderrText()).errorClass;
    if (r.started && r.exitCode < 0)
        return ErrorClass::LinkDropped; // the local ssh was ended by a signal: the link is gone
    return commandClass(r.exitCode, r.stderrText());
}

/// What the server printed, as one line: its lines joined, "gantry: " prefixes dropped.
QString serverSaid(const ProcessResult &r)
{
    QStringList lines;
    for (QString line : r.stderrText().split(u'\n', Qt::SkipEmptyParts)) {
        line = line.trimmed();
        if (line.startsWith(u"gantry: "_s))
            line = line.mid(8).trimmed();
        if (!line.isEmpty())
            lines << line;
    }
    const QString said = lines.join(u' ');
    return said.isEmpty() ? u"exit code %1"_s.arg(r.exitCode) : said;
}

} // namespace

std::optional<Failure> remoteDiskFull(const QString &stderrText, const SshConnection &ssh)
{
    if (!stderrText.contains(u"No space left on device"_s) && !stderrText.contains(u"Disk quota exceeded"_s))
        return std::nullopt;
    return Failure(ErrorClass::RemoteDiskFull,
                   u"The disk of %1 is full (no space left for Gantry's folder %2)"_s.arg(ssh.hostDescription(), ssh.server().remoteDir),
                   u"Free some space there or choose another remote folder in the server's profile, then ship again: the "
                   "transfer resumes where it stopped."_s);
}

Failure remoteFailure(const ProcessResult &r, const SshConnection &ssh, const QString &what)
{
    const ErrorClass errorClass = classOf(r, ssh);
    if (r.timedOut)
        return Failure(errorClass, u"%1 did not answer while %2 (timeout)"_s.arg(ssh.hostDescription(), what),
                       u"Check the server and the network, then ship again."_s);
    if (r.exitCode == 255 || (r.started && r.exitCode < 0)) {
        // The login was done by the master connection: a command that ends with ssh's own
        // failure (or an ssh ended by a signal) means the connection went away while it ran.
        const QString last = r.stderrText().section(u'\n', -1).trimmed();
        const QString why = r.exitCode < 0 ? u"the ssh process was ended by a signal"_s
                            : last.isEmpty() ? u"ssh ended without a message"_s
                                             : last;
        return Failure(errorClass, u"The connection to %1 broke during %2 (%3)"_s.arg(ssh.hostDescription(), what, why),
                       u"Check the network and ship again — what already arrived stays on the server."_s);
    }
    if (auto full = remoteDiskFull(r.stderrText(), ssh))
        return *full;
    QString action = what;
    if (!action.isEmpty())
        action[0] = action.at(0).toUpper();
    QString said = serverSaid(r);
    const QString fix = fixFor(errorClass);
    if (!fix.isEmpty())
        return Failure(errorClass, u"%1 failed on %2 (%3)"_s.arg(action, ssh.hostDescription(), said), fix);
    if (!said.endsWith(u'.'))
        said += u'.'; // one sentence, whatever the server said ("Killed")
    return Failure(errorClass, u"%1 failed on %2: %3"_s.arg(action, ssh.hostDescription(), said));
}

Failure remoteFailure(int exitCode, const QString &stderrText, const SshConnection &ssh, const QString &cause,
                      const QString &fallbackFix)
{
    if (auto full = remoteDiskFull(stderrText, ssh))
        return *full;
    const ErrorClass errorClass = commandClass(exitCode, stderrText);
    const QString fix = fixFor(errorClass);
    return Failure(errorClass, cause, fix.isEmpty() ? fallbackFix : fix);
}

} // namespace Gantry
