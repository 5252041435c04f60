// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QLocalServer>
#include <QString>

#include <functional>

namespace Gantry {

/// What ssh asked through SSH_ASKPASS.
struct AskpassRequest
{
    enum Kind { Password, Passphrase, HostKey, Other };
    Kind kind = Other;
    QString prompt;       ///< ssh's own words
    QString fingerprint;  ///< HostKey: "SHA256:..."
    QString keyType;      ///< HostKey: "ED25519", "RSA", ...
    QString host;         ///< HostKey: the host as ssh names it, e.g. "[127.0.0.1]:2222"
    static AskpassRequest fromPrompt(const QString &prompt);
};

struct AskpassReply
{
    bool ok = false;      ///< false: refuse (ssh treats it as "cancelled")
    QString answer;       ///< the secret, or "yes"/"no" for a host key
};

using AskpassResponder = std::function<AskpassReply(const AskpassRequest &)>;

/// The environment variable that turns the gantry executable into ssh's askpass helper.
inline const char *askpassSocketVariable() { return "GANTRY_ASKPASS_SOCKET"; }

/// The helper side: ssh runs `gantry "PROMPT"` with GANTRY_ASKPASS_SOCKET set; this asks
/// the Gantry process that started ssh over that local socket (in the connection's
/// private 0700 folder) and prints the answer for ssh. The secret never appears on a
/// command line, in a file or in a log. Returns the process exit code.
int askpassClientMain(int argc, char **argv);

/// The Gantry side: a local socket in a private folder that answers the helper. It has no
/// event loop of its own; the owner polls serve() while ssh authenticates (worker thread).
/// True when the process at the other end of this local socket runs as this user and was
/// started (directly or through ssh and a shell) by this process: only the askpass helper
/// of an ssh Gantry started may ask for a secret.
bool askpassPeerIsOurs(qintptr socketDescriptor);

class AskpassServer
{
public:
    /// Opens the socket at socketPath (owner only), or the Failure saying why not.
    Status listen(const QString &socketPath);
    QString socketPath() const { return m_server.fullServerName(); }
    /// Waits up to waitMs for a request and answers it with handler. True when one was served.
    bool serve(int waitMs, const AskpassResponder &handler);

private:
    QLocalServer m_server;
};

} // namespace Gantry
