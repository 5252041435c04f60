// SPDX-License-Identifier: MIT
#include "dockersave.h"

#include "util/processrunner.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

bool engineDown(const QString &why)
{
    return why.contains(u"Cannot connect to the Docker daemon"_s) || why.contains(u"Is the docker daemon running"_s);
}

bool noSuchImage(const QString &why)
{
    return why.contains(u"No such image"_s, Qt::CaseInsensitive) || why.contains(u"No such object"_s, Qt::CaseInsensitive)
        || why.contains(u"reference does not exist"_s, Qt::CaseInsensitive);
}

Failure noImage(const QString &image)
{
    return Failure(ErrorClass::NotFound, QObject::tr("The engine has no image “%1”").arg(image),
                   QObject::tr("Build it first, or check the name with `docker images`."));
}

Failure cancelled()
{
    return Failure(ErrorClass::Cancelled, QObject::tr("Cancelled."));
}

/// Why `docker save` ended badly once it ran (its exit, its stderr, or an empty stream).
Failure saveFailure(QProcess &save, const QString &image, qint64 bytes)
{
    const QString why = QString::fromUtf8(save.readAllStandardError()).trimmed();
    if (noSuchImage(why))
        return noImage(image);
    if (engineDown(why))
        return Failure(ErrorClass::EngineDown,
                       QObject::tr("The Docker engine is not running (or stopped during `docker save %1`)").arg(image),
                       QObject::tr("Start Docker and try again."));
    const QString detail = !why.isEmpty()                            ? why
                           : bytes == 0                              ? QObject::tr("it sent nothing")
                           : save.exitStatus() != QProcess::NormalExit ? QObject::tr("it crashed")
                                                                     : QObject::tr("it stopped with status %1").arg(save.exitCode());
    return Failure(ErrorClass::Other, QObject::tr("`docker save %1` failed: %2").arg(image, detail),
                   QObject::tr("Check the engine with `gantry doctor` and try again."));
}

} // namespace

Result<EngineImage> inspectEngineImage(const QString &docker, const QString &image)
{
    const ProcessResult r = runProcess(docker, {u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}} {{.Size}}"_s, image},
                                       QProcessEnvironment::systemEnvironment(), 30 * 1000);
    if (!r.started)
        return Failure(ErrorClass::DockerMissing, QObject::tr("Cannot run `%1` (%2)").arg(docker, r.errorString),
                       QObject::tr("Install Docker or set its path in Preferences."));
    if (!r.ok()) {
        const QString why = r.stderrText();
        if (noSuchImage(why))
            return noImage(image);
        if (engineDown(why))
            return Failure(ErrorClass::EngineDown, QObject::tr("The Docker engine is not running, so image “%1” cannot be read").arg(image),
                           QObject::tr("Start Docker and try again."));
        return Failure(ErrorClass::Other,
                       r.timedOut ? QObject::tr("`docker image inspect %1` did not answer within 30 seconds").arg(image)
                                  : QObject::tr("`docker image inspect %1` failed: %2").arg(image, why.isEmpty() ? QObject::tr("no output") : why.trimmed()),
                       QObject::tr("Check the engine with `gantry doctor`."));
    }
    EngineImage info;
    info.id = r.stdoutText().section(u' ', 0, 0);
    bool number = false;
    info.size = r.stdoutText().section(u' ', 1, 1).toLongLong(&number);
    if (!number)
        info.size = -1;
    return info;
}

Result<qint64> streamDockerSave(const QString &docker, const QString &image, const DockerSaveSink &sink,
                                const std::atomic_bool *cancel, std::chrono::milliseconds stallTimeout)
{
    const auto isCancelled = [cancel] { return cancel && cancel->load(); };
    if (isCancelled())
        return cancelled();

    QProcess save;
    save.setProgram(docker);
    save.setArguments({u"save"_s, image});
    save.start(QIODevice::ReadOnly);
    if (!save.waitForStarted(30 * 1000))
        return Failure(ErrorClass::DockerMissing, QObject::tr("Cannot start `%1 save` (%2)").arg(docker, save.errorString()),
                       QObject::tr("Install Docker or check it with `gantry doctor`."));
    const auto stop = [&save] {
        save.kill();
        save.waitForFinished(5000);
    };

    qint64 bytes = 0;
    QElapsedTimer quiet;
    quiet.start();
    for (;;) {
        if (isCancelled()) {
            stop();
            return cancelled();
        }
        if (save.bytesAvailable() == 0) {
            if (save.state() == QProcess::NotRunning)
                break;
            if (!save.waitForReadyRead(200) && quiet.elapsed() > stallTimeout.count()) {
                stop();
                const qint64 seconds = stallTimeout.count() / 1000;
                return Failure(ErrorClass::EngineTimeout,
                               seconds >= 60 ? QObject::tr("`docker save %1` sent nothing for %2 minutes").arg(image).arg(seconds / 60)
                                             : QObject::tr("`docker save %1` sent nothing for %2 seconds").arg(image).arg(seconds),
                               QObject::tr("The engine is stuck: check it with `gantry doctor` and try again."));
            }
            continue;
        }
        const QByteArray chunk = save.read(1 << 20);
        quiet.restart();
        if (const Status took = sink(chunk); !took) {
            stop();
            return took.failure();
        }
        bytes += chunk.size();
    }
    save.waitForFinished(-1);
    if (save.exitStatus() != QProcess::NormalExit || save.exitCode() != 0 || bytes == 0)
        return saveFailure(save, image, bytes);
    return bytes;
}

Result<qint64> spoolDockerSave(const QString &docker, const QString &image, QFileDevice &file, const QString &what,
                               const std::function<void(qint64)> &progress, const std::atomic_bool *cancel)
{
    const auto writeFailure = [&] {
        return Failure(ErrorClass::Other, QObject::tr("Cannot write %1 (%2)").arg(what, file.errorString()),
                       QObject::tr("Free some disk space and try again."));
    };
    qint64 written = 0;
    Result<qint64> r = streamDockerSave(
        docker, image,
        [&](QByteArrayView chunk) -> Status {
            if (file.write(chunk.data(), chunk.size()) != chunk.size())
                return writeFailure();
            written += chunk.size();
            if (progress)
                progress(written);
            return {};
        },
        cancel);
    if (r && !file.flush())
        return writeFailure();
    return r;
}

} // namespace Gantry
