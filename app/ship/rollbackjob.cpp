// SPDX-License-Identifier: MIT
#include "rollbackjob.h"

#include "deployrecord.h"

#include <QPointer>
#include <QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace Gantry {

RollbackJob::RollbackJob(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Gantry::DeployOutcome>();
}

RollbackJob::~RollbackJob()
{
    cancel();
    m_future.waitForFinished();
}

void RollbackJob::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void RollbackJob::start(const ServerProfile &server, const SshOptions &options)
{
    if (m_running)
        return;
    m_running = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    QPointer<RollbackJob> self(this);
    SshOptions opts = options;
    if (m_responder) {
        // ssh's question comes in on the worker; the dialog runs on the job's thread.
        opts.responder = [self](const AskpassRequest &request) {
            AskpassReply reply;
            if (self)
                QMetaObject::invokeMethod(self.data(), [self, &reply, &request] {
                    if (self && self->m_responder)
                        reply = self->m_responder(request);
                }, Qt::BlockingQueuedConnection);
            return reply;
        };
    }
    auto cancelFlag = m_cancel;
    m_future = QtConcurrent::run([self, cancelFlag, server, opts] {
        const DeployOutcome outcome = rollbackServer(server, opts, [self](const QString &line) {
            if (self)
                QMetaObject::invokeMethod(self.data(), [self, line] { if (self) Q_EMIT self->progress(line); }, Qt::QueuedConnection);
        }, cancelFlag.get());
        if (!outcome.image.isEmpty())
            (void)recordDeploy(server, u"rollback"_s, outcome, 0);
        if (self)
            QMetaObject::invokeMethod(self.data(), [self, outcome] {
                if (!self)
                    return;
                self->m_running = false;
                Q_EMIT self->finished(outcome);
            }, Qt::QueuedConnection);
    });
}

} // namespace Gantry
