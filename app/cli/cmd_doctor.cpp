// SPDX-License-Identifier: MIT
#include "cli.h"

#include "docker/dockerenvironment.h"

#include <QCommandLineParser>

using namespace Qt::StringLiterals;

namespace Gantry::Cli {

int doctor(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Checks the Docker setup Gantry will drive: the docker client, the engine, "
                                     "buildx, the current builder, the platforms it can build and the image store."_s);
    parser.addHelpOption();
    const QCommandLineOption dockerOpt(u"docker"_s, u"Use this docker binary instead of the one on PATH."_s, u"PATH"_s);
    const QCommandLineOption platformOpt(u"platform"_s, u"Also check that PLATFORM can be built (e.g. linux/arm64)."_s,
                                         u"PLATFORM"_s);
    parser.addOption(dockerOpt);
    parser.addOption(platformOpt);
    if (const std::optional<int> over = parseArguments(parser, arguments, u"doctor"_s, io))
        return *over;
    if (!parser.positionalArguments().isEmpty()) {
        io.err << "gantry doctor: takes no arguments, got '" << parser.positionalArguments().join(u' ') << "'.\n";
        return UsageError;
    }
    DockerProbeOptions options;
    options.dockerPath = parser.value(dockerOpt);
    for (const QString &p : parser.values(platformOpt))
        if (!options.wantedPlatforms.contains(p))
            options.wantedPlatforms << p;
    const DockerEnvironment env = probeDockerEnvironment(options);
    (env.hasErrors() ? io.err : io.out) << env.report() << '\n';
    return env.hasErrors() ? Failure : Ok;
}

} // namespace Gantry::Cli
