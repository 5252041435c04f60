// SPDX-License-Identifier: MIT
#pragma once

#include "serverprofile.h"

#include <QMap>
#include <QString>

#include <functional>

class QObject;

namespace Gantry {

/// Keeps the keychain in step with a profile's secret container variables after the server
/// dialog: writes the values typed (under after's keys), moves a kept value whose key changed
/// (another host, user, port or container name), removes the variables no longer listed.
/// Asynchronous (GUI thread); report(failure) is called on context's thread for each failure.
void storeContainerSecrets(const ServerProfile &before, const ServerProfile &after, const QMap<QString, QString> &typed,
                           QObject *context, const std::function<void(const Failure &)> &report);

/// What the server dialog typed for the keychain: never part of the profile itself.
struct ServerSecrets
{
    QString password;                  ///< empty: keep what the keychain has
    QString passphrase;                ///< empty: keep what the keychain has
    bool forget = false;               ///< remove the stored password and passphrase
    QMap<QString, QString> containerSecrets; ///< secret container variables typed (name → value)
};

/// After a server was added (before: an empty profile) or edited: writes or forgets the login
/// secrets under after's keys, and keeps the container secrets in step (storeContainerSecrets).
/// Asynchronous (GUI thread); report(failure) is called on context's thread for each failure.
void storeServerSecrets(const ServerProfile &before, const ServerProfile &after, const ServerSecrets &typed, QObject *context,
                        const std::function<void(const Failure &)> &report);
/// After a server was removed: its password, passphrase and container secrets leave the keychain.
void forgetServerSecrets(const ServerProfile &removed, QObject *context, const std::function<void(const Failure &)> &report);

} // namespace Gantry
