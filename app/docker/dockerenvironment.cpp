// SPDX-License-Identifier: MIT
#include "dockerenvironment.h"

#include "util/jobtracker.h"
#include "util/processrunner.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

QString archFamily(const QString &arch)
{
    if (arch == u"amd64" || arch == u"386" || arch == u"x86_64")
        return u"x86"_s;
    if (arch == u"arm64" || arch == u"aarch64" || arch.startsWith(u"arm"))
        return u"arm"_s;
    return arch;
}

QString platformArch(const QString &platform)
{
    const QStringList parts = platform.split(u'/');
    return parts.size() >= 2 ? parts.at(1) : QString();
}

QString hostFromMessage(const QString &text)
{
    static const QRegularExpression re(u"(unix|tcp|ssh|npipe)://[^\\s\"]+"_s);
    const auto match = re.match(text);
    if (!match.hasMatch())
        return {};
    QString host = match.captured(0);
    while (host.endsWith(u'.') || host.endsWith(u':'))
        host.chop(1);
    return host;
}

} // namespace

QString DockerEnvironment::nativePlatform() const
{
    if (engineOs.isEmpty() || engineArch.isEmpty())
        return {};
    return engineOs + u'/' + engineArch;
}

bool DockerEnvironment::isNative(const QString &platform) const
{
    if (engineArch.isEmpty())
        return false;
    const QString arch = platformArch(platform);
    if (arch == engineArch)
        return true;
    // 386 runs natively on amd64 hardware, armv7 on most arm64 hardware.
    return archFamily(arch) == archFamily(engineArch) && (arch == u"386" || arch == u"arm");
}

QStringList DockerEnvironment::nativePlatforms() const
{
    QStringList out;
    for (const QString &p : platforms)
        if (isNative(p))
            out << p;
    return out;
}

QStringList DockerEnvironment::emulatedPlatforms() const
{
    QStringList out;
    for (const QString &p : platforms)
        if (!isNative(p))
            out << p;
    return out;
}

bool DockerEnvironment::canBuild() const
{
    return !clientPath.isEmpty() && engineReachable && !buildxVersion.isEmpty();
}

bool DockerEnvironment::hasErrors() const
{
    for (const DockerProblem &p : problems)
        if (p.isError())
            return true;
    return false;
}

QString DockerEnvironment::imageStoreName() const
{
    switch (imageStore) {
    case ImageStore::Classic:
        return u"classic image store"_s;
    case ImageStore::Containerd:
        return u"containerd image store"_s;
    case ImageStore::Unknown:
        break;
    }
    return u"image store unknown"_s;
}

QString DockerEnvironment::statusLine() const
{
    if (clientPath.isEmpty())
        return u"Docker not found"_s;
    if (!engineReachable)
        return u"Docker engine not reachable"_s;
    QStringList parts;
    parts << u"Docker "_s + engineVersion;
    parts << (buildxVersion.isEmpty() ? u"no buildx"_s : u"buildx "_s + buildxVersion);
    if (!builderName.isEmpty())
        parts << u"builder "_s + builderName + u" ("_s + builderDriver + u')';
    const QStringList emulated = emulatedPlatforms();
    QString plat = nativePlatform();
    if (!emulated.isEmpty()) {
        QStringList arches;
        for (const QString &p : emulated) {
            const QString a = platformArch(p);
            if (!arches.contains(a))
                arches << a;
        }
        plat += u" + "_s + QString::number(arches.size()) + u" emulated"_s;
    }
    parts << plat;
    parts << imageStoreName();
    return parts.join(u"  ·  "_s);
}

QString DockerEnvironment::report() const
{
    QStringList lines;
    auto row = [&lines](const QString &label, const QString &value) {
        lines << label.leftJustified(14, u' ') + value;
    };
    row(u"docker"_s, clientPath.isEmpty() ? u"not found"_s : QString(clientPath + u" (client "_s + clientVersion + u')'));
    if (!clientPath.isEmpty()) {
        const QString at = dockerHost.isEmpty() ? QString() : u" at "_s + dockerHost;
        row(u"engine"_s, engineReachable ? QString(engineVersion + u" on "_s + nativePlatform() + at)
                                         : QString(u"not reachable"_s + at));
    }
    if (engineReachable) {
        row(u"buildx"_s, buildxVersion.isEmpty() ? u"missing"_s : buildxVersion);
        if (!builderName.isEmpty())
            row(u"builder"_s, builderName + u" (driver "_s + builderDriver + u')');
        row(u"native"_s, nativePlatforms().join(u", "_s));
        const QStringList emulated = emulatedPlatforms();
        row(u"emulated"_s, emulated.isEmpty() ? u"none (no QEMU registered)"_s : emulated.join(u", "_s));
        row(u"image store"_s, imageStoreName());
    }
    for (const DockerProblem &p : problems)
        lines << (p.isError() ? u"error: "_s : u"warning: "_s) + p.sentence();
    if (problems.isEmpty())
        lines << u"ok: Gantry can build with this Docker setup."_s;
    return lines.join(u'\n');
}

