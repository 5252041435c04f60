// SPDX-License-Identifier: MIT
#include "sshconnection.h"

#include "askpasspolicy.h"
#include "coredumps.h"
#include "remotepolicy.h"
#include "secretstore.h"
#include "shellquote.h"
#include "sshfolders.h"
#include "sshprocess.h"
#include "util/cancelflag.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRegularExpression>
#include <QStandardPaths>

#ifdef Q_OS_LINUX
#include <unistd.h>
#include <sys/prctl.h>
#include <csignal>
#endif

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {
const QByteArray readyMarker = "gantry-master-ready";
} // namespace

void endWithParent(QProcess &process)
{
#ifdef Q_OS_LINUX
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#else
    Q_UNUSED(process)
#endif
}

SshConnection::SshConnection(const ServerProfile &server, SshOptions options)
    : m_server(server)
    , m_options(std::move(options))
{
}

SshConnection::~SshConnection() { close(); }

QString SshConnection::defaultAskpassProgram()
{
    return askpassProgramBeside(QCoreApplication::applicationFilePath());
}

QString SshConnection::askpassProgramBeside(const QString &self)
{
    // "Gantry" in the macOS bundle, "gantry" elsewhere: compared without case, and both
    // spellings tried beside it (a case-sensitive APFS or Linux volume finds only one).
    if (QFileInfo(self).baseName().compare(u"gantry"_s, Qt::CaseInsensitive) == 0)
        return self;
    const QDir dir = QFileInfo(self).absoluteDir();
    for (const QString &candidate : {dir.filePath(u"gantry"_s), dir.filePath(u"Gantry"_s), dir.filePath(u"../bin/gantry"_s),
                                     dir.filePath(u"Gantry.app/Contents/MacOS/Gantry"_s)})
        if (QFileInfo(candidate).isFile() && QFileInfo(candidate).isExecutable())
            return QFileInfo(candidate).canonicalFilePath();
    return QStandardPaths::findExecutable(u"gantry"_s);
}

QString SshConnection::hostDescription() const
{
    return u"%1:%2"_s.arg(m_server.destination()).arg(m_server.port);
}

/// AES-GCM first (the default list after it): with the AES instructions of current x86-64
/// and ARMv8 CPUs it beats OpenSSH's default first choice, chacha20-poly1305 (measured: a
/// 124 MB upload ~25 % faster, see bench/ship/README.md). A server that offers neither still
/// negotiates one of the defaults. ('^' needs OpenSSH >= 8.0 on this machine.)
QString SshConnection::preferredCiphers() { return u"^aes128-gcm@openssh.com,aes256-gcm@openssh.com"_s; }

QStringList SshConnection::commonArguments() const
{
    QStringList a;
    a << u"-p"_s << QString::number(m_server.port);
    if (!m_server.user.isEmpty())
        a << u"-l"_s << m_server.user;
    a << jumpArguments() << trustAndTimeoutOptions();
    if (m_dir)
        a << u"-o"_s << u"ControlPath=%1"_s.arg(m_dir->filePath(u"cm"_s));
    return a;
}

QStringList SshConnection::trustAndTimeoutOptions() const
{
    QStringList a;
    if (!m_server.identityFile.isEmpty())
        a << u"-i"_s << m_server.identityFile << u"-o"_s << u"IdentitiesOnly=yes"_s;
    if (!m_server.knownHostsFile.isEmpty())
        a << u"-o"_s << u"UserKnownHostsFile=\"%1\""_s.arg(m_server.knownHostsFile);
    a << u"-o"_s << u"StrictHostKeyChecking=ask"_s
      << u"-o"_s << u"Ciphers=%1"_s.arg(preferredCiphers())
      << u"-o"_s << u"ConnectTimeout=%1"_s.arg(m_options.connectTimeoutSec)
      << u"-o"_s << u"ServerAliveInterval=%1"_s.arg(m_options.serverAliveIntervalSec)
      << u"-o"_s << u"ServerAliveCountMax=%1"_s.arg(m_options.serverAliveCountMax);
    return a;
}

QString SshConnection::jumpDescription() const { return m_server.jumpHost.trimmed(); }

