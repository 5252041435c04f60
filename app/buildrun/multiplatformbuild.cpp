// SPDX-License-Identifier: MIT
#include "multiplatformbuild.h"

using namespace Qt::StringLiterals;

namespace Gantry {

QString platformTagSuffix(const QString &platform)
{
    QStringList parts = platform.split(u'/', Qt::SkipEmptyParts);
    if (parts.size() > 1)
        parts.removeFirst(); // the OS: every image here is linux
    QString suffix = parts.join(u'-').toLower();
    for (QChar &c : suffix)
        if (!(c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.'))
            c = u'-';
    return suffix;
}

QString platformImageTag(const QString &tag, const QString &platform)
{
    const QString suffix = platformTagSuffix(platform);
    if (tag.isEmpty() || suffix.isEmpty())
        return tag;
    // The tag is after the last ':' that follows the last '/' (a registry may have a port).
    const qsizetype slash = tag.lastIndexOf(u'/');
    const qsizetype colon = tag.lastIndexOf(u':');
    if (colon > slash)
        return tag + u'-' + suffix;
    return tag + u":latest-"_s + suffix;
}

MultiPlatformBuild::MultiPlatformBuild(QObject *parent)
    : QObject(parent)
    , m_runner(new BuildRunner(this))
{
    qRegisterMetaType<Gantry::PlatformImage>();
    connect(m_runner, &BuildRunner::stepUpdated, this, [this](int index, const BuildStep &step) {
        Q_EMIT stepUpdated(m_offset + index, withPlatform(step));
    });
    connect(m_runner, &BuildRunner::logAppended, this, [this](int index, const QString &text) {
        Q_EMIT logAppended(index < 0 ? index : m_offset + index, text);
    });
    connect(m_runner, &BuildRunner::warningReported, this, &MultiPlatformBuild::warningReported);
    connect(m_runner, &BuildRunner::messageLine, this, &MultiPlatformBuild::messageLine);
    connect(m_runner, &BuildRunner::progress, this, &MultiPlatformBuild::progress);
    connect(m_runner, &BuildRunner::finished, this, &MultiPlatformBuild::onRunnerFinished);
}

MultiPlatformBuild::~MultiPlatformBuild()
{
    blockSignals(true);
}

QString MultiPlatformBuild::tagFor(int platformIndex) const
{
    if (m_platforms.size() <= 1)
        return m_request.tag;
    return platformImageTag(m_request.tag, m_platforms.value(platformIndex));
}

QString MultiPlatformBuild::platformLabel() const
{
    if (m_platforms.size() <= 1)
        return {};
    return tr("%1 of %2: %3").arg(m_index + 1).arg(m_platforms.size()).arg(currentPlatform());
}

BuildStep MultiPlatformBuild::withPlatform(BuildStep step) const
{
    // buildx names a step's platform only when one build makes several; here each build
    // makes one, so say which.
    if (m_platforms.size() > 1 && step.platform.isEmpty() && !step.isInternal())
        step.platform = currentPlatform();
    return step;
}

QList<BuildStep> MultiPlatformBuild::steps() const
{
    QList<BuildStep> out;
    for (int i = 0; i < m_results.size(); ++i) {
        for (BuildStep s : m_results.at(i).steps) {
            if (m_platforms.size() > 1 && s.platform.isEmpty() && !s.isInternal())
                s.platform = m_platforms.value(i);
            out << s;
        }
    }
    if (m_runner->isRunning()) {
        for (const BuildStep &s : m_runner->steps())
            out << withPlatform(s);
    }
    return out;
}

void MultiPlatformBuild::start(const BuildRequest &request)
{
    if (m_running)
        return;
    m_request = request;
    m_platforms = request.platforms;
    m_platforms.removeDuplicates();
    m_results.clear();
    m_index = 0;
    m_offset = 0;
    m_cancelled = false;
    m_running = true;
    m_started = QDateTime::currentDateTimeUtc();
    m_clock.start();
    Q_EMIT started();
    startPlatform();
}

void MultiPlatformBuild::startPlatform()
{
    BuildRequest r = m_request;
    if (m_platforms.size() > 1) {
        r.platforms = {m_platforms.at(m_index)};
        r.tag = tagFor(m_index);
    }
    Q_EMIT platformStarted(m_index, platformCount(), m_platforms.value(m_index), r.tag);
    if (m_cancelled) { // stopped from a slot of platformStarted
        finish(BuildResult::Outcome::Cancelled);
        return;
    }
    m_runner->start(r);
}

void MultiPlatformBuild::cancel()
{
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    m_runner->cancel();
}

void MultiPlatformBuild::onRunnerFinished(const BuildResult &result)
{
    if (!m_running)
        return;
    m_results << result;
    Q_EMIT platformFinished(m_index, result);
    if (m_platforms.size() <= 1) {
        // One platform: exactly the runner's result.
        m_running = false;
        if (result.outcome == BuildResult::Outcome::Failed)
            Q_EMIT failed(result.failure);
        Q_EMIT finished(result);
        return;
    }
    if (result.succeeded() && !m_cancelled && m_index + 1 < m_platforms.size()) {
        m_offset += int(result.steps.size());
        ++m_index;
        // The next platform once the runner is out of its finished() emission.
        QMetaObject::invokeMethod(this, [this] {
            if (m_cancelled)
                finish(BuildResult::Outcome::Cancelled);
            else
                startPlatform();
        }, Qt::QueuedConnection);
        return;
    }
    finish(m_cancelled || result.outcome == BuildResult::Outcome::Cancelled ? BuildResult::Outcome::Cancelled : result.outcome);
}

void MultiPlatformBuild::finish(BuildResult::Outcome outcome)
{
    const BuildResult all = combined(outcome);
    m_running = false;
    if (all.outcome == BuildResult::Outcome::Failed)
        Q_EMIT failed(all.failure);
    Q_EMIT finished(all);
}

BuildResult MultiPlatformBuild::combined(BuildResult::Outcome outcome) const
{
    BuildResult all;
    all.outcome = outcome;
    all.started = m_started;
    all.durationMs = m_clock.elapsed();
    all.platforms = m_platforms;
    all.tag = m_request.tag;
    all.steps = steps();
    int offset = 0;
    for (int i = 0; i < m_results.size(); ++i) {
        const BuildResult &r = m_results.at(i);
        all.progressMode = r.progressMode;
        all.stepCount += r.stepCount;
        all.cachedSteps += r.cachedSteps;
        all.warnings << r.warnings;
        if (r.historyId >= 0)
            all.historyId = r.historyId;
        if (all.historyError.isEmpty())
            all.historyError = r.historyError;
        if (r.succeeded()) {
            PlatformImage image;
            image.platform = m_platforms.value(i);
            image.tag = r.tag;
            image.imageId = r.imageId;
            image.imageSize = r.imageSize;
            image.durationMs = r.durationMs;
            image.stepCount = r.stepCount;
            image.cachedSteps = r.cachedSteps;
            image.historyId = r.historyId;
            all.images << image;
        }
        if (r.outcome == BuildResult::Outcome::Failed) {
            all.failure = r.failure;
            if (all.failure.stepIndex >= 0)
                all.failure.stepIndex += offset;
            all.failure.cause = tr("Building %1 (%2 of %3): %4")
                                    .arg(m_platforms.value(i))
                                    .arg(i + 1)
                                    .arg(m_platforms.size())
                                    .arg(r.failure.cause);
        }
        offset += int(r.steps.size());
    }
    if (!all.images.isEmpty()) {
        // Inspect and Ship take the first platform's image (the recipe's first: the server's).
        const PlatformImage &first = all.images.constFirst();
        all.imageId = first.imageId;
        all.imageSize = first.imageSize;
        all.imageRef = first.tag.isEmpty() ? first.imageId : first.tag;
    }
    return all;
}

} // namespace Gantry
