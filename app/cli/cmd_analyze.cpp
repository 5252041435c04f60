// SPDX-License-Identifier: MIT
#include "cli.h"

#include "docker/dockerenvironment.h"
#include "image/imagearchive.h"
#include "image/imagereport.h"
#include "image/reportformat.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry::Cli {

namespace {

/// A file is read as an archive; anything else is an image in the engine (docker save).
Gantry::Result<ImageReport> load(const QString &what, const QString &dockerPath, const QStringList &payload,
                                 const ImageArchive::Options &readOptions)
{
    static const QRegularExpression archiveName(u"\\.(tar|tar\\.gz|tgz|tar\\.zst|tar\\.xz)$"_s);
    Gantry::Result<ImageData> image = Gantry::Failure();
    if (QFileInfo(what).isFile()) {
        image = ImageArchive::read(what, readOptions);
    } else if (what.startsWith(u'/') || what.startsWith(u"./"_s) || what.startsWith(u"../"_s) || archiveName.match(what).hasMatch()) {
        return Gantry::Failure(ErrorClass::NotFound, u"There is no archive file “%1”: check the path (or give an image name from `docker images`)."_s.arg(what));
    } else {
        const QString docker = findDockerExecutable(dockerPath, QProcessEnvironment::systemEnvironment());
        if (docker.isEmpty())
            return Gantry::Failure(ErrorClass::DockerMissing,
                                   u"“%1” is not a file, and there is no docker client to save it from the engine: give an archive made by `docker save`, or install Docker."_s
                                       .arg(what));
        image = ImageArchive::readFromEngine(docker, what, readOptions);
    }
    if (!image)
        return image.failure();
    AnalyzeOptions options;
    options.payload = payload;
    return analyzeImage(*image, options);
}

} // namespace

