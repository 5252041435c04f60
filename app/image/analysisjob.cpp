// SPDX-License-Identifier: MIT
#include "analysisjob.h"

#include "util/jobtracker.h"

#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace Gantry {

AnalysisJob::AnalysisJob(QObject *parent)
    : QObject(parent)
    , m_jobs(new JobTracker(this))
{
    qRegisterMetaType<Gantry::ImageReport>();
}

AnalysisJob::~AnalysisJob()
{
    cancel();
    // Runs that were replaced were cancelled too; they stop at their next read.
    m_jobs->waitForAll();
}

void AnalysisJob::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

bool AnalysisJob::isRunning() const
{
    return m_jobs->isRunning();
}

void AnalysisJob::startFile(const QString &path)
{
    run([path](const ImageArchive::Options &options) { return ImageArchive::read(path, options); });
}

void AnalysisJob::startImage(const QString &dockerExecutable, const QString &imageRef)
{
    run([dockerExecutable, imageRef](const ImageArchive::Options &options) {
        return ImageArchive::readFromEngine(dockerExecutable, imageRef, options);
    });
}

void AnalysisJob::run(Reader read)
{
    cancel(); // a previous run stops at its next read, in the background
    m_cancel = std::make_shared<std::atomic_bool>(false);
    auto cancel = m_cancel;
    QPointer<AnalysisJob> self(this);
    Q_EMIT started();
    // A replaced run's result is dropped by the tracker (its cancel flag is set above).
    m_jobs->start([read, cancel, self]() {
        ImageArchive::Options options;
        options.cancel = cancel.get();
        options.progress = [self, cancel](qint64 done, qint64 total) {
            if (cancel->load())
                return;
            QMetaObject::invokeMethod(
                self, [self, done, total] {
                    if (self)
                        Q_EMIT self->progress(done, total);
                },
                Qt::QueuedConnection);
        };
        Outcome outcome;
        const Gantry::Result<ImageData> image = read(options);
        if (image)
            outcome.report = analyzeImage(*image);
        else
            outcome.failure = image.failure();
        return outcome;
    }, [this](const Outcome &outcome) {
        if (!outcome.failure)
            Q_EMIT finished(outcome.report);
        else
            Q_EMIT failed(*outcome.failure);
    });
}

} // namespace Gantry
