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

} // namespace Gantry
