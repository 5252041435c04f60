// SPDX-License-Identifier: MIT
#pragma once

#include "askpass.h"
#include "deployer.h"
#include "serverprofile.h"

#include <QFuture>
#include <QObject>

#include <atomic>
#include <memory>

namespace Gantry {

/// Roll Back on the Ship page: rollbackServer() in a worker thread, recorded in the deploy
/// history there. Signals arrive on the job's (GUI) thread.
class RollbackJob : public QObject
{
    Q_OBJECT
public:
    explicit RollbackJob(QObject *parent = nullptr);
    ~RollbackJob() override; ///< cancels (the previous container is put back) and waits
    /// Called on the job's thread for what the keychain cannot answer (a dialog). Empty: refused.
    void setResponder(AskpassResponder responder) { m_responder = std::move(responder); }
    void start(const ServerProfile &server, const SshOptions &options = {});
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progress(const QString &message);
    void finished(const Gantry::DeployOutcome &outcome);

private:
    AskpassResponder m_responder;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QFuture<void> m_future;
    bool m_running = false;
};

} // namespace Gantry
