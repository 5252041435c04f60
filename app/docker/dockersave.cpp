// SPDX-License-Identifier: MIT
#include "dockersave.h"

#include "util/processrunner.h"

#include <QElapsedTimer>
#include <QObject>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString sentence(QString s)
{
    s = s.trimmed();
    if (!s.endsWith(u'.'))
        s += u'.';
    return s;
}

bool engineDown(const QString &why)
{
    return why.contains(u"Cannot connect to the Docker daemon"_s) || why.contains(u"Is the docker daemon running"_s);
}

} // namespace

EngineImageInfo inspectEngineImage(const QString &docker, const QString &image)
{
    EngineImageInfo info;
    const ProcessResult r = runProcess(docker, {u"image"_s, u"inspect"_s, u"--format"_s, u"{{.Id}} {{.Size}}"_s, image},
                                       QProcessEnvironment::systemEnvironment(), 30 * 1000);
    if (!r.started) {
        info.errorClass = ErrorClass::DockerMissing;
        info.error = QObject::tr("Cannot run `%1` (%2): install Docker or set its path in Preferences.").arg(docker, r.errorString);
        return info;
    }
    if (!r.ok()) {
        const QString why = r.stderrText();
        if (why.contains(u"No such image"_s, Qt::CaseInsensitive) || why.contains(u"No such object"_s, Qt::CaseInsensitive)) {
            info.errorClass = ErrorClass::NotFound;
            info.error = QObject::tr("The engine has no image “%1”: build it first, or check the name with `docker images`.").arg(image);
        } else if (engineDown(why)) {
            info.errorClass = ErrorClass::EngineDown;
            info.error = QObject::tr("The Docker engine is not running, so image “%1” cannot be read: start Docker and try again.").arg(image);
        } else {
            info.errorClass = ErrorClass::Other;
            info.error = sentence(r.timedOut ? QObject::tr("`docker image inspect %1` did not answer within 30 seconds: check the engine with `gantry doctor`").arg(image)
                                             : QObject::tr("`docker image inspect %1` failed: %2").arg(image, why.isEmpty() ? QObject::tr("no output") : why));
        }
        return info;
    }
    info.ok = true;
    info.id = r.stdoutText().section(u' ', 0, 0);
    bool number = false;
    info.size = r.stdoutText().section(u' ', 1, 1).toLongLong(&number);
    if (!number)
        info.size = -1;
    return info;
}

DockerSaveResult streamDockerSave(const QString &docker, const QString &image, const std::function<bool(QByteArrayView)> &sink,
                                  const std::atomic_bool *cancel, std::chrono::milliseconds stallTimeout)
{
    DockerSaveResult result;
    const auto cancelled = [cancel] { return cancel && cancel->load(); };
    const auto fail = [&result](ErrorClass c, const QString &error) {
        result.errorClass = c;
        result.error = sentence(error);
        return result;
    };
    if (cancelled()) {
        result.cancelled = true;
        return fail(ErrorClass::Cancelled, QObject::tr("Cancelled"));
    }

    QProcess save;
    save.setProgram(docker);
    save.setArguments({u"save"_s, image});
    save.start(QIODevice::ReadOnly);
    if (!save.waitForStarted(30 * 1000))
        return fail(ErrorClass::DockerMissing,
                    QObject::tr("Cannot start `%1 save` (%2): install Docker or check it with `gantry doctor`").arg(docker, save.errorString()));
    const auto stop = [&save] {
        save.kill();
        save.waitForFinished(5000);
    };

    QElapsedTimer quiet;
    quiet.start();
    for (;;) {
        if (cancelled()) {
            stop();
            result.cancelled = true;
            return fail(ErrorClass::Cancelled, QObject::tr("Cancelled"));
        }
        if (save.bytesAvailable() == 0) {
            if (save.state() == QProcess::NotRunning)
                break;
            if (!save.waitForReadyRead(200) && quiet.elapsed() > stallTimeout.count()) {
                stop();
                const qint64 seconds = stallTimeout.count() / 1000;
                return fail(ErrorClass::Other,
                            (seconds >= 60 ? QObject::tr("`docker save %1` sent nothing for %2 minutes").arg(image).arg(seconds / 60)
                                           : QObject::tr("`docker save %1` sent nothing for %2 seconds").arg(image).arg(seconds))
                                + QObject::tr(": the engine is stuck; check it with `gantry doctor` and try again"));
            }
            continue;
        }
        const QByteArray chunk = save.read(1 << 20);
        quiet.restart();
        if (!sink(chunk)) {
            stop();
            result.sinkFailed = true;
            result.errorClass = ErrorClass::Other;
            return result;
        }
        result.bytes += chunk.size();
    }
    save.waitForFinished(-1);
    if (save.exitStatus() != QProcess::NormalExit || save.exitCode() != 0 || result.bytes == 0) {
        const QString why = QString::fromUtf8(save.readAllStandardError()).trimmed();
        if (why.contains(u"No such image"_s, Qt::CaseInsensitive) || why.contains(u"reference does not exist"_s, Qt::CaseInsensitive))
            return fail(ErrorClass::NotFound,
                        QObject::tr("The engine has no image “%1”: build it first, or check the name with `docker images`").arg(image));
        if (engineDown(why))
            return fail(ErrorClass::EngineDown,
                        QObject::tr("The Docker engine is not running (or stopped during `docker save %1`): start Docker and try again").arg(image));
        const QString detail = !why.isEmpty()                ? why
                               : result.bytes == 0            ? QObject::tr("it sent nothing")
                               : save.exitStatus() != QProcess::NormalExit ? QObject::tr("it crashed")
                                                                         : QObject::tr("it stopped with status %1").arg(save.exitCode());
        return fail(ErrorClass::Other, QObject::tr("`docker save %1` failed: %2; check the engine with `gantry doctor` and try again").arg(image, detail));
    }
    result.ok = true;
    result.errorClass = ErrorClass::None;
    return result;
}

DockerSaveResult spoolDockerSave(const QString &docker, const QString &image, QFileDevice &file,
                                 const std::function<void(qint64)> &progress, const std::atomic_bool *cancel)
{
    qint64 written = 0;
    DockerSaveResult r = streamDockerSave(
        docker, image,
        [&](QByteArrayView chunk) {
            if (file.write(chunk.data(), chunk.size()) != chunk.size())
                return false;
            written += chunk.size();
            if (progress)
                progress(written);
            return true;
        },
        cancel);
    if (r.ok && !file.flush()) {
        r.ok = false;
        r.sinkFailed = true;
        r.errorClass = ErrorClass::Other;
    }
    return r;
}

} // namespace Gantry
