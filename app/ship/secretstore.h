// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <functional>
#include <optional>

class QObject;

namespace Gantry {

/// Passwords and passphrases, only in the system keychain (QtKeychain: Keychain on macOS,
/// the Secret Service on Linux). Nothing here writes a secret anywhere else.
namespace SecretStore {

inline QString service() { return QStringLiteral("Gantry"); }

struct ReadResult
{
    std::optional<QString> value; ///< nullopt: not stored (or the keychain failed: see error)
    QString error;                ///< non-empty when the keychain itself failed
};

/// Blocking (runs a local event loop until QtKeychain answers): worker threads and the CLI only.
ReadResult read(const QString &key);
bool write(const QString &key, const QString &secret, QString *error);
bool remove(const QString &key, QString *error);

/// Asynchronous, for the GUI thread: done(error) is called on context's thread (error empty: ok).
void writeAsync(const QString &key, const QString &secret, QObject *context, std::function<void(const QString &)> done);
void removeAsync(const QString &key, QObject *context, std::function<void(const QString &)> done);
void readAsync(const QString &key, QObject *context, std::function<void(const ReadResult &)> done);

} // namespace SecretStore

} // namespace Gantry