QStringList SshConnection::jumpArguments() const
{
    // `ssh -J` starts the jump's ssh with none of our -o options: it would check the jump
    // host's key against ~/.ssh/known_hosts only, ignore the profile's key and known_hosts,
    // and not time out. So a single [USER@]HOST[:PORT] jump becomes a ProxyCommand that
    // gets them; anything else (several hops, ssh:// URIs) is left to -J.
    const QString spec = jumpDescription();
    if (spec.isEmpty())
        return {};
    if (spec.contains(u','))
        return {u"-J"_s, spec};
    const Result<ServerProfile> jump = ServerProfile::fromDestination(spec);
    if (!jump)
        return {u"-J"_s, spec};
    static const QRegularExpression hasPort(u":\\d{1,5}$"_s);
    QStringList cmd{u"ssh"_s};
    if (hasPort.match(spec).hasMatch()) // else: ~/.ssh/config's Port for that host, or 22
        cmd << u"-p"_s << QString::number(jump->port);
    if (!jump->user.isEmpty())
        cmd << u"-l"_s << jump->user;
    cmd << trustAndTimeoutOptions() << u"-o"_s << u"ControlPath=none"_s;
    QString line;
    for (const QString &arg : std::as_const(cmd))
        line += shellQuote(QString(arg).replace(u'%', u"%%"_s)) + u' ';
    // ssh fills in %h and %p (the target); the brackets keep an IPv6 address in one piece.
    line += u"-W '[%h]:%p' "_s + shellQuote(QString(jump->host).replace(u'%', u"%%"_s));
    return {u"-o"_s, u"ProxyCommand="_s + line};
}

QStringList SshConnection::clientArguments() const
{
    // BatchMode: a command never prompts; everything was settled by the master.
    return commonArguments() << u"-o"_s << u"ControlMaster=no"_s << u"-o"_s << u"BatchMode=yes"_s << u"-T"_s
                             << m_server.host;
}

AskpassReply SshConnection::answer(const AskpassRequest &request)
{
    switch (request.kind) {
    case AskpassRequest::HostKey:
        if (!m_options.acceptFingerprint.isEmpty() && request.fingerprint == m_options.acceptFingerprint) {
            m_hostKeyAccepted = true;
            return {true, u"yes"_s};
        }
        if (m_options.responder) {
            const AskpassReply r = m_options.responder(request);
            if (r.ok && r.answer == u"yes") {
                m_hostKeyAccepted = true;
                return r;
            }
        }
        m_refusedFingerprint = request.fingerprint;
        m_refusedKeyType = request.keyType;
        m_refusedHost = request.host;
        return {true, u"no"_s};
    case AskpassRequest::Password:
    case AskpassRequest::Passphrase: {
        keepSecretsOutOfCoreDumps();
        // A stored secret goes only to the exact prompt ssh prints for this login or this
        // key: not to a jump host's prompt, nor to a server's keyboard-interactive text.
        const AskpassPolicy::Login login{m_server.user.isEmpty() ? AskpassPolicy::localUserName() : m_server.user, m_server.host,
                                         m_server.identityFile};
        const AskpassPolicy::Secret secret = AskpassPolicy::storedSecretFor(request.prompt, login);
        if (secret != AskpassPolicy::Secret::None) {
            bool &used = secret == AskpassPolicy::Secret::Password ? m_keychainPasswordUsed : m_keychainPassphraseUsed;
            if (m_options.useKeychain && !used) {
                used = true;
                // Bounded, and ended by Cancel: a keychain that never answers cannot hold the connection (or quitting).
                const auto stored = SecretStore::readSecret(secret == AskpassPolicy::Secret::Password ? m_server.passwordKey()
                                                                                                    : m_server.passphraseKey(),
                                                            {SecretStore::WaitLimits::defaultReadTimeout(), m_cancel});
                if (stored && *stored)
                    return {true, **stored};
                if (!stored)
                    m_keychainFailure = stored.failure().sentence();
            }
        }
        if (m_options.responder) {
            m_interactiveAnswerGiven = true;
            return m_options.responder(request);
        }
        return {};
    }
    case AskpassRequest::Other:
        break;
    }
    return m_options.responder ? m_options.responder(request) : AskpassReply{};
}

Status SshConnection::open(const std::atomic_bool *cancel)
{
    close();
    m_cancel = cancel;
    m_keychainFailure.clear();
    const QStringList problems = m_server.validate();
    if (!problems.isEmpty())
        return Failure(ErrorClass::Other, problems.constFirst());
    if (const Status made = makePrivateFolder(); !made)
        return made;
    if (const Status started = startMaster(); !started)
        return started;
    const Status loggedIn = waitForLogin(cancel);
    m_open = loggedIn.ok();
    return loggedIn;
}

