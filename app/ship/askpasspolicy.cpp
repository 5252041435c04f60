// SPDX-License-Identifier: MIT
#include "askpasspolicy.h"

#include <QDir>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace Gantry::AskpassPolicy {

namespace {

/// ssh -i expands a leading "~/" itself; the prompt shows the expanded name.
QString expandedKeyFile(const QString &file)
{
    if (file.startsWith(u"~/"_s))
        return QDir::homePath() + file.mid(1);
    return file;
}

} // namespace

Secret storedSecretFor(const QString &prompt, const Login &login)
{
    // ssh passes the prompt with its trailing ": "; compare the whole text, nothing around it.
    if (!login.user.isEmpty() && !login.host.isEmpty() && prompt == login.user + u'@' + login.host + u"'s password: "_s)
        return Secret::Password;
    if (!login.identityFile.isEmpty()) {
        for (const QString &name : {login.identityFile, expandedKeyFile(login.identityFile)})
            if (prompt == u"Enter passphrase for key '"_s + name + u"': "_s)
                return Secret::Passphrase;
    }
    return Secret::None;
}

QString localUserName()
{
#ifdef Q_OS_UNIX
    if (const passwd *pw = ::getpwuid(::geteuid()); pw && pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
#endif
    return qEnvironmentVariable("USER");
}

} // namespace Gantry::AskpassPolicy