QString findDockerExecutable(const QString &preferred, const QProcessEnvironment &environment)
{
    auto runnable = [](const QString &path) {
        const QFileInfo fi(path);
        return fi.isFile() && fi.isExecutable();
    };
    if (!preferred.isEmpty())
        return runnable(preferred) ? QFileInfo(preferred).absoluteFilePath() : QString();
    const QString fromEnv = environment.value(u"GANTRY_DOCKER"_s);
    if (!fromEnv.isEmpty() && runnable(fromEnv))
        return QFileInfo(fromEnv).absoluteFilePath();
    const QStringList path = environment.value(u"PATH"_s).split(QDir::listSeparator(), Qt::SkipEmptyParts);
    const QString found = QStandardPaths::findExecutable(u"docker"_s, path);
    if (!found.isEmpty()) {
        // Gantry's own tool folder holds links to the chosen programs: report the real one.
        const QString real = QFileInfo(found).canonicalFilePath();
        return real.isEmpty() ? found : real;
    }
#ifdef Q_OS_MACOS
    const QString home = QDir::homePath();
    const QStringList macPlaces{
        u"/usr/local/bin/docker"_s,                                   // Docker Desktop's link
        u"/opt/homebrew/bin/docker"_s,                                // Homebrew (Apple Silicon)
        home + u"/.docker/bin/docker"_s,                              // Docker Desktop, user install
        u"/Applications/Docker.app/Contents/Resources/bin/docker"_s,  // Docker Desktop bundle
        home + u"/.orbstack/bin/docker"_s,                            // OrbStack
        u"/Applications/OrbStack.app/Contents/MacOS/xbin/docker"_s,
        home + u"/.rd/bin/docker"_s,                                  // Rancher Desktop
    };
    for (const QString &p : macPlaces)
        if (runnable(p))
            return p;
#endif
    return {};
}

HostSystem runningHostSystem()
{
#ifdef Q_OS_MACOS
    return HostSystem::MacOS;
#else
    return HostSystem::Linux;
#endif
}

QString homebrewBuildxPlugin(const QStringList &candidates)
{
    for (const QString &c : candidates)
        if (QFileInfo(c).isFile())
            return c;
    return {};
}

DockerProblem buildxMissingProblem(HostSystem host, const QString &homebrewPlugin)
{
    DockerProblem p;
    p.errorClass = ErrorClass::BuildxMissing;
    if (!homebrewPlugin.isEmpty()) {
        const QString folder = QFileInfo(homebrewPlugin).absolutePath();
        p.cause = u"docker buildx is installed (%1), but docker does not look for plugins there, so Gantry cannot build images."_s
                      .arg(homebrewPlugin);
        p.fix = u"Add \"cliPluginsExtraDirs\": [\"%1\"] to ~/.docker/config.json (as `brew info docker-buildx` says), "
                "then check again."_s.arg(folder);
        return p;
    }
    p.cause = u"docker buildx is not installed, so Gantry cannot build images."_s;
    if (host == HostSystem::MacOS)
        p.fix = u"Install the buildx plugin: it comes with Docker Desktop and OrbStack; with Homebrew's docker run "
                "brew install docker-buildx and add \"cliPluginsExtraDirs\": [\"/opt/homebrew/lib/docker/cli-plugins\"] "
                "to ~/.docker/config.json."_s;
    else
        p.fix = u"Install the buildx plugin: it comes with Docker Desktop and OrbStack; "
                "brew install docker-buildx on Homebrew, apt install docker-buildx on Debian or Ubuntu."_s;
    return p;
}