Status SshConnection::makePrivateFolder()
{
    // Short enough for every socket inside (macOS: 104 bytes), owned by this process (for
    // the next start to close what a crash leaves: SshFolders::closeLeftoversAtStart).
    const QString base = SshFolders::baseFor(QDir::tempPath());
    m_dir = std::make_unique<QTemporaryDir>(base + u"/gantry-ssh-XXXXXX"_s);
    if (!m_dir->isValid())
        return Failure(ErrorClass::Other, u"Gantry could not create its private SSH folder in %1"_s.arg(base),
                       u"Check that the temporary folder exists and is writable (TMPDIR)."_s);
    QFile::setPermissions(m_dir->path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    SshFolders::markOwned(m_dir->path());
    return m_askpass.listen(m_dir->filePath(u"askpass"_s));
}

Status SshConnection::startMaster()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString askpass = m_options.askpassProgram.isEmpty() ? defaultAskpassProgram() : m_options.askpassProgram;
    if (!askpass.isEmpty()) {
        env.insert(u"SSH_ASKPASS"_s, askpass);
        env.insert(u"SSH_ASKPASS_REQUIRE"_s, u"force"_s);
        env.insert(QString::fromLatin1(askpassSocketVariable()), m_askpass.socketPath());
        if (!env.contains(u"DISPLAY"_s))
            env.insert(u"DISPLAY"_s, u"gantry:0"_s); // OpenSSH < 8.4 only uses askpass with a DISPLAY
    }

    m_master = std::make_unique<QProcess>();
    endWithParent(*m_master);
    m_master->setProcessEnvironment(env);
    m_master->setStandardInputFile(QProcess::nullDevice());
    QStringList args = commonArguments();
    args << u"-M"_s << u"-N"_s << u"-o"_s << u"ControlMaster=yes"_s << u"-o"_s << u"ControlPersist=no"_s
         << u"-o"_s << u"PermitLocalCommand=yes"_s << u"-o"_s << u"LocalCommand=echo gantry-master-ready"_s;
    if (askpass.isEmpty())
        args << u"-o"_s << u"BatchMode=yes"_s;
    args << m_server.host;
    m_master->start(u"ssh"_s, args);
    if (!m_master->waitForStarted(10000))
        return Failure(ErrorClass::Other, u"The ssh program could not be started (%1)"_s.arg(m_master->errorString()),
                       u"Install OpenSSH, or set its path in Preferences."_s);
    return {};
}

Status SshConnection::waitForLogin(const std::atomic_bool *cancel)
{
    // Authentication may involve the user (a dialog): the deadline only counts ssh's own time.
    qint64 budgetMs = qint64(m_options.connectTimeoutSec) * 1000 * 3 + 15000;
    QElapsedTimer clock;
    clock.start();
    QByteArray out;
    for (;;) {
        if (Gantry::isCancelled(cancel)) {
            close();
            return Failure(ErrorClass::Cancelled, u"Connecting to %1 was cancelled."_s.arg(hostDescription()));
        }
        QElapsedTimer served;
        served.start();
        if (m_askpass.serve(50, [this](const AskpassRequest &r) { return answer(r); }))
            budgetMs += served.elapsed();
        m_master->waitForReadyRead(50);
        out += m_master->readAllStandardOutput();
        if (out.contains(readyMarker))
            return {};
        if (m_master->state() == QProcess::NotRunning) {
            const QString err = QString::fromUtf8(m_master->readAllStandardError()).trimmed();
            close();
            return loginFailure(err);
        }
        if (clock.elapsed() > budgetMs) {
            close();
            return Failure(ErrorClass::HostUnreachable,
                           u"%1 did not finish the SSH login in time"_s.arg(hostDescription()),
                           u"Check the address, the network and that the server's sshd answers."_s);
        }
    }
}

bool SshConnection::isOpen() const { return m_open && m_master && m_master->state() == QProcess::Running; }

void SshConnection::close()
{
    m_open = false;
    if (m_master) {
        if (m_master->state() != QProcess::NotRunning) {
            m_master->terminate();
            if (!m_master->waitForFinished(3000)) {
                m_master->kill();
                m_master->waitForFinished(3000);
            }
        }
        m_master.reset();
    }
    m_dir.reset();
}

