// SPDX-License-Identifier: MIT
#include "buildrunner.h"

#include "buildhistory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTimer>

#ifdef Q_OS_UNIX
#include <csignal>
#include <functional>
#include <sys/types.h>
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace Gantry {

QStringList BuildRequest::arguments(const QString &metadataFile, const QString &progressMode) const
{
    QStringList args;
    if (!dockerContext.isEmpty())
        args << u"--context"_s << dockerContext;
    args << u"buildx"_s << u"build"_s << u"--progress=%1"_s.arg(progressMode);
    if (!builder.isEmpty())
        args << u"--builder"_s << builder;
    if (!platforms.isEmpty())
        args << u"--platform"_s << platforms.join(u',');
    if (!tag.isEmpty())
        args << u"--tag"_s << tag;
    for (auto it = buildArgs.cbegin(); it != buildArgs.cend(); ++it)
        args << u"--build-arg"_s << it.key() + u'=' + it.value();
    if (!dockerfile.isEmpty()) {
        const QString file = QFileInfo(dockerfile).isAbsolute() ? dockerfile : QDir(contextDir).filePath(dockerfile);
        args << u"--file"_s << file;
    }
    if (load)
        args << u"--load"_s;
    if (noCache)
        args << u"--no-cache"_s;
    if (!metadataFile.isEmpty())
        args << u"--metadata-file"_s << metadataFile;
    args << contextDir;
    return args;
}

QString BuildResult::resultName() const
{
    switch (outcome) {
    case Outcome::Succeeded: return u"succeeded"_s;
    case Outcome::Failed: return u"failed"_s;
    case Outcome::Cancelled: return u"cancelled"_s;
    }
    return {};
}

QString BuildResult::summary() const
{
    if (outcome == Outcome::Cancelled)
        return u"Build cancelled after %1."_s.arg(formatDuration(durationMs));
    if (outcome == Outcome::Failed)
        return u"Build failed after %1: %2"_s.arg(formatDuration(durationMs), failure.sentence());
    if (images.size() > 1) {
        QStringList list;
        for (const PlatformImage &i : images)
            list << u"%1 (%2, %3)"_s.arg(i.tag, i.platform, i.imageSize >= 0 ? formatBytes(i.imageSize) : u"size unknown"_s);
        return u"Built %1 images in %2: %3; %4 steps, %5 cached."_s.arg(images.size())
            .arg(formatDuration(durationMs), list.join(u", "_s))
            .arg(stepCount)
            .arg(cachedSteps);
    }
    QString s = u"Built %1 in %2: %3 steps, %4 cached"_s.arg(imageRef, formatDuration(durationMs)).arg(stepCount).arg(cachedSteps);
    if (imageSize >= 0)
        s += u", image %1"_s.arg(formatBytes(imageSize));
    if (!imageId.isEmpty() && imageId != imageRef)
        s += u" (%1)"_s.arg(imageId.left(19));
    return s + u'.';
}

BuildRunner::BuildRunner(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Gantry::BuildStep>();
    qRegisterMetaType<Gantry::BuildResult>();
    qRegisterMetaType<Gantry::BuildWarning>();
}

BuildRunner::~BuildRunner()
{
    // Whoever listens may be half destroyed already: no more signals from here on.
    blockSignals(true);
    if (m_process)
        m_process->disconnect(this);
    if (m_inspect)
        m_inspect->disconnect(this);
    if (m_resolve) {
        m_resolve->disconnect(this);
        if (m_resolve->state() != QProcess::NotRunning) {
            m_resolve->kill();
            m_resolve->waitForFinished(3000);
        }
    }
    if (m_process && m_process->state() != QProcess::NotRunning) {
        // Leave nothing behind: the whole group goes.
        signalGroup(SIGKILL);
        m_process->waitForFinished(3000);
    }
    if (m_inspect && m_inspect->state() != QProcess::NotRunning) {
        m_inspect->kill();
        m_inspect->waitForFinished(3000);
    }
}

qint64 BuildRunner::processId() const
{
    return m_process ? m_process->processId() : 0;
}

void BuildRunner::start(const BuildRequest &request)
{
    if (m_running)
        return;
    m_request = request;
    m_result = {};
    m_result.platforms = request.platforms;
    m_result.tag = request.tag;
    m_result.started = QDateTime::currentDateTimeUtc();
    m_cancelled = false;
    m_fellBack = false;
    m_running = true;
    m_clock.start();
    m_tempDir = std::make_unique<QTemporaryDir>();
    Q_EMIT started();
    if (!m_request.builder.isEmpty() && m_request.dockerContext.isEmpty())
        resolveBuilder();
    else
        keepPreviousImage();
}

QString previousBuildTag(const QString &tag)
{
    QString name = tag.toLower();
    name.replace(QRegularExpression(u"[^a-z0-9]+"_s), u"-"_s);
    name.remove(QRegularExpression(u"^-+|-+$"_s));
    return name.isEmpty() ? QString() : u"gantry-previous/"_s + name.left(120) + u":latest"_s;
}

void BuildRunner::keepPreviousImage()
{
    // The image the tag names now is the one "Compare with previous build" will ask for. The
    // classic store keeps it (dangling) when the tag moves; the containerd store (Docker
    // Desktop's default) deletes it. A tag of Gantry's own keeps it on both; the next build
    // moves that tag on, so one previous image per tag is kept, no more.
    const QString keep = previousBuildTag(m_request.tag);
    if (!m_request.load || keep.isEmpty()) {
        startProcess(m_request.progress == u"plain"_s ? u"plain"_s : u"rawjson"_s);
        return;
    }
    QStringList args;
    if (!m_request.dockerContext.isEmpty())
        args << u"--context"_s << m_request.dockerContext;
    args << u"tag"_s << m_request.tag << keep;
    // No image under the tag yet (a first build) is fine: nothing to keep.
    runBeforeBuild(args, [this](bool, const QByteArray &) {
        startProcess(m_request.progress == u"plain"_s ? u"plain"_s : u"rawjson"_s);
    });
}

void BuildRunner::resolveBuilder()
{
    // Is the builder a docker context? buildx 0.13 answers `--builder CONTEXT` with "use
    // `docker --context=CONTEXT buildx` to switch to context", so a context goes first.
    runBeforeBuild({u"context"_s, u"inspect"_s, u"--format"_s, u"{{.Name}}"_s, m_request.builder},
                   [this](bool ok, const QByteArray &out) {
                       if (ok && !out.trimmed().isEmpty()) {
                           m_request.dockerContext = m_request.builder;
                           m_request.builder.clear();
                       }
                       keepPreviousImage();
                   });
}

void BuildRunner::runBeforeBuild(const QStringList &args, const std::function<void(bool, const QByteArray &)> &then)
{
    // A short docker command before buildx: cancel() kills it, and a cancelled build ends
    // here instead of going on. A docker that cannot start is left for the build to report.
    auto *side = new QProcess(this);
    m_resolve = side;
    side->setProcessEnvironment(m_request.environment);
    auto proceed = [this, side, then](bool ok) {
        side->deleteLater();
        if (side != m_resolve)
            return;
        m_resolve = nullptr;
        if (m_cancelled) {
            m_result.outcome = BuildResult::Outcome::Cancelled;
            complete();
            return;
        }
        then(ok, ok ? side->readAllStandardOutput() : QByteArray());
    };
    connect(side, &QProcess::finished, this, [proceed](int code, QProcess::ExitStatus status) {
        proceed(status == QProcess::NormalExit && code == 0);
    });
    connect(side, &QProcess::errorOccurred, this, [proceed](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            proceed(false);
    });
    side->start(m_request.docker, args);
}

void BuildRunner::startProcess(const QString &progressMode)
{
    m_progressMode = progressMode;
    m_parser = std::make_unique<BuildEventParser>();
    m_lastDone = m_lastTotal = -1;
    m_pgid = 0;
    auto *process = new QProcess(this);
    m_process = process;
    QProcessEnvironment env = m_request.environment;
    env.remove(u"BUILDKIT_PROGRESS"_s);
    process->setProcessEnvironment(env);
    process->setWorkingDirectory(m_request.contextDir);
#ifdef Q_OS_UNIX
    // Its own process group, so cancel reaches docker and its buildx plugin child, and a
    // Ctrl-C in the terminal reaches only gantry (which then cancels cleanly).
    process->setChildProcessModifier([] { ::setpgid(0, 0); });
#endif
    connect(process, &QProcess::readyReadStandardError, this, &BuildRunner::readOutput);
    connect(process, &QProcess::readyReadStandardOutput, this, &BuildRunner::readOutput);
    connect(process, &QProcess::finished, this, &BuildRunner::onProcessFinished);
    connect(process, &QProcess::errorOccurred, this, &BuildRunner::onProcessError);
    const QString metadata = m_tempDir->isValid() ? m_tempDir->filePath(u"metadata.json"_s) : QString();
    connect(process, &QProcess::started, this, [this, process] {
        if (process == m_process)
            m_pgid = process->processId();
    });
    process->start(m_request.docker, m_request.arguments(metadata, progressMode));
    if (process->state() != QProcess::NotRunning)
        m_pgid = process->processId();
}

void BuildRunner::signalGroup(int signal)
{
#ifdef Q_OS_UNIX
    const qint64 pid = m_pgid ? m_pgid : (m_process ? m_process->processId() : 0);
    if (pid > 0)
        ::kill(-pid_t(pid), signal);
#else
    Q_UNUSED(signal)
    if (m_process)
        m_process->kill();
#endif
}

void BuildRunner::cancel()
{
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    if (m_resolve && m_resolve->state() != QProcess::NotRunning)
        m_resolve->kill();
    if (m_inspect && m_inspect->state() != QProcess::NotRunning)
        m_inspect->kill();
    if (m_process && m_process->state() != QProcess::NotRunning) {
        if (!m_pgid)
            m_pgid = m_process->processId();
        // SIGINT lets buildx cancel the solve on the engine; SIGKILL whatever is left after 5 s.
        signalGroup(SIGINT);
        QTimer::singleShot(5000, this, [this, process = m_process] {
            if (process && process == m_process && process->state() != QProcess::NotRunning)
                signalGroup(SIGKILL);
        });
    }
}

void BuildRunner::readOutput()
{
    if (!m_process || sender() != m_process)
        return;
    m_parser->feed(m_process->readAllStandardError());
    const QByteArray out = m_process->readAllStandardOutput();
    if (!out.isEmpty())
        m_parser->feed(out);
    dispatchChanges();
}

void BuildRunner::dispatchChanges()
{
    const BuildEventParser::Changes changes = m_parser->takeChanges();
    if (changes.isEmpty())
        return;
    const QList<BuildStep> &steps = m_parser->steps();
    for (int index : changes.steps)
        Q_EMIT stepUpdated(index, steps.at(index));
    for (const auto &[index, text] : changes.logs)
        Q_EMIT logAppended(index, text);
    for (const BuildWarning &w : changes.warnings)
        Q_EMIT warningReported(w);
    for (const QString &line : changes.textLines)
        Q_EMIT messageLine(line);
    const int done = m_parser->finishedStepCount();
    const int total = m_parser->visibleStepCount();
    if (done != m_lastDone || total != m_lastTotal) {
        m_lastDone = done;
        m_lastTotal = total;
        Q_EMIT progress(done, total);
    }
}

void BuildRunner::onProcessError(QProcess::ProcessError error)
{
    if (error != QProcess::FailedToStart || !m_process || sender() != m_process)
        return;
    m_process->deleteLater();
    m_process = nullptr;
    m_result.outcome = BuildResult::Outcome::Failed;
    m_result.failure.errorClass = ErrorClass::DockerMissing;
    m_result.failure.cause = u"docker could not be started (%1)."_s.arg(m_request.docker);
    m_result.failure.fix = u"Install Docker, or choose the docker program in Preferences, and build again."_s;
    complete();
}

void BuildRunner::onProcessFinished(int exitCode, QProcess::ExitStatus status)
{
    QProcess *process = m_process;
    if (!process || sender() != process)
        return;
    m_parser->feed(process->readAllStandardError());
    m_parser->feed(process->readAllStandardOutput());
    m_parser->finish(m_cancelled);
    dispatchChanges();
    process->deleteLater();
    m_process = nullptr;
    if (m_cancelled) {
        signalGroup(SIGKILL); // a plugin child that outlived docker
        m_result.outcome = BuildResult::Outcome::Cancelled;
        complete();
        return;
    }
    const bool ok = status == QProcess::NormalExit && exitCode == 0;
    if (!ok && !m_fellBack && m_progressMode == u"rawjson"_s && !m_parser->sawRawJson() && m_parser->steps().isEmpty()
        && m_parser->textLines().join(u'\n').contains(u"progress"_s, Qt::CaseInsensitive)) {
        // An older buildx that does not know rawjson: the same build with plain progress.
        m_fellBack = true;
        Q_EMIT messageLine(u"buildx does not support --progress=rawjson here; using --progress=plain."_s);
        startProcess(u"plain"_s);
        return;
    }
    if (!ok) {
        m_result.outcome = BuildResult::Outcome::Failed;
        m_result.failure = classifyBuildFailure(m_parser->steps(), m_parser->failedStepIndex(), m_parser->textLines(),
                                                m_request.platforms);
        complete();
        return;
    }
    m_result.outcome = BuildResult::Outcome::Succeeded;
    // The image id from the exporter's response.
    QFile metadata(m_tempDir ? m_tempDir->filePath(u"metadata.json"_s) : QString());
    if (metadata.open(QIODevice::ReadOnly)) {
        const QJsonObject o = QJsonDocument::fromJson(metadata.readAll()).object();
        m_result.imageId = o.value(u"containerimage.config.digest").toString();
        m_result.engineRef = o.value(u"containerimage.digest").toString();
    }
    if (m_request.load)
        inspectImage();
    else
        complete();
}

QString BuildRunner::engineName() const
{
    // An untagged image by the engine's own id: the config digest finds nothing on the containerd store.
    return !m_result.engineRef.isEmpty() ? m_result.engineRef : m_result.imageId;
}

void BuildRunner::inspectImage()
{
    const QString ref = !m_request.tag.isEmpty() ? m_request.tag : engineName();
    if (ref.isEmpty()) {
        complete();
        return;
    }
    auto *inspect = new QProcess(this);
    m_inspect = inspect;
    inspect->setProcessEnvironment(m_request.environment);
    QStringList args;
    if (!m_request.dockerContext.isEmpty())
        args << u"--context"_s << m_request.dockerContext;
    args << u"image"_s << u"inspect"_s << u"--format"_s << u"{{.Id}} {{.Size}}"_s << ref;
    connect(inspect, &QProcess::finished, this, [this, inspect](int code, QProcess::ExitStatus status) {
        inspect->deleteLater();
        if (status == QProcess::NormalExit && code == 0) {
            const QStringList parts = QString::fromUtf8(inspect->readAllStandardOutput()).trimmed().split(u' ');
            if (parts.size() == 2) {
                // .Id is the config digest only on the classic store: the identity stays the
                // exporter's config digest, .Id is how this engine finds the image again.
                m_result.engineRef = parts.at(0);
                if (m_result.imageId.isEmpty())
                    m_result.imageId = parts.at(0);
                m_result.imageSize = parts.at(1).toLongLong();
            }
        }
        if (m_cancelled)
            m_result.outcome = BuildResult::Outcome::Cancelled;
        complete();
    });
    connect(inspect, &QProcess::errorOccurred, this, [this, inspect](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart) {
            inspect->deleteLater();
            complete();
        }
    });
    inspect->start(m_request.docker, args);
}