DockerProblem classifyEngineError(const QString &text, HostSystem system)
{
    DockerProblem p;
    p.severity = DockerProblem::Severity::Error;
    const QString host = hostFromMessage(text);
    const QString where = host.isEmpty() ? QString() : u" at "_s + host;
    if (text.contains(u"permission denied"_s, Qt::CaseInsensitive)) {
        p.errorClass = ErrorClass::EnginePermission;
        p.cause = u"Permission was denied on the Docker socket"_s + where + u'.';
        if (system == HostSystem::MacOS)
            p.fix = u"Docker Desktop's socket belongs to the user who started it: quit and reopen Docker Desktop as "
                    "yourself (or in Settings ▸ Advanced allow the default Docker socket), or switch to an engine "
                    "you may use (docker context use orbstack, colima or desktop-linux)."_s;
        else
            p.fix = u"Add your user to the docker group (sudo usermod -aG docker $USER, then log in again) "
                    "or switch to a context you may use (docker context use ...)."_s;
    } else if (text.contains(u"Cannot connect to the Docker daemon"_s) || text.contains(u"connection refused"_s)
               || text.contains(u"no such file or directory"_s) || text.contains(u"Is the docker daemon running"_s)) {
        p.errorClass = ErrorClass::EngineDown;
        p.cause = u"The Docker engine is not running: nothing answers"_s + (where.isEmpty() ? u" on its socket"_s : where) + u'.';
        if (system == HostSystem::MacOS)
            p.fix = u"Start Docker Desktop, OrbStack or Colima (open -a Docker, open -a OrbStack, or colima start), "
                    "or point DOCKER_HOST at a running engine, then check again."_s;
        else
            p.fix = u"Start Docker Desktop, OrbStack or Colima (on Linux: sudo systemctl start docker), "
                    "or point DOCKER_HOST at a running engine, then check again."_s;
    } else {
        p.errorClass = ErrorClass::EngineError;
        const QString first = text.section(u'\n', 0, 0).trimmed();
        p.cause = u"The Docker engine"_s + where + u" did not answer: "_s + (first.isEmpty() ? u"no reason given"_s : first)
                + (first.endsWith(u'.') ? QString() : u"."_s);
        p.fix = u"Check that the engine is running and that DOCKER_HOST or the current docker context points at it."_s;
    }
    return p;
}

QList<DockerProblem> emulationProblems(const DockerEnvironment &env, const QStringList &wantedPlatforms, HostSystem host)
{
    QList<DockerProblem> out;
    if (env.platforms.isEmpty())
        return out; // the builder did not say; nothing to judge
    for (const QString &wanted : wantedPlatforms) {
        if (env.isNative(wanted) || env.platforms.contains(wanted))
            continue;
        DockerProblem p;
        p.severity = DockerProblem::Severity::Warning;
        p.errorClass = ErrorClass::NoEmulation;
        p.cause = u"No QEMU emulation is registered for %1: cross-compiled builds (Gantry's default) still work, "
                  "but emulated builds and running such images here fail with \"exec format error\"."_s.arg(wanted);
        if (host == HostSystem::MacOS && wanted.startsWith(u"linux/amd64"_s))
            p.fix = u"In Docker Desktop turn on Settings ▸ General ▸ \"Use Rosetta for x86_64/amd64 emulation on Apple "
                    "Silicon\" (OrbStack uses Rosetta by itself; Colima: colima start --vm-type vz --vz-rosetta)."_s;
        else if (host == HostSystem::MacOS)
            p.fix = u"Docker Desktop and OrbStack include QEMU for it; with Colima: colima start --arch aarch64 and "
                    "docker run --privileged --rm tonistiigi/binfmt --install all."_s;
        else
            p.fix = u"Docker Desktop and OrbStack include it; on Linux install qemu-user-static and binfmt-support."_s;
        out << p;
    }
    return out;
}

namespace {

/// No docker client: the chosen one is gone, or none is on PATH.
DockerProblem noClientProblem(const QString &chosenPath)
{
    DockerProblem p(ErrorClass::DockerMissing);
    if (!chosenPath.isEmpty()) {
        p.cause = u"The docker program chosen in Preferences (%1) does not exist or is not executable."_s.arg(chosenPath);
        p.fix = u"Choose the docker binary again in Preferences, or clear the setting to find it on PATH."_s;
    } else {
        p.cause = u"The docker command was not found on PATH."_s;
        p.fix = u"Install Docker Desktop, OrbStack or Colima (on Linux the docker.io or docker-ce package), "
                "or set its path in Preferences."_s;
    }
    return p;
}

/// The image store from `docker info --format {{json .DriverStatus}}`: the containerd
/// snapshotter shows up in the driver status.
ImageStore imageStoreOf(const QByteArray &driverStatusJson)
{
    const QJsonArray status = QJsonDocument::fromJson(driverStatusJson).array();
    for (const QJsonValue &row : status) {
        const QJsonArray pair = row.toArray();
        if (pair.size() == 2 && pair.at(0).toString() == u"driver-type" && pair.at(1).toString().contains(u"containerd"_s))
            return ImageStore::Containerd;
    }
    return ImageStore::Classic;
}

/// The current builder's name, driver and platforms from `docker buildx inspect` (the first node's).
void readBuilder(DockerEnvironment &env, const QString &inspectText)
{
    const QStringList lines = inspectText.split(u'\n');
    for (const QString &line : lines) {
        const qsizetype colon = line.indexOf(u':');
        if (colon < 0)
            continue;
        const QString key = line.left(colon).trimmed();
        const QString value = line.mid(colon + 1).trimmed();
        if (key == u"Name" && env.builderName.isEmpty())
            env.builderName = value;
        else if (key == u"Driver" && env.builderDriver.isEmpty())
            env.builderDriver = value;
        else if (key == u"Platforms" && env.platforms.isEmpty()) {
            for (QString p : value.split(u',', Qt::SkipEmptyParts)) {
                p = p.trimmed();
                if (p.endsWith(u'*'))
                    p.chop(1);
                if (!p.isEmpty() && !env.platforms.contains(p))
                    env.platforms << p;
            }
        }
    }
}

} // namespace

