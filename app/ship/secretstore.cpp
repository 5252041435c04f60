// SPDX-License-Identifier: MIT
#include "secretstore.h"

#include "keychainwait.h"

#include <qt6keychain/keychain.h>

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QPointer>
#include <QTimer>

#include <memory>

using namespace Qt::StringLiterals;

namespace Gantry::SecretStore {

namespace {

Failure failureOf(const QKeychain::Job *job)
{
    return keychainFailed(job->errorString());
}

void runBlocking(QKeychain::Job *job)
{
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job->start();
    loop.exec();
}

#ifdef Q_OS_MACOS
} // namespace
KeychainAnswer appleKeychainLookup(const QString &service, const QString &key); // secretstore_apple.cpp
namespace {
#else
KeychainAnswer answerOf(const QKeychain::ReadPasswordJob &job)
{
    if (job.error() == QKeychain::NoError)
        return {KeychainAnswer::Found, job.textData(), {}};
    if (job.error() == QKeychain::EntryNotFound)
        return {KeychainAnswer::NotStored, {}, {}};
    return {KeychainAnswer::Failed, {}, job.errorString()};
}

/// QtKeychain in an event loop of the calling thread (where the Secret Service answers),
/// left as soon as the deadline passes or cancel is set; a job given up on deletes itself
/// whenever it finishes.
Result<std::optional<QString>> readWithQtKeychain(const QString &key, const WaitLimits &limits)
{
    auto *job = new QKeychain::ReadPasswordJob(service());
    job->setKey(key);
    auto givenUp = std::make_shared<bool>(false);
    std::optional<KeychainAnswer> answer;
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, job, [&answer, &loop, givenUp](QKeychain::Job *j) {
        if (*givenUp) {
            keychainLookupFinishedLate();
            return;
        }
        answer = answerOf(*static_cast<QKeychain::ReadPasswordJob *>(j));
        loop.quit();
    });
    const QDeadlineTimer deadline(limits.timeout);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (deadline.hasExpired() || (limits.cancel && limits.cancel->load()))
            loop.quit();
    });
    poll.start(50);
    job->start();
    loop.exec();
    if (answer)
        return keychainResult(*answer);
    *givenUp = true;
    keychainLookupAbandoned();
    if (limits.cancel && limits.cancel->load())
        return keychainCancelled();
    return keychainTimedOut(limits.timeout);
}
#endif

} // namespace

Result<std::optional<QString>> readSecret(const QString &key, WaitLimits limits)
{
#ifdef Q_OS_MACOS
    // Not QtKeychain: its Apple backend answers through the main thread's event loop.
    const KeychainStart start = onItsOwnThread([service = service(), key] { return appleKeychainLookup(service, key); });
    return waitForKeychain(start, limits.timeout, limits.cancel);
#else
    return readWithQtKeychain(key, limits);
#endif
}

Status write(const QString &key, const QString &secret)
{
    QKeychain::WritePasswordJob job(service());
    job.setAutoDelete(false);
    job.setKey(key);
    job.setTextData(secret);
    runBlocking(&job);
    if (job.error() != QKeychain::NoError)
        return failureOf(&job);
    return {};
}

Status remove(const QString &key)
{
    QKeychain::DeletePasswordJob job(service());
    job.setAutoDelete(false);
    job.setKey(key);
    runBlocking(&job);
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound)
        return failureOf(&job);
    return {};
}

void writeAsync(const QString &key, const QString &secret, QObject *context, std::function<void(const Status &)> done)
{
    auto *job = new QKeychain::WritePasswordJob(service());
    job->setKey(key);
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        if (done)
            done(j->error() == QKeychain::NoError ? Status() : Status(failureOf(j)));
    });
    job->start();
}

void removeAsync(const QString &key, QObject *context, std::function<void(const Status &)> done)
{
    auto *job = new QKeychain::DeletePasswordJob(service());
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        if (done)
            done(j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound ? Status() : Status(failureOf(j)));
    });
    job->start();
}

void readAsync(const QString &key, QObject *context, std::function<void(const ReadResult &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(service());
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        if (!done)
            return;
        if (j->error() == QKeychain::NoError)
            done(std::optional<QString>(static_cast<QKeychain::ReadPasswordJob *>(j)->textData()));
        else if (j->error() == QKeychain::EntryNotFound)
            done(std::optional<QString>());
        else
            done(failureOf(j));
    });
    job->start();
}

} // namespace Gantry::SecretStore
