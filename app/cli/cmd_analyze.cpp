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
        return Gantry::Failure(ErrorClass::NotFound, u"There is no archive file “%1”"_s.arg(what),
                               u"Check the path, or give an image name from `docker images`."_s);
    } else {
        const QString docker = findDockerExecutable(dockerPath, QProcessEnvironment::systemEnvironment());
        if (docker.isEmpty())
            return Gantry::Failure(ErrorClass::DockerMissing,
                                   u"“%1” is not a file, and there is no docker client to save it from the engine"_s.arg(what),
                                   u"Give an archive made by `docker save`, or install Docker."_s);
        image = ImageArchive::readFromEngine(docker, what, readOptions);
    }
    if (!image)
        return image.failure();
    AnalyzeOptions options;
    options.payload = payload;
    return analyzeImage(*image, options);
}

/// analyze's options, in the order --help lists them.
struct AnalyzeFlags
{
    QCommandLineOption json{u"json"_s, u"Print the report as JSON."_s};
    QCommandLineOption ci{u"ci"_s, u"Check the rules below and exit 1 when one fails (dive's CI mode)."_s};
    QCommandLineOption efficiency{u"lowest-efficiency"_s, u"With --ci: fail below this efficiency (0..1, default 0.9)."_s, u"RATIO"_s};
    QCommandLineOption wasted{u"highest-wasted-bytes"_s, u"With --ci: fail above this many wasted bytes (e.g. 20MB; default: disabled)."_s, u"SIZE"_s};
    QCommandLineOption userWasted{u"highest-user-wasted-percent"_s, u"With --ci: fail above this share of the user size wasted (0..1 or 10%, default 0.1)."_s, u"RATIO"_s};
    QCommandLineOption maxSize{u"max-size"_s, u"With --ci: fail when the image is larger (e.g. 50MB)."_s, u"SIZE"_s};
    QCommandLineOption payload{u"payload"_s, u"A path in the image that is the application (repeatable; default: the entrypoint and the frontend folders beside it)."_s, u"PATH"_s};
    QCommandLineOption docker{u"docker"_s, u"Use this docker binary."_s, u"PATH"_s};
    QCommandLineOption layerCap{u"max-layer-size"_s,
                                u"Refuse a layer whose tar expands past SIZE as a decompression bomb (default 64GiB, or GANTRY_MAX_LAYER_SIZE)."_s,
                                u"SIZE"_s};
    QList<QCommandLineOption> all() const { return {json, ci, efficiency, wasted, userWasted, maxSize, payload, docker, layerCap}; }
};

void declareOptions(QCommandLineParser &parser, const AnalyzeFlags &flags)
{
    parser.setApplicationDescription(
        u"Explains an image's size layer by layer: dive's efficiency and wasted bytes, Gantry's reclaimable bytes, "
        "the largest files and the payload. IMAGE is an image in the engine (read with `docker save`, through a "
        "temporary file that is deleted afterwards) or an archive file (docker save or OCI layout; plain, gzip or zstd)."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"IMAGE|ARCHIVE"_s, u"The image to analyse."_s);
    parser.addOptions(flags.all());
}

/// What `gantry analyze` was asked to do.
struct AnalyzeRequest
{
    QString image;                       ///< an image in the engine or an archive file
    QString docker;                      ///< --docker, empty: the one on PATH
    QStringList payload;
    ImageArchive::Options readOptions;
    CiRules rules;
    bool ci = false;
    bool json = false;
};


/// Reads a flag into `into` when it is given, with parse(); a value it refuses is a usage error
/// that shows what the flag takes ("a ratio like 0.9 or 90%").
template<typename T>
Status readFlag(const QCommandLineParser &parser, const QCommandLineOption &opt, std::optional<T> &into,
                std::optional<T> (*parse)(const QString &), const QString &takes)
{
    if (!parser.isSet(opt))
        return {};
    into = parse(parser.value(opt));
    if (!into)
        return usageError(u"--"_s + opt.names().constFirst() + u" takes "_s + takes + u", not '"_s + parser.value(opt) + u"'."_s);
    return {};
}

