// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QString>

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>

namespace Gantry {

/// What one keychain look-up found.
struct KeychainAnswer
{
    enum Kind { Found, NotStored, Failed };
    Kind kind = Failed;
    QString value;  ///< Found: the secret
    QString detail; ///< Failed: the keychain's own words
};

/// Called once with a look-up's answer, from any thread.
using KeychainDone = std::function<void(KeychainAnswer)>;
/// Starts a look-up that will call done (on another thread, or later); must not block.
using KeychainStart = std::function<void(KeychainDone done)>;

/// Starts a keychain look-up and waits for its answer, but never longer than timeout and
/// never after *cancel became true. A look-up given up on is abandoned (it finishes, or
/// not, on its own; its answer is dropped), so neither a keychain that never answers nor
/// quitting while it is asked can hang the caller. The failures are one sentence each:
/// the keychain failed (with its words), it did not answer in time, or the wait was
/// cancelled (ErrorClass::Cancelled).
Result<std::optional<QString>> waitForKeychain(const KeychainStart &start, std::chrono::milliseconds timeout,
                                               const std::atomic_bool *cancel);

/// A start for a blocking look-up (Security.framework's SecItemCopyMatching): runs it on a
/// detached thread of its own.
KeychainStart onItsOwnThread(std::function<KeychainAnswer()> lookup);

/// Look-ups that were given up on and have not finished yet (for tests, and for a clean exit).
int abandonedKeychainLookups();

/// The pieces, for a look-up that waits in its own way (QtKeychain in the caller's event loop).
Result<std::optional<QString>> keychainResult(const KeychainAnswer &answer);
/// The keychain answered with an error (detail: its own words): the one sentence for it.
Failure keychainFailed(const QString &detail);
Failure keychainTimedOut(std::chrono::milliseconds timeout);
Failure keychainCancelled();
void keychainLookupAbandoned();    ///< one more look-up given up on
void keychainLookupFinishedLate(); ///< an abandoned look-up finished

} // namespace Gantry