int analyze(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Explains an image's size layer by layer: dive's efficiency and wasted bytes, Gantry's reclaimable bytes, "
        "the largest files and the payload. IMAGE is an image in the engine (read with `docker save`, through a "
        "temporary file that is deleted afterwards) or an archive file (docker save or OCI layout; plain, gzip or zstd)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"IMAGE|ARCHIVE"_s, u"The image to analyse."_s);
    const QCommandLineOption jsonOpt(u"json"_s, u"Print the report as JSON."_s);
    const QCommandLineOption ciOpt(u"ci"_s, u"Check the rules below and exit 1 when one fails (dive's CI mode)."_s);
    const QCommandLineOption effOpt(u"lowest-efficiency"_s, u"With --ci: fail below this efficiency (0..1, default 0.9)."_s, u"RATIO"_s);
    const QCommandLineOption wastedOpt(u"highest-wasted-bytes"_s, u"With --ci: fail above this many wasted bytes (e.g. 20MB; default: disabled)."_s, u"SIZE"_s);
    const QCommandLineOption userOpt(u"highest-user-wasted-percent"_s, u"With --ci: fail above this share of the user size wasted (0..1 or 10%, default 0.1)."_s, u"RATIO"_s);
    const QCommandLineOption maxOpt(u"max-size"_s, u"With --ci: fail when the image is larger (e.g. 50MB)."_s, u"SIZE"_s);
    const QCommandLineOption payloadOpt(u"payload"_s, u"A path in the image that is the application (repeatable; default: the entrypoint and the frontend folders beside it)."_s, u"PATH"_s);
    const QCommandLineOption dockerOpt(u"docker"_s, u"Use this docker binary."_s, u"PATH"_s);
    const QCommandLineOption layerCapOpt(u"max-layer-size"_s,
                                         u"Refuse a layer whose tar expands past SIZE as a decompression bomb (default 64GiB, or GANTRY_MAX_LAYER_SIZE)."_s,
                                         u"SIZE"_s);
    parser.addOptions({jsonOpt, ciOpt, effOpt, wastedOpt, userOpt, maxOpt, payloadOpt, dockerOpt, layerCapOpt});
    if (!parser.parse(arguments)) {
        io.err << "gantry analyze: " << parser.errorText() << '\n';
        return UsageError;
    }
    if (parser.isSet(u"help"_s)) {
        io.out << parser.helpText();
        return Ok;
    }
    if (parser.positionalArguments().size() != 1) {
        io.err << "gantry analyze: give one image or archive (see --help).\n";
        return UsageError;
    }
    CiRules rules;
    if (parser.isSet(ciOpt)) {
        rules.lowestEfficiency = 0.9;
        rules.highestUserWastedPercent = 0.1;
    }
    auto ratio = [&](const QCommandLineOption &opt, std::optional<double> &into) {
        if (!parser.isSet(opt))
            return true;
        into = parseRatio(parser.value(opt));
        if (!into) {
            io.err << "gantry analyze: --" << opt.names().constFirst() << " takes a ratio like 0.9 or 90%, not '" << parser.value(opt) << "'.\n";
            return false;
        }
        return true;
    };
    auto size = [&](const QCommandLineOption &opt, std::optional<qint64> &into) {
        if (!parser.isSet(opt))
            return true;
        into = parseByteSize(parser.value(opt));
        if (!into) {
            io.err << "gantry analyze: --" << opt.names().constFirst() << " takes a size like 20MB or 1048576, not '" << parser.value(opt) << "'.\n";
            return false;
        }
        return true;
    };
    if (!ratio(effOpt, rules.lowestEfficiency) || !ratio(userOpt, rules.highestUserWastedPercent)
        || !size(wastedOpt, rules.highestWastedBytes) || !size(maxOpt, rules.maxSize))
        return UsageError;
    const bool ci = parser.isSet(ciOpt);
    if (!ci && (parser.isSet(effOpt) || parser.isSet(userOpt) || parser.isSet(wastedOpt) || parser.isSet(maxOpt))) {
        io.err << "gantry analyze: the rule options only apply with --ci.\n";
        return UsageError;
    }

    ImageArchive::Options readOptions;
    std::optional<qint64> layerCap;
    if (!size(layerCapOpt, layerCap))
        return UsageError;
    if (layerCap)
        readOptions.expandedLayerCap = *layerCap;

    const Gantry::Result<ImageReport> loaded = load(parser.positionalArguments().constFirst(), parser.value(dockerOpt),
                                                    parser.values(payloadOpt), readOptions);
    if (!loaded) {
        io.err << "gantry analyze: " << loaded.failure().sentence() << '\n';
        return Failure;
    }
    const ImageReport &report = *loaded;
    const QStringList failures = ci ? ciFailures(report, rules) : QStringList();
    if (parser.isSet(jsonOpt)) {
        QJsonObject o = reportToJson(report);
        if (ci) {
            o[u"ci"] = QJsonObject{{u"passed"_s, failures.isEmpty()}, {u"failures"_s, QJsonArray::fromStringList(failures)}};
        }
        io.out << QJsonDocument(o).toJson(QJsonDocument::Indented);
    } else {
        io.out << reportToText(report);
    }
    if (ci) {
        if (failures.isEmpty()) {
            io.out << (parser.isSet(jsonOpt) ? "" : "\nCI: all rules pass.\n");
        } else {
            for (const QString &f : failures)
                io.err << "gantry analyze: rule failed: " << f << '\n';
            return Failure;
        }
    }
    return Ok;
}

int diff(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Compares two images (in the engine or archive files): size change per layer and per path."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"A"_s, u"The older image or archive."_s);
    parser.addPositionalArgument(u"B"_s, u"The newer image or archive."_s);
    const QCommandLineOption jsonOpt(u"json"_s, u"Print the comparison as JSON."_s);
    const QCommandLineOption dockerOpt(u"docker"_s, u"Use this docker binary."_s, u"PATH"_s);
    parser.addOptions({jsonOpt, dockerOpt});
    if (!parser.parse(arguments)) {
        io.err << "gantry diff: " << parser.errorText() << '\n';
        return UsageError;
    }
    if (parser.isSet(u"help"_s)) {
        io.out << parser.helpText();
        return Ok;
    }
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2) {
        io.err << "gantry diff: give two images or archives, A and B (see --help).\n";
        return UsageError;
    }
    const Gantry::Result<ImageReport> a = load(pos.at(0), parser.value(dockerOpt), {}, {});
    const Gantry::Result<ImageReport> b = a ? load(pos.at(1), parser.value(dockerOpt), {}, {}) : a;
    if (!a || !b) {
        io.err << "gantry diff: " << (a ? b : a).failure().sentence() << '\n';
        return Failure;
    }
    const ImageDiff d = diffImages(*a, *b);
    if (parser.isSet(jsonOpt))
        io.out << QJsonDocument(diffToJson(d, pos.at(0), pos.at(1))).toJson(QJsonDocument::Indented);
    else
        io.out << diffToText(d, pos.at(0), pos.at(1));
    return Ok;
}

} // namespace Gantry::Cli
