// SPDX-License-Identifier: MIT
#pragma once

#include "askpass.h"
#include "exporter.h"
#include "serverprofile.h"
#include "shipper.h"

#include <QFuture>
#include <QObject>

#include <atomic>
#include <memory>

namespace Gantry {

/// Exports an image in a worker thread. Signals arrive on the job's (GUI) thread.
class ExportJob : public QObject
{
    Q_OBJECT
public:
    explicit ExportJob(QObject *parent = nullptr);
    ~ExportJob() override; ///< cancels and waits for the worker
    void start(const ExportOptions &options);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void started();
    void progress(const Gantry::ExportProgress &progress);
    void finished(const Gantry::ExportOutcome &outcome);

private:
    std::shared_ptr<std::atomic_bool> m_cancel;
    QFuture<void> m_future;
    bool m_running = false;
};

/// Ships one image to several servers at once (a worker thread each), or tests a connection.
class ShipJob : public QObject
{
    Q_OBJECT
public:
    explicit ShipJob(QObject *parent = nullptr);
    ~ShipJob() override;
    /// Called on the job's thread when ssh asks something the keychain cannot answer
    /// (the page shows a dialog). Empty: refused.
    void setResponder(AskpassResponder responder) { m_responder = std::move(responder); }
    void start(const QString &source, const QList<ServerProfile> &servers, const ShipOptions &options);
    void testConnection(const ServerProfile &server, const SshOptions &options);
    void cancel();
    bool isRunning() const { return m_running > 0; }

Q_SIGNALS:
    void started();
    void preparing(const QString &message);
    void progress(int serverIndex, const Gantry::ShipProgress &progress);
    void serverFinished(int serverIndex, const Gantry::ShipResult &result);
    void connectionTested(bool ok, const QString &message);
    void finished();
    /// The image could not be prepared, so no server was shipped to.
    void failed(const Gantry::Failure &failure);

private:
    SshOptions interactive(SshOptions options);
    void done();

    AskpassResponder m_responder;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QList<QFuture<void>> m_futures;
    int m_running = 0;
};

} // namespace Gantry
