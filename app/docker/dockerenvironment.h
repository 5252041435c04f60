// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Gantry {

/// One thing that is missing or wrong: a Failure (class, cause, fix) with a severity. The
/// class is one of DockerMissing (no client), EngineDown, EnginePermission, EngineError,
/// EngineTimeout, BuildxMissing, NoEmulation.
struct DockerProblem : Failure
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;

    DockerProblem() : Failure(ErrorClass::EngineError, {}) {}
    DockerProblem(ErrorClass c, Severity s = Severity::Error) : Failure(c, {}), severity(s) {}

    bool isError() const { return severity == Severity::Error; }
};

enum class ImageStore { Unknown, Classic, Containerd };

/// Everything Gantry knows about the Docker setup it will drive. A plain value.
struct DockerEnvironment
{
    QString clientPath;
    QString clientVersion;
    QString dockerHost;       ///< where the client talks to (DOCKER_HOST or the context's endpoint)
    bool engineReachable = false;
    QString engineVersion;
    QString engineOs;
    QString engineArch;
    QString buildxVersion;    ///< empty: buildx missing
    QString builderName;
    QString builderDriver;
    QStringList platforms;    ///< what the current builder can build, as it lists them
    ImageStore imageStore = ImageStore::Unknown;
    QList<DockerProblem> problems;

    QString nativePlatform() const;        ///< e.g. linux/amd64, from the engine
    bool isNative(const QString &platform) const;
    QStringList nativePlatforms() const;   ///< platforms the builder runs without emulation
    QStringList emulatedPlatforms() const; ///< platforms it runs under QEMU
    bool canBuild() const;                 ///< client, engine and buildx all there
    bool hasErrors() const;
    QString imageStoreName() const;
    QString statusLine() const;            ///< one line for a status bar
    QString report() const;                ///< the multi-line `gantry doctor` text
};

struct DockerProbeOptions
{
    QString dockerPath; ///< a chosen docker binary; empty: look it up
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    QStringList wantedPlatforms{QStringLiteral("linux/amd64"), QStringLiteral("linux/arm64")}; ///< checked for emulation
    int timeoutMs = 20000;
};

/// Finds the docker client: the given path, $GANTRY_DOCKER, PATH, then the places
/// Docker Desktop, OrbStack, Colima and Homebrew put it on macOS.
QString findDockerExecutable(const QString &preferred, const QProcessEnvironment &environment);

/// Whose words the doctor's fixes use: a Mac has Docker Desktop (or OrbStack, Colima) and
/// Homebrew, not docker groups, systemctl and apt. The running system by default; tests
/// pass the other one.
enum class HostSystem { Linux, MacOS };
HostSystem runningHostSystem();

/// Turns what the docker client printed on a failed engine call into a problem.
DockerProblem classifyEngineError(const QString &dockerStderr, HostSystem host = runningHostSystem());

/// Warnings for wanted platforms that are neither native nor emulated by the builder.
QList<DockerProblem> emulationProblems(const DockerEnvironment &environment, const QStringList &wantedPlatforms,
                                       HostSystem host = runningHostSystem());

/// Where Homebrew's docker-buildx lies when installed (it does not put it where docker
/// looks for plugins): the first of candidates that exists, else empty.
QString homebrewBuildxPlugin(const QStringList &candidates = {QStringLiteral("/opt/homebrew/lib/docker/cli-plugins/docker-buildx"),
                                                              QStringLiteral("/usr/local/lib/docker/cli-plugins/docker-buildx")});

/// "buildx is missing", with how to get it on this host; homebrewPlugin (from
/// homebrewBuildxPlugin()) non-empty: it is installed, docker only does not look there.
DockerProblem buildxMissingProblem(HostSystem host, const QString &homebrewPlugin);

/// Runs the docker client a few times and collects the facts. Blocking: call it from
/// a worker thread (DockerDoctor does) or the CLI.
DockerEnvironment probeDockerEnvironment(const DockerProbeOptions &options = {});

class JobTracker;

/// Runs probeDockerEnvironment() off the calling thread and reports back by signal.
class DockerDoctor : public QObject
{
    Q_OBJECT
public:
    explicit DockerDoctor(QObject *parent = nullptr);
    void setOptions(const DockerProbeOptions &options) { m_options = options; }
    bool isRunning() const;

public Q_SLOTS:
    void start();

Q_SIGNALS:
    void started();
    void finished(const Gantry::DockerEnvironment &environment);

private:
    DockerProbeOptions m_options;
    JobTracker *m_jobs;
};

} // namespace Gantry

Q_DECLARE_METATYPE(Gantry::DockerEnvironment)
