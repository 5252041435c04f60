// SPDX-License-Identifier: MIT
#pragma once

#include "askpass.h"
#include "serverprofile.h"
#include "util/errorclass.h"
#include "util/failure.h"
#include "util/processrunner.h"

#include <QProcess>
#include <QTemporaryDir>

#include <atomic>
#include <functional>
#include <memory>

class QIODevice;

namespace Gantry {

struct SshOptions
{
    /// Called for what the keychain cannot answer: a password/passphrase prompt or an
    /// unknown host key (GUI dialog, CLI prompt). Empty: batch mode, everything is refused.
    AskpassResponder responder;
    /// Accept an unknown host key if (and only if) its fingerprint is exactly this.
    QString acceptFingerprint;
    bool useKeychain = true;
    int connectTimeoutSec = 10;
    int serverAliveIntervalSec = 5;
    int serverAliveCountMax = 3;
    /// The program ssh runs as SSH_ASKPASS (the gantry executable). Empty: this executable
    /// when it is gantry, else gantry beside it.
    QString askpassProgram;
};

/// One OpenSSH master connection to a server (ControlMaster, ControlPath in a private
/// 0700 folder), reused by every command and upload. The user's ~/.ssh/config, agent and
/// known_hosts apply. Blocking API: use it from one worker thread (or the CLI).
class SshConnection
{
public:
    SshConnection(const ServerProfile &server, SshOptions options);
    ~SshConnection();
    SshConnection(const SshConnection &) = delete;
    SshConnection &operator=(const SshConnection &) = delete;

    /// Connects and authenticates (askpass served meanwhile); the Failure's cause is one sentence.
    Status open(const std::atomic_bool *cancel = nullptr);
    bool isOpen() const;
    void close();

    /// Runs a shell command on the server over the master connection.
    ProcessResult run(const QString &command, int timeoutMs = 120000, const QByteArray &input = {});

    struct Upload
    {
        qint64 sent = 0;       ///< bytes handed to ssh
        QByteArray output;     ///< the remote command's stdout
        std::optional<Failure> failure; ///< why it did not arrive: LinkDropped, RemoteDiskFull, Cancelled, ...
        bool ok() const { return !failure; }
        bool cancelled() const { return failure && failure->cancelled(); }
    };
    /// Streams source (from its current position to its end) into remoteCommand's stdin.
    /// bytesPerSecond > 0 limits the rate. A stalled or broken link ends it with an error.
    Upload upload(QIODevice *source, const QString &remoteCommand, const std::function<void(qint64)> &progress,
                  const std::atomic_bool *cancel, qint64 bytesPerSecond = 0);

    QString hostDescription() const; ///< user@host:port
    /// A failed ssh (exit 255) from its stderr, as one Failure: its class (HostKeyChanged,
    /// HostKeyUnknown, AuthFailed, HostUnreachable, LinkDropped, Other), cause and fix.
    Failure loginFailure(const QString &stderrText) const;
    /// The server it connects to. A remote command's failure is classified by remoteFailure()
    /// (remotefailure.h), open()'s by the Status it returns.
    const ServerProfile &server() const { return m_server; }
    /// The fingerprint of an unknown host key that was refused (empty if none).
    QString refusedFingerprint() const { return m_refusedFingerprint; }
    bool hostKeyAccepted() const { return m_hostKeyAccepted; }

    static QString defaultAskpassProgram();
    /// The gantry executable ssh should run as askpass, for a process at path self: self
    /// when it is gantry (any case: "Gantry" in the macOS bundle), else gantry beside it.
    static QString askpassProgramBeside(const QString &self);
    /// The Ciphers option Gantry passes (AES-GCM ahead of OpenSSH's defaults).
    static QString preferredCiphers();

private:
    // open()'s steps
    Status makePrivateFolder(); ///< the 0700 folder for the control socket and askpass, listening
    Status startMaster();       ///< ssh -M with askpass served by this process
    Status waitForLogin(const std::atomic_bool *cancel); ///< until the master is ready, fails or times out
    Failure hostKeyUnknown(const QString &host, const QString &targetName, const QString &knownHosts) const;
    QStringList commonArguments() const;
    QStringList clientArguments() const;
    QStringList jumpArguments() const;
    /// The options every ssh Gantry starts gets, the jump host's included: the profile's key
    /// and known_hosts, host-key checking, ciphers and time-outs. Written once, here.
    QStringList trustAndTimeoutOptions() const;
    QString jumpDescription() const; ///< the jump host as the user wrote it
    AskpassReply answer(const AskpassRequest &request);

    ServerProfile m_server;
    SshOptions m_options;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QProcess> m_master;
    AskpassServer m_askpass;
    bool m_open = false;
    bool m_keychainPasswordUsed = false;
    bool m_keychainPassphraseUsed = false;
    bool m_interactiveAnswerGiven = false;
    bool m_hostKeyAccepted = false;
    QString m_refusedFingerprint;
    QString m_refusedKeyType;
    QString m_refusedHost; ///< the host whose key was refused, as ssh named it
    const std::atomic_bool *m_cancel = nullptr; ///< open()'s, also ends a keychain read
    QString m_keychainFailure; ///< why the keychain gave no secret (timeout, failure), for open()'s error
};

} // namespace Gantry
