// SPDX-License-Identifier: MIT
#include "shipjobs.h"

#include <QMutex>
#include <QPointer>
#include <QThreadPool>
#include <QWaitCondition>
#include <QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {
/// Ship work blocks on ssh and disks, not on CPUs: its own pool, so that several servers,
/// an export and the preparation never wait for each other on a 2-core machine.
QThreadPool *shipPool()
{
    static QThreadPool *pool = [] {
        auto *p = new QThreadPool;
        p->setMaxThreadCount(32);
        return p;
    }();
    return pool;
}
} // namespace

ExportJob::ExportJob(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Gantry::ExportProgress>();
    qRegisterMetaType<Gantry::ExportOutcome>();
}

ExportJob::~ExportJob()
{
    cancel();
    m_future.waitForFinished();
}

void ExportJob::start(const ExportOptions &options)
{
    if (m_running)
        return;
    m_running = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    Q_EMIT started();
    QPointer<ExportJob> self(this);
    auto cancelFlag = m_cancel;
    m_future = QtConcurrent::run(shipPool(), [self, cancelFlag, options] {
        const ExportOutcome r = exportImage(options, [self](const ExportProgress &p) {
            if (self)
                QMetaObject::invokeMethod(self.data(), [self, p] { if (self) Q_EMIT self->progress(p); }, Qt::QueuedConnection);
        }, cancelFlag.get());
        if (self)
            QMetaObject::invokeMethod(self.data(), [self, r] {
                if (!self)
                    return;
                self->m_running = false;
                Q_EMIT self->finished(r);
            }, Qt::QueuedConnection);
    });
}

void ExportJob::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

ShipJob::ShipJob(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Gantry::ShipProgress>();
    qRegisterMetaType<Gantry::ShipResult>();
}

ShipJob::~ShipJob()
{
    cancel();
    for (auto &f : m_futures)
        f.waitForFinished();
}

void ShipJob::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

SshOptions ShipJob::interactive(SshOptions options)
{
    if (!m_responder)
        return options;
    QPointer<ShipJob> self(this);
    auto cancelFlag = m_cancel;
    // ssh's question comes in on a worker thread; the dialog must run on ours. The worker
    // waits for the answer, but not past a cancel: ~ShipJob() cancels and then waits for the
    // workers on this thread, so a blocking queued call here would deadlock it.
    options.responder = [self, cancelFlag](const AskpassRequest &request) {
        struct Pending
        {
            QMutex mutex;
            QWaitCondition answered;
            bool done = false;
            AskpassReply reply;
        };
        auto pending = std::make_shared<Pending>();
        if (!self || !QMetaObject::invokeMethod(self.data(), [self, pending, request] {
                AskpassReply reply;
                if (self && self->m_responder)
                    reply = self->m_responder(request);
                QMutexLocker lock(&pending->mutex);
                pending->reply = reply;
                pending->done = true;
                pending->answered.wakeAll();
            }, Qt::QueuedConnection))
            return AskpassReply{};
        QMutexLocker lock(&pending->mutex);
        while (!pending->done && !(cancelFlag && cancelFlag->load()))
            pending->answered.wait(&pending->mutex, 100);
        return pending->done ? pending->reply : AskpassReply{};
    };
    return options;
}

void ShipJob::done()
{
    if (--m_running == 0) {
        m_futures.clear();
        Q_EMIT finished();
    }
}

void ShipJob::start(const QString &source, const QList<ServerProfile> &servers, const ShipOptions &options)
{
    if (m_running)
        return;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_running = 1;
    Q_EMIT started();
    ShipOptions opts = options;
    opts.ssh = interactive(opts.ssh);
    QPointer<ShipJob> self(this);
    auto cancelFlag = m_cancel;
    m_futures << QtConcurrent::run(shipPool(), [self, cancelFlag, source, servers, opts] {
        const auto prepared = prepareImage(source, opts, [self](const ShipProgress &p) {
            if (self)
                QMetaObject::invokeMethod(self.data(), [self, p] { if (self) Q_EMIT self->preparing(p.message); }, Qt::QueuedConnection);
        }, cancelFlag.get());
        if (!prepared) {
            const Failure failure = prepared.failure();
            if (self)
                QMetaObject::invokeMethod(self.data(), [self, failure] {
                    if (!self)
                        return;
                    Q_EMIT self->failed(failure);
                    self->done();
                }, Qt::QueuedConnection);
            return;
        }
        const std::shared_ptr<const PreparedImage> image = *prepared;
        // One worker per server, all at once.
        QList<QFuture<void>> perServer;
        for (int i = 0; i < servers.size(); ++i) {
            perServer << QtConcurrent::run(shipPool(), [self, cancelFlag, image, server = servers.at(i), opts, i] {
                const ShipResult r = shipImage(*image, server, opts, [self, i](const ShipProgress &p) {
                    if (self)
                        QMetaObject::invokeMethod(self.data(), [self, i, p] { if (self) Q_EMIT self->progress(i, p); }, Qt::QueuedConnection);
                }, cancelFlag.get());
                if (self)
                    QMetaObject::invokeMethod(self.data(), [self, i, r] { if (self) Q_EMIT self->serverFinished(i, r); }, Qt::QueuedConnection);
            });
        }
        for (auto &f : perServer)
            f.waitForFinished();
        if (self)
            QMetaObject::invokeMethod(self.data(), [self] { if (self) self->done(); }, Qt::QueuedConnection);
    });
}

void ShipJob::testConnection(const ServerProfile &server, const SshOptions &options)
{
    if (m_running)
        return;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    m_running = 1;
    Q_EMIT started();
    const SshOptions opts = interactive(options);
    QPointer<ShipJob> self(this);
    auto cancelFlag = m_cancel;
    m_futures << QtConcurrent::run(shipPool(), [self, cancelFlag, server, opts] {
        const Result<QString> checked = checkServer(server, opts, cancelFlag.get());
        const bool ok = checked.ok();
        const QString message = ok ? *checked : checked.failure().sentence();
        if (self)
            QMetaObject::invokeMethod(self.data(), [self, ok, message] {
                if (!self)
                    return;
                Q_EMIT self->connectionTested(ok, message);
                self->done();
            }, Qt::QueuedConnection);
    });
}

} // namespace Gantry
