// SPDX-License-Identifier: MIT
#include "secretstore.h"

#include <qt6keychain/keychain.h>

#include <QEventLoop>
#include <QPointer>

using namespace Qt::StringLiterals;

namespace Gantry::SecretStore {

namespace {

QString describe(const QKeychain::Job *job)
{
    return u"The keychain failed (%1): unlock it or check that a keychain service is running."_s.arg(job->errorString());
}

void runBlocking(QKeychain::Job *job)
{
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job->start();
    loop.exec();
}

} // namespace

ReadResult read(const QString &key)
{
    QKeychain::ReadPasswordJob job(service());
    job.setAutoDelete(false);
    job.setKey(key);
    runBlocking(&job);
    ReadResult r;
    if (job.error() == QKeychain::NoError)
        r.value = job.textData();
    else if (job.error() != QKeychain::EntryNotFound)
        r.error = describe(&job);
    return r;
}

bool write(const QString &key, const QString &secret, QString *error)
{
    QKeychain::WritePasswordJob job(service());
    job.setAutoDelete(false);
    job.setKey(key);
    job.setTextData(secret);
    runBlocking(&job);
    if (job.error() != QKeychain::NoError) {
        if (error)
            *error = describe(&job);
        return false;
    }
    return true;
}

bool remove(const QString &key, QString *error)
{
    QKeychain::DeletePasswordJob job(service());
    job.setAutoDelete(false);
    job.setKey(key);
    runBlocking(&job);
    if (job.error() != QKeychain::NoError && job.error() != QKeychain::EntryNotFound) {
        if (error)
            *error = describe(&job);
        return false;
    }
    return true;
}

void writeAsync(const QString &key, const QString &secret, QObject *context, std::function<void(const QString &)> done)
{
    auto *job = new QKeychain::WritePasswordJob(service());
    job->setKey(key);
    job->setTextData(secret);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        if (done)
            done(j->error() == QKeychain::NoError ? QString() : describe(j));
    });
    job->start();
}

void removeAsync(const QString &key, QObject *context, std::function<void(const QString &)> done)
{
    auto *job = new QKeychain::DeletePasswordJob(service());
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        if (done)
            done(j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound ? QString() : describe(j));
    });
    job->start();
}

void readAsync(const QString &key, QObject *context, std::function<void(const ReadResult &)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(service());
    job->setKey(key);
    QObject::connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *j) {
        ReadResult r;
        if (j->error() == QKeychain::NoError)
            r.value = static_cast<QKeychain::ReadPasswordJob *>(j)->textData();
        else if (j->error() != QKeychain::EntryNotFound)
            r.error = describe(j);
        if (done)
            done(r);
    });
    job->start();
}

} // namespace Gantry::SecretStore
