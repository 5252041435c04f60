// SPDX-License-Identifier: MIT
#pragma once

#include "imagereport.h"

#include <QFutureWatcher>
#include <QObject>

#include <atomic>
#include <memory>

namespace Gantry {

/// Reads and analyses an image off the calling thread (QtConcurrent). One job at a
/// time; starting again cancels the previous run.
class AnalysisJob : public QObject
{
    Q_OBJECT
public:
    explicit AnalysisJob(QObject *parent = nullptr);
    ~AnalysisJob() override;

    void startFile(const QString &path);
    /// `docker save` the image to a temporary file, then analyse it.
    void startImage(const QString &dockerExecutable, const QString &imageRef);
    void cancel();
    bool isRunning() const;

Q_SIGNALS:
    void started();
    void progress(qint64 done, qint64 total);
    void finished(const Gantry::ImageReport &report);
    void failed(const QString &error);

private:
    struct Result
    {
        bool ok = false;
        ImageReport report;
        QString error;
    };
    void run(std::function<bool(ImageData &, QString &, const ImageArchive::Options &)> read);

    QFutureWatcher<Result> *m_current = nullptr; ///< the run whose result counts
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace Gantry
