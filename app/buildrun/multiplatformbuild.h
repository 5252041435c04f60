// SPDX-License-Identifier: MIT
#pragma once

#include "buildrunner.h"

#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

namespace Gantry {

/// "linux/arm64" → "arm64", "linux/arm/v7" → "arm-v7": the part of a platform a tag carries.
QString platformTagSuffix(const QString &platform);
/// The tag of one platform's image when a build makes several: "hello:latest" + "linux/arm64"
/// → "hello:latest-arm64"; "hello" → "hello:latest-arm64"; "reg:5000/hello" → "reg:5000/hello:latest-arm64".
QString platformImageTag(const QString &tag, const QString &platform);

/// Builds every platform of a request, one after the other, each loaded into the engine under
/// its own tag (platformImageTag), because the classic image store cannot --load a
/// multi-platform image. With one platform (or none) it is exactly one BuildRunner build with
/// the request's own tag.
///
/// Its steps are numbered across the platforms (the second platform's first step follows the
/// first platform's last one), and each step of a stage carries its platform, so one tree can
/// show them grouped by platform. Each platform's build writes its own history record.
/// cancel() stops the build that runs and starts no other.
class MultiPlatformBuild : public QObject
{
    Q_OBJECT
public:
    explicit MultiPlatformBuild(QObject *parent = nullptr);
    ~MultiPlatformBuild() override;

    bool isRunning() const { return m_running; }
    /// The platforms of the run (empty: the builder's own, one build).
    const QStringList &platforms() const { return m_platforms; }
    int platformCount() const { return std::max<int>(1, int(m_platforms.size())); }
    /// 0-based index of the platform building now (or last built).
    int platformIndex() const { return m_index; }
    QString currentPlatform() const { return m_platforms.value(m_index); }
    /// The tag the platform's image gets.
    QString tagFor(int platformIndex) const;
    /// Every step so far, with the numbering of stepUpdated.
    QList<BuildStep> steps() const;
    /// The docker client's process id of the build that runs, 0 if none.
    qint64 processId() const { return m_runner->processId(); }
    const BuildRequest &request() const { return m_request; }
    /// "2 of 2: linux/arm64"; empty for a one-platform build.
    QString platformLabel() const;

public Q_SLOTS:
    void start(const Gantry::BuildRequest &request);
    void cancel();

Q_SIGNALS:
    void started();
    /// A platform's build starts (index 0-based of count).
    void platformStarted(int index, int count, const QString &platform, const QString &tag);
    void stepUpdated(int index, const Gantry::BuildStep &step);
    void logAppended(int index, const QString &text);
    void warningReported(const Gantry::BuildWarning &warning);
    void messageLine(const QString &line);
    /// Steps done / known of the platform building now.
    void progress(int done, int total);
    /// A platform's build ended (its own result, its own step numbering).
    void platformFinished(int index, const Gantry::BuildResult &result);
    /// Always once at the end: for several platforms a result over all of them (steps
    /// numbered as in stepUpdated, images lists each platform's image).
    void finished(const Gantry::BuildResult &result);
    /// Also emitted on failure (not on cancel): one sentence, cause and fix.
    void failed(const Gantry::Failure &failure);

private:
    void startPlatform();
    void onRunnerFinished(const BuildResult &result);
    void finish(BuildResult::Outcome outcome);
    BuildStep withPlatform(BuildStep step) const;
    BuildResult combined(BuildResult::Outcome outcome) const;

    BuildRunner *m_runner;
    BuildRequest m_request;
    QStringList m_platforms;
    QList<BuildResult> m_results;
    int m_index = 0;
    int m_offset = 0;        ///< step number of the running platform's first step
    bool m_running = false;
    bool m_cancelled = false;
    QElapsedTimer m_clock;
    QDateTime m_started;
};

} // namespace Gantry