Failure SshConnection::loginFailure(const QString &err) const
{
    const QString host = hostDescription();
    const QString knownHosts = m_server.knownHostsFile.isEmpty() ? u"~/.ssh/known_hosts"_s : m_server.knownHostsFile;
    const QString keygenHost = m_server.port == 22 ? m_server.host : u"[%1]:%2"_s.arg(m_server.host).arg(m_server.port);
    const QString last = err.section(u'\n', -1).trimmed();
    if (err.contains(u"REMOTE HOST IDENTIFICATION HAS CHANGED"_s)) {
        static const QRegularExpression fp(u"(SHA256:[A-Za-z0-9+/=]+)"_s);
        const QString now = fp.match(err).captured(1);
        return Failure(ErrorClass::HostKeyChanged,
                       u"The host key of %1 has CHANGED since it was last trusted (it now presents %2). This happens when the server was reinstalled, "
                       "but it can also mean someone is intercepting the connection, so Gantry refuses to connect."_s
                           .arg(host, now.isEmpty() ? u"a different key"_s : now),
                       u"If the change is expected, remove the old key with 'ssh-keygen -R \"%1\" -f %2' and connect again to confirm the new one."_s
                           .arg(keygenHost, knownHosts));
    }
    if (!m_refusedFingerprint.isEmpty() || err.contains(u"Host key verification failed"_s)
        || err.contains(u"you have requested strict checking"_s))
        return hostKeyUnknown(host, keygenHost, knownHosts);
    if (err.contains(u"Permission denied"_s)) {
        if (!m_keychainFailure.isEmpty() && !m_interactiveAnswerGiven)
            return Failure(ErrorClass::AuthFailed, u"The server %1 refused the login because Gantry got no password from the keychain: %2"_s.arg(host, m_keychainFailure));
        if (m_keychainPasswordUsed && !m_interactiveAnswerGiven)
            return Failure(ErrorClass::AuthFailed, u"The server %1 refused the login: the password from the keychain (or the key) was not accepted."_s.arg(host),
                           u"Correct the password in the server's profile, or check the user name and key."_s);
        return Failure(ErrorClass::AuthFailed, u"The server %1 refused the login (%2)"_s.arg(host, last),
                       u"Check the user name, the key, or the password (store it in the server's profile)."_s);
    }
    if (err.contains(u"Connection refused"_s) && !jumpDescription().isEmpty())
        return Failure(ErrorClass::HostUnreachable,
                       u"Nothing accepts SSH connections at %1 or at its jump host %2 (connection refused)"_s.arg(host, jumpDescription()),
                       u"Check both hosts and ports, and that sshd runs there."_s);
    if (err.contains(u"Connection refused"_s))
        return Failure(ErrorClass::HostUnreachable, u"Nothing accepts SSH connections at %1 (connection refused)"_s.arg(host),
                       u"Check the host and port, and that sshd runs there."_s);
    if (err.contains(u"timed out"_s, Qt::CaseInsensitive))
        return Failure(ErrorClass::HostUnreachable, u"%1 did not answer within %2 s (timeout)"_s.arg(host).arg(m_options.connectTimeoutSec),
                       u"Check the address, the network or a firewall."_s);
    if (err.contains(u"Could not resolve hostname"_s))
        return Failure(ErrorClass::HostUnreachable, u"The host name '%1' could not be resolved"_s.arg(m_server.host),
                       u"Check its spelling or your DNS."_s);
    if (err.contains(u"Connection closed"_s) || err.contains(u"Broken pipe"_s) || err.contains(u"Timeout, server"_s))
        return Failure(ErrorClass::LinkDropped, u"The connection to %1 broke (%2)"_s.arg(host, last), u"Check the network and try again."_s);
    return Failure(ErrorClass::Other, u"ssh could not connect to %1 (%2)"_s.arg(host, last.isEmpty() ? u"no message"_s : last),
                   u"Check the server's profile and try 'ssh -p %1 %2' in a terminal."_s.arg(m_server.port).arg(m_server.destination()));
}

Failure SshConnection::hostKeyUnknown(const QString &host, const QString &targetName, const QString &knownHosts) const
{
    if (!m_refusedFingerprint.isEmpty() && !jumpDescription().isEmpty() && !m_refusedHost.isEmpty() && m_refusedHost != targetName)
        return Failure(ErrorClass::HostKeyUnknown,
                       u"The host key of the jump host %1 (%2) is not known yet (%3 %4) and was not confirmed, so Gantry did not connect to %5"_s
                           .arg(jumpDescription(), m_refusedHost, m_refusedKeyType, m_refusedFingerprint, host),
                       u"Confirm it when asked (or pass --accept-host-key %1 after checking it on the jump host with "
                       "'ssh-keygen -lf /etc/ssh/ssh_host_%2_key.pub'), or add it to %3."_s
                           .arg(m_refusedFingerprint, m_refusedKeyType.toLower(), knownHosts));
    if (!m_refusedFingerprint.isEmpty())
        return Failure(ErrorClass::HostKeyUnknown,
                       u"The host key of %1 is not known yet (%2 %3) and was not confirmed, so Gantry did not connect"_s
                           .arg(host, m_refusedKeyType, m_refusedFingerprint),
                       u"Confirm it when asked (or pass --accept-host-key %1 after checking it on the server with "
                       "'ssh-keygen -lf /etc/ssh/ssh_host_%2_key.pub')."_s
                           .arg(m_refusedFingerprint, m_refusedKeyType.toLower()));
    return Failure(ErrorClass::HostKeyUnknown, u"The host key of %1 could not be verified"_s.arg(host),
                   u"Connect once interactively to confirm it, or add it to %1."_s.arg(knownHosts));
}

ProcessResult SshConnection::run(const QString &command, int timeoutMs, const QByteArray &input)
{
    QStringList args = clientArguments();
    args << u"--"_s << RemotePolicy::wrapInSh(command); // whatever the login shell is
    return runProcess(u"ssh"_s, args, QProcessEnvironment::systemEnvironment(), timeoutMs, input);
}

} // namespace Gantry
