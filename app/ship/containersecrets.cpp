// SPDX-License-Identifier: MIT
#include "containersecrets.h"

#include "secretstore.h"

#include <QObject>
#include <QPointer>

namespace Gantry {

namespace {

/// A keychain call's done(status) that passes on only the failures.
std::function<void(const Status &)> failuresTo(const std::function<void(const Failure &)> &report)
{
    return [report](const Status &status) {
        if (!status)
            report(status.failure());
    };
}

/// Removes the login secrets (password and key passphrase) stored under profile's keys.
void forgetLogin(const ServerProfile &profile, QObject *context, const std::function<void(const Status &)> &done)
{
    SecretStore::removeAsync(profile.passwordKey(), context, done);
    SecretStore::removeAsync(profile.passphraseKey(), context, done);
}

} // namespace

void storeContainerSecrets(const ServerProfile &before, const ServerProfile &after, const QMap<QString, QString> &typed,
                           QObject *context, const std::function<void(const Failure &)> &report)
{
    const auto onlyErrors = failuresTo(report);
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

void storeServerSecrets(const ServerProfile &before, const ServerProfile &after, const ServerSecrets &typed, QObject *context,
                        const std::function<void(const Failure &)> &report)
{
    const auto onlyErrors = failuresTo(report);
    if (typed.forget) {
        forgetLogin(after, context, onlyErrors);
    } else {
        if (!typed.password.isEmpty())
            SecretStore::writeAsync(after.passwordKey(), typed.password, context, onlyErrors);
        if (!typed.passphrase.isEmpty())
            SecretStore::writeAsync(after.passphraseKey(), typed.passphrase, context, onlyErrors);
    }
    storeContainerSecrets(before, after, typed.containerSecrets, context, report);
}

void forgetServerSecrets(const ServerProfile &removed, QObject *context, const std::function<void(const Failure &)> &report)
{
    forgetLogin(removed, context, failuresTo(report));
    storeContainerSecrets(removed, ServerProfile{}, {}, context, report);
}

} // namespace Gantry
