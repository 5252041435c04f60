// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QString>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

class QObject;

namespace Gantry {

/// Passwords and passphrases, only in the system keychain (QtKeychain: Keychain on macOS,
/// the Secret Service on Linux). Nothing here writes a secret anywhere else.
namespace SecretStore {

inline QString service() { return QStringLiteral("Gantry"); }

/// A secret read: its value, nullopt when none is stored, or why the keychain failed.
using ReadResult = Result<std::optional<QString>>;

/// How long a blocking read may wait, and what ends it early. A keychain can take its
/// time (a locked login keychain shows a dialog) or never answer at all (a hung daemon):
/// no read waits for ever, and Cancel or quitting ends a read that is still waiting.
struct WaitLimits
{
    std::chrono::milliseconds timeout{defaultReadTimeout()};
    const std::atomic_bool *cancel = nullptr; ///< polled; true ends the wait (Cancelled)
    static constexpr std::chrono::milliseconds defaultReadTimeout() { return std::chrono::seconds(120); }
};

/// Blocking read for worker threads and the CLI: the secret, nullopt when none is stored,
/// or a Failure (the keychain failed; it did not answer within limits.timeout; cancelled).
/// On macOS it calls Security.framework's synchronous SecItemCopyMatching on a helper
/// thread (QtKeychain's Apple backend would post the answer to the main thread, which
/// the CLI and a quitting GUI block); elsewhere QtKeychain runs in a keychain thread of its own.
/// A read given up on is abandoned, never waited for: its late answer is discarded.
ReadResult readSecret(const QString &key, WaitLimits limits = {});
/// Blocking write and removal (removing a key that is not there succeeds).
Status write(const QString &key, const QString &secret);
Status remove(const QString &key);

/// Asynchronous, for the GUI thread: done() is called on context's thread.
void writeAsync(const QString &key, const QString &secret, QObject *context, std::function<void(const Status &)> done);
void removeAsync(const QString &key, QObject *context, std::function<void(const Status &)> done);
void readAsync(const QString &key, QObject *context, std::function<void(const ReadResult &)> done);

} // namespace SecretStore

} // namespace Gantry
