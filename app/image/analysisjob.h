// SPDX-License-Identifier: MIT
#pragma once

#include "imagereport.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <optional>

namespace Gantry {

class JobTracker;

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
    void failed(const Gantry::Failure &failure);

private:
    /// What a run ends with: the report, or the Failure that stopped it.
    struct Outcome
    {
        ImageReport report;
        std::optional<Failure> failure;
    };
    using Reader = std::function<Gantry::Result<ImageData>(const ImageArchive::Options &)>;
    void run(Reader read);

    JobTracker *m_jobs; ///< only the newest run's result counts
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace Gantry
