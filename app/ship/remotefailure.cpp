// SPDX-License-Identifier: MIT
#include "remotefailure.h"

#include "sshconnection.h"

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

ErrorClass classOf(const ProcessResult &r, const SshConnection &ssh)
{
    if (r.timedOut)
        return ErrorClass::LinkDropped;
    if (r.exitCode == 255)
        return ssh.loginFailure(r.stderrText()).errorClass;
    if (r.started && r.exitCode < 0)
        return ErrorClass::LinkDropped; // the local ssh was ended by a signal: the link is gone
    return SshConnection::remoteFailureClass(r.exitCode, r.stderrText());
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
    if (const QString full = ssh.diskFullError(r.stderrText()); !full.isEmpty())
        return Failure(errorClass, full);
    QString action = what;
    if (!action.isEmpty())
        action[0] = action.at(0).toUpper();
    QString said = serverSaid(r);
    const QString fix = SshConnection::remoteFailureFix(errorClass);
    if (!fix.isEmpty())
        return Failure(errorClass, u"%1 failed on %2 (%3)"_s.arg(action, ssh.hostDescription(), said), fix);
    if (!said.endsWith(u'.'))
        said += u'.'; // one sentence, whatever the server said ("Killed")
    return Failure(errorClass, u"%1 failed on %2: %3"_s.arg(action, ssh.hostDescription(), said));
}

} // namespace Gantry
