// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

/// Which stored secret a prompt of ssh's may receive. ssh asks through SSH_ASKPASS for
/// every host it logs in to (the jump host too, through the ProxyCommand's own ssh) and
/// shows keyboard-interactive texts the server chose; a stored secret goes only to the
/// exact prompt OpenSSH prints for it, everything else goes to the person.
namespace AskpassPolicy {

enum class Secret { None, Password, Passphrase };

struct Login
{
    QString user;         ///< the login name ssh uses (the profile's, else the local user's)
    QString host;         ///< the host as ssh names it in its prompt
    QString identityFile; ///< the profile's key file, as given to ssh -i (may be empty)
};

/// Password: exactly "USER@HOST's password: " (sshconnect2.c, userauth_passwd).
/// Passphrase: exactly "Enter passphrase for key 'FILE': " (load_identity_file), for the
/// profile's own key file. Anything else, including any keyboard-interactive text: None.
Secret storedSecretFor(const QString &prompt, const Login &login);

/// The login name ssh uses when the profile names none: the local user's.
QString localUserName();

} // namespace AskpassPolicy

} // namespace Gantry
