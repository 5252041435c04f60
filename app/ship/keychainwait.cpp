// SPDX-License-Identifier: MIT
#include "keychainwait.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

std::atomic_int abandoned{0};

/// What the helper thread and the waiting thread share; the helper keeps it alive.
struct Pending
{
    std::mutex mutex;
    std::condition_variable answered;
    std::optional<KeychainAnswer> answer;
    bool givenUp = false;
};

} // namespace

Result<std::optional<QString>> keychainResult(const KeychainAnswer &a)
{
    switch (a.kind) {
    case KeychainAnswer::Found:
        return std::optional<QString>(a.value);
    case KeychainAnswer::NotStored:
        return std::optional<QString>();
    case KeychainAnswer::Failed:
        break;
    }
    return keychainFailed(a.detail);
}

Failure keychainFailed(const QString &detail)
{
    return Failure(ErrorClass::Other, u"The keychain failed (%1)"_s.arg(detail.isEmpty() ? u"no reason given"_s : detail),
                   u"Unlock it, or check that a keychain service is running."_s);
}

Failure keychainTimedOut(std::chrono::milliseconds timeout)
{
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout).count();
    return Failure(ErrorClass::Other, u"The keychain did not answer within %1 seconds"_s.arg(qMax<qint64>(1, seconds)),
                   u"Unlock it (its password dialog may be hidden behind other windows) or check that a keychain "
                   u"service is running, then try again."_s);
}

Failure keychainCancelled() { return Failure(ErrorClass::Cancelled, u"Reading the keychain was cancelled."_s); }
void keychainLookupAbandoned() { abandoned.fetch_add(1); }
void keychainLookupFinishedLate() { abandoned.fetch_sub(1); }

KeychainStart onItsOwnThread(std::function<KeychainAnswer()> lookup)
{
    return [lookup = std::move(lookup)](KeychainDone done) {
        std::thread([lookup, done = std::move(done)] { done(lookup()); }).detach();
    };
}

Result<std::optional<QString>> waitForKeychain(const KeychainStart &start, std::chrono::milliseconds timeout,
                                               const std::atomic_bool *cancel)
{
    auto pending = std::make_shared<Pending>();
    start([pending](KeychainAnswer a) {
        std::lock_guard lock(pending->mutex);
        if (pending->answer)
            return; // answered twice: the first one counts
        if (pending->givenUp)
            abandoned.fetch_sub(1);
        pending->answer = std::move(a);
        pending->answered.notify_all();
    });

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock lock(pending->mutex);
    for (;;) {
        if (pending->answer)
            return keychainResult(*pending->answer);
        const bool cancelled = cancel && cancel->load();
        if (cancelled || std::chrono::steady_clock::now() >= deadline) {
            pending->givenUp = true;
            abandoned.fetch_add(1);
            return cancelled ? keychainCancelled() : keychainTimedOut(timeout);
        }
        // Short slices: cancel is a flag, not a notification.
        pending->answered.wait_until(lock, std::min(deadline, std::chrono::steady_clock::now() + std::chrono::milliseconds(50)));
    }
}

int abandonedKeychainLookups() { return abandoned.load(); }

} // namespace Gantry
