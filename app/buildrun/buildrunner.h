// SPDX-License-Identifier: MIT
#pragma once

#include "buildeventparser.h"
#include "buildevents.h"
#include "buildfailure.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace Gantry {

/// What to build and how.
struct BuildRequest
{
    QString contextDir;                ///< the build context (the repo root)
    QString dockerfile;                ///< relative to contextDir or absolute; empty: contextDir/Dockerfile
    QStringList platforms;             ///< e.g. {"linux/arm64"}; empty: the builder's own
    QString tag;                       ///< e.g. "hello-backend:latest"; empty: untagged (the image id is the ref)
    QMap<QString, QString> buildArgs;
    QString builder;                   ///< `--builder NAME`; empty: the current one. A docker context's
                                       ///< name runs as `docker --context NAME` (buildx 0.13 refuses
                                       ///< `--builder CONTEXT`): BuildRunner checks which it is.
    QString dockerContext;             ///< `docker --context NAME`; empty: the current one
    bool load = true;                  ///< `--load` the result into the engine
    bool noCache = false;
    QString progress = QStringLiteral("rawjson"); ///< "rawjson" (falls back to "plain" when refused) or "plain"
    QString docker = QStringLiteral("docker");
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    // For the history record
    QString projectRoot;
    QString recipeText;
    bool recordHistory = true;
    QString historyPath;               ///< empty: BuildHistory::defaultPath()

    /// The docker command line (without the program) this request runs.
    QStringList arguments(const QString &metadataFile, const QString &progressMode) const;
};

/// One platform's image of a build that made several (MultiPlatformBuild).
struct PlatformImage
{
    QString platform;        ///< "linux/arm64"
    QString tag;             ///< "hello:latest-arm64"
    QString imageId;         ///< sha256:...
    qint64 imageSize = -1;   ///< bytes
    qint64 durationMs = 0;
    int stepCount = 0;
    int cachedSteps = 0;
    qint64 historyId = -1;
};

/// How a build ended.
struct BuildResult
{
    enum class Outcome { Succeeded, Failed, Cancelled };
    Outcome outcome = Outcome::Failed;
    QDateTime started;
    qint64 durationMs = 0;
    QStringList platforms;
    QString tag;
    QString progressMode;     ///< what buildx really ran with
    QString builder;          ///< the `--builder` it ran with (empty: the context's own)
    QString dockerContext;    ///< the `docker --context` it ran with (empty: the current one)
    QList<BuildStep> steps;
    int stepCount = 0;        ///< steps excluding buildx's [internal] ones
    int cachedSteps = 0;
    QString imageId;          ///< sha256:... of the loaded image's config: its identity on every image store
    QString engineRef;        ///< what the engine calls it (docker image inspect .Id): the config digest on the
                              ///< classic store, the manifest's digest on the containerd store (Docker Desktop's default)
    qint64 imageSize = -1;    ///< bytes, as docker image inspect .Size
    QString imageRef;         ///< the tag, else the image id
    BuildFailure failure;
    QList<BuildWarning> warnings;
    qint64 historyId = -1;
    QString historyError;
    /// A build of several platforms: each platform's loaded image, in build order (empty
    /// for a one-platform build; imageId/imageSize/imageRef are then the first one's).
    QList<PlatformImage> images;

    bool succeeded() const { return outcome == Outcome::Succeeded; }
    QString resultName() const; ///< "succeeded" | "failed" | "cancelled"
    /// None, Cancelled, or the failure's class (EngineDown, CompileError, ...).
    ErrorClass errorClass() const
    {
        return outcome == Outcome::Succeeded ? ErrorClass::None
               : outcome == Outcome::Cancelled ? ErrorClass::Cancelled
                                               : failure.errorClass;
    }
    /// The summary line: "Built hello:latest in 12.3 s: 14 steps, 12 cached, image 2.85 MB (sha256:...)";
    /// for several platforms "Built 2 images in 1 min 05 s: hello:latest-amd64 (linux/amd64, 2.85 MB), ...".
    QString summary() const;
};

/// The tag under which a build keeps the image TAG named before it ("gantry-previous/<tag,
/// cleaned>:latest"), so "Compare with previous build" finds it on every image store.
QString previousBuildTag(const QString &tag);

/// Runs `docker buildx build` and reports its steps live. A job on the calling thread,
/// driven by QProcess signals (never blocks). cancel() stops the whole process tree
/// (docker runs buildx as a plugin child; both are in their own process group).
class BuildRunner : public QObject
{
    Q_OBJECT
public:
    explicit BuildRunner(QObject *parent = nullptr);
    ~BuildRunner() override;

    bool isRunning() const { return m_running; }
    const QList<BuildStep> &steps() const { return m_parser ? m_parser->steps() : m_emptySteps; }
    /// The process id of the running docker client (and of its process group), 0 if none.
    qint64 processId() const;
    const BuildRequest &request() const { return m_request; }

public Q_SLOTS:
    void start(const Gantry::BuildRequest &request);
    void cancel();

Q_SIGNALS:
    void started();
    /// A step was added (index == previous count) or changed.
    void stepUpdated(int index, const Gantry::BuildStep &step);
    void logAppended(int index, const QString &text);
    void warningReported(const Gantry::BuildWarning &warning);
    /// A line buildx printed that was not progress (e.g. "ERROR: ...").
    void messageLine(const QString &line);
    void progress(int done, int total);
    /// Always emitted once at the end (succeeded, failed or cancelled).
    void finished(const Gantry::BuildResult &result);
    /// Also emitted on failure (not on cancel): its class, cause and fix.
    void failed(const Gantry::Failure &failure);

private:
    void resolveBuilder();
    void keepPreviousImage();
    void runBeforeBuild(const QStringList &args, const std::function<void(bool ok, const QByteArray &output)> &then);
    void startProcess(const QString &progressMode);
    void readOutput();
    void dispatchChanges();
    void onProcessFinished(int exitCode, QProcess::ExitStatus status);
    void onProcessError(QProcess::ProcessError error);
    void inspectImage();
    QString engineName() const; ///< what `docker image inspect`/`save` find this build's untagged image by
    void complete();
    void signalGroup(int signal);

    BuildRequest m_request;
    std::unique_ptr<BuildEventParser> m_parser;
    QList<BuildStep> m_emptySteps;
    QPointer<QProcess> m_process;
    QPointer<QProcess> m_inspect;
    QPointer<QProcess> m_resolve;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    QElapsedTimer m_clock;
    BuildResult m_result;
    QString m_progressMode;
    qint64 m_pgid = 0;
    int m_lastDone = -1;
    int m_lastTotal = -1;
    bool m_running = false;
    bool m_cancelled = false;
    bool m_fellBack = false;
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::BuildRequest)
Q_DECLARE_METATYPE(Gantry::BuildResult)
Q_DECLARE_METATYPE(Gantry::PlatformImage)