DockerEnvironment probeDockerEnvironment(const DockerProbeOptions &options)
{
    DockerEnvironment env;
    env.clientPath = findDockerExecutable(options.dockerPath, options.environment);
    if (env.clientPath.isEmpty()) {
        env.problems << noClientProblem(options.dockerPath);
        return env;
    }

    const QString docker = env.clientPath;
    const QProcessEnvironment &penv = options.environment;
    const int timeout = options.timeoutMs;

    // Client and server versions in one call; the server part is absent when the engine is down.
    const ProcessResult version = runProcess(docker, {u"version"_s, u"--format"_s, u"{{json .}}"_s}, penv, timeout);
    if (version.timedOut) {
        DockerProblem p;
        p.errorClass = ErrorClass::EngineTimeout;
        p.cause = u"The Docker engine did not answer within %1 seconds."_s.arg(timeout / 1000);
        p.fix = u"Check that the engine is running and not overloaded, then check again."_s;
        env.problems << p;
        return env;
    }
    const QJsonObject v = QJsonDocument::fromJson(version.standardOutput).object();
    const QJsonObject client = v.value(u"Client"_s).toObject();
    const QJsonObject server = v.value(u"Server"_s).toObject();
    env.clientVersion = client.value(u"Version"_s).toString();
    env.dockerHost = penv.value(u"DOCKER_HOST"_s);
    if (server.isEmpty() || !version.ok()) {
        const DockerProblem p = classifyEngineError(version.stderrText());
        if (env.dockerHost.isEmpty())
            env.dockerHost = hostFromMessage(version.stderrText());
        env.problems << p;
        return env;
    }
    env.engineReachable = true;
    env.engineVersion = server.value(u"Version"_s).toString();
    env.engineOs = server.value(u"Os"_s).toString();
    env.engineArch = server.value(u"Arch"_s).toString();
    if (env.dockerHost.isEmpty()) {
        const ProcessResult ctx = runProcess(docker, {u"context"_s, u"inspect"_s, u"--format"_s,
                                                      u"{{.Endpoints.docker.Host}}"_s}, penv, timeout);
        env.dockerHost = ctx.ok() ? ctx.stdoutText() : u"unix:///var/run/docker.sock"_s;
    }

    const ProcessResult info = runProcess(docker, {u"info"_s, u"--format"_s, u"{{json .DriverStatus}}"_s}, penv, timeout);
    if (info.ok())
        env.imageStore = imageStoreOf(info.standardOutput);

    const ProcessResult buildx = runProcess(docker, {u"buildx"_s, u"version"_s}, penv, timeout);
    if (buildx.ok()) {
        // "github.com/docker/buildx 0.13.1+ds1 <commit>"
        const QStringList words = buildx.stdoutText().split(u' ', Qt::SkipEmptyParts);
        env.buildxVersion = words.size() >= 2 ? words.at(1) : buildx.stdoutText();
        if (env.buildxVersion.startsWith(u'v'))
            env.buildxVersion.remove(0, 1);
    } else {
        const HostSystem host = runningHostSystem();
        env.problems << buildxMissingProblem(host, host == HostSystem::MacOS ? homebrewBuildxPlugin() : QString());
        return env;
    }

    const ProcessResult inspect = runProcess(docker, {u"buildx"_s, u"inspect"_s}, penv, timeout);
    if (inspect.ok())
        readBuilder(env, inspect.stdoutText());

    env.problems << emulationProblems(env, options.wantedPlatforms, runningHostSystem());
    return env;
}

DockerDoctor::DockerDoctor(QObject *parent)
    : QObject(parent)
    , m_jobs(new JobTracker(this))
{
    qRegisterMetaType<Gantry::DockerEnvironment>();
}

bool DockerDoctor::isRunning() const
{
    return m_jobs->isRunning();
}

void DockerDoctor::start()
{
    Q_EMIT started();
    // A newer check makes a running one stale: the tracker drops its result.
    m_jobs->start([options = m_options] { return probeDockerEnvironment(options); },
                  [this](const DockerEnvironment &environment) { Q_EMIT finished(environment); });
}

} // namespace Gantry