Status readRatio(const QCommandLineParser &parser, const QCommandLineOption &opt, std::optional<double> &into)
{
    return readFlag(parser, opt, into, &parseRatio, u"a ratio like 0.9 or 90%"_s);
}

Status readSize(const QCommandLineParser &parser, const QCommandLineOption &opt, std::optional<qint64> &into)
{
    return readFlag(parser, opt, into, &parseByteSize, u"a size like 20MB or 1048576"_s);
}

/// The --ci rules: dive's defaults with --ci, each rule flag given on top (only with --ci).
Result<CiRules> ciRules(const QCommandLineParser &parser, const AnalyzeFlags &flags)
{
    CiRules rules;
    if (parser.isSet(flags.ci)) {
        rules.lowestEfficiency = 0.9;
        rules.highestUserWastedPercent = 0.1;
    }
    if (const Status s = readRatio(parser, flags.efficiency, rules.lowestEfficiency); !s)
        return s.failure();
    if (const Status s = readRatio(parser, flags.userWasted, rules.highestUserWastedPercent); !s)
        return s.failure();
    if (const Status s = readSize(parser, flags.wasted, rules.highestWastedBytes); !s)
        return s.failure();
    if (const Status s = readSize(parser, flags.maxSize, rules.maxSize); !s)
        return s.failure();
    if (!parser.isSet(flags.ci)
        && (parser.isSet(flags.efficiency) || parser.isSet(flags.userWasted) || parser.isSet(flags.wasted) || parser.isSet(flags.maxSize)))
        return usageError(u"the rule options only apply with --ci."_s);
    return rules;
}

/// The parsed command line as a request; a failure is a usage error.
Result<AnalyzeRequest> analyzeRequest(const QCommandLineParser &parser, const AnalyzeFlags &flags)
{
    if (parser.positionalArguments().size() != 1)
        return usageError(u"give one image or archive (see --help)."_s);
    const Result<CiRules> rules = ciRules(parser, flags);
    if (!rules)
        return rules.failure();
    std::optional<qint64> layerCap;
    if (const Status s = readSize(parser, flags.layerCap, layerCap); !s)
        return s.failure();
    AnalyzeRequest request;
    request.image = parser.positionalArguments().constFirst();
    request.docker = parser.value(flags.docker);
    request.payload = parser.values(flags.payload);
    if (layerCap)
        request.readOptions.expandedLayerCap = *layerCap;
    request.rules = *rules;
    request.ci = parser.isSet(flags.ci);
    request.json = parser.isSet(flags.json);
    return request;
}

/// Prints the report (text or JSON) and, with --ci, the rules' verdict.
int printReport(const ImageReport &report, const AnalyzeRequest &request, Io io)
{
    const QStringList failures = request.ci ? ciFailures(report, request.rules) : QStringList();
    if (request.json) {
        QJsonObject o = reportToJson(report);
        if (request.ci) {
            o[u"ci"] = QJsonObject{{u"passed"_s, failures.isEmpty()}, {u"failures"_s, QJsonArray::fromStringList(failures)}};
        }
        io.out << QJsonDocument(o).toJson(QJsonDocument::Indented);
    } else {
        io.out << reportToText(report);
    }
    if (!request.ci)
        return Ok;
    if (failures.isEmpty()) {
        io.out << (request.json ? "" : "\nCI: all rules pass.\n");
        return Ok;
    }
    for (const QString &f : failures)
        io.err << "gantry analyze: rule failed: " << f << '\n';
    return Failure;
}

} // namespace

int analyze(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    const AnalyzeFlags flags;
    declareOptions(parser, flags);
    if (const std::optional<int> over = parseArguments(parser, arguments, u"analyze"_s, io))
        return *over;
    const Result<AnalyzeRequest> request = analyzeRequest(parser, flags);
    if (!request)
        return refuse(request.failure(), u"analyze"_s, io);
    const Gantry::Result<ImageReport> loaded = load(request->image, request->docker, request->payload, request->readOptions);
    if (!loaded) {
        io.err << "gantry analyze: " << loaded.failure().sentence() << '\n';
        return Failure;
    }
    return printReport(*loaded, *request, io);
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
    if (const std::optional<int> over = parseArguments(parser, arguments, u"diff"_s, io))
        return *over;
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
