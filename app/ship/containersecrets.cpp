// SPDX-License-Identifier: MIT
#include "containersecrets.h"

#include "secretstore.h"

#include <QObject>
#include <QPointer>

namespace Gantry {

void storeContainerSecrets(const ServerProfile &before, const ServerProfile &after, const QMap<QString, QString> &typed,
                           QObject *context, const std::function<void(const QString &)> &report)
{
    const auto onlyErrors = [report](const QString &error) {
        if (!error.isEmpty())
            report(error);
    };
    for (const QString &key : before.secretEnv)
        if (!after.secretEnv.contains(key))
            SecretStore::removeAsync(before.containerEnvKey(key), context, onlyErrors);
    for (const QString &key : after.secretEnv) {
        const QString from = before.containerEnvKey(key), to = after.containerEnvKey(key);
        const bool moved = before.secretEnv.contains(key) && from != to;
        if (typed.contains(key) && !typed.value(key).isEmpty()) {
            SecretStore::writeAsync(to, typed.value(key), context, onlyErrors);
            if (moved)
                SecretStore::removeAsync(from, context, onlyErrors);
        } else if (moved) {
            // Kept but under another key now: carry the value over, then drop the old entry.
            QPointer<QObject> guard(context);
            SecretStore::readAsync(from, context, [guard, from, to, onlyErrors](const SecretStore::ReadResult &r) {
                if (!r.error.isEmpty() || !r.value || !guard) {
                    onlyErrors(r.error);
                    return;
                }
                SecretStore::writeAsync(to, *r.value, guard, [guard, from, onlyErrors](const QString &error) {
                    onlyErrors(error);
                    if (error.isEmpty() && guard)
                        SecretStore::removeAsync(from, guard, onlyErrors);
                });
            });
        }
    }
}

} // namespace Gantry
