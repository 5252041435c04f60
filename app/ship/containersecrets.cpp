// SPDX-License-Identifier: MIT
#include "containersecrets.h"

#include "secretstore.h"

#include <QObject>
#include <QPointer>

namespace Gantry {

void storeContainerSecrets(const ServerProfile &before, const ServerProfile &after, const QMap<QString, QString> &typed,
                           QObject *context, const std::function<void(const Failure &)> &report)
{
    const auto onlyErrors = [report](const Status &status) {
        if (!status)
            report(status.failure());
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
                if (!r) {
                    onlyErrors(r.failure());
                    return;
                }
                if (!r->has_value() || !guard)
                    return;
                SecretStore::writeAsync(to, **r, guard, [guard, from, onlyErrors](const Status &written) {
                    onlyErrors(written);
                    if (written && guard)
                        SecretStore::removeAsync(from, guard, onlyErrors);
                });
            });
        }
    }
}

} // namespace Gantry