void BuildRunner::complete()
{
    if (!m_running)
        return;
    m_result.durationMs = m_clock.elapsed();
    m_result.progressMode = m_progressMode;
    m_result.builder = m_request.builder;
    m_result.dockerContext = m_request.dockerContext;
    if (m_parser) {
        m_result.steps = m_parser->steps();
        m_result.stepCount = m_parser->visibleStepCount();
        m_result.cachedSteps = m_parser->cachedStepCount();
        m_result.warnings = m_parser->warnings();
    }
    m_result.imageRef = !m_request.tag.isEmpty() ? m_request.tag : engineName();
    if (m_request.recordHistory) {
        BuildHistory history(m_request.historyPath);
        BuildRecord r;
        r.started = m_result.started;
        r.durationMs = m_result.durationMs;
        r.projectRoot = m_request.projectRoot;
        r.recipe = m_request.recipeText;
        r.platforms = m_request.platforms;
        r.tag = m_request.tag;
        r.result = m_result.resultName();
        if (m_result.outcome == BuildResult::Outcome::Failed)
            r.error = m_result.failure.sentence();
        r.steps = m_result.stepCount;
        r.cachedSteps = m_result.cachedSteps;
        if (m_result.succeeded()) {
            r.imageId = m_result.imageId;
            r.engineRef = m_result.engineRef;
            r.imageSize = m_result.imageSize;
        }
        const Result<qint64> added = history.add(r);
        if (added)
            m_result.historyId = *added;
        else
            m_result.historyError = added.failure().sentence();
    }
    m_running = false;
    m_tempDir.reset();
    const BuildResult result = m_result;
    if (result.outcome == BuildResult::Outcome::Failed)
        Q_EMIT failed(result.failure);
    Q_EMIT finished(result);
}

} // namespace Gantry
