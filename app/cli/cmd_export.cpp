// SPDX-License-Identifier: MIT
#include "cli.h"

#include "settings/preferences.h"
#include "ship/exporter.h"
#include "interrupt.h"
#include "ship/shellquote.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Gantry::Cli {

namespace {

/// gantry export's options, in the order --help lists them.
struct ExportFlags
{
    QCommandLineOption output{{u"o"_s, u"output"_s}, u"Write the archive to FILE (default: the export folder from Preferences)."_s, u"FILE"_s};
    QCommandLineOption compress{u"compress"_s, u"none, gzip, zstd or xz (default: from FILE's suffix, else Preferences)."_s, u"FORMAT"_s};
    QCommandLineOption quiet{{u"q"_s, u"quiet"_s}, u"No progress output."_s};
};

void declareOptions(QCommandLineParser &parser, const ExportFlags &flags)
{
    parser.setApplicationDescription(u"Exports an image from the Docker engine (docker save) to a docker-archive file, plain or "
                                     "compressed, and writes FILE.sha256 beside it. The file appears only when it is complete "
                                     "and verified."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"IMAGE"_s, u"The image to export, e.g. hello-backend:latest."_s);
    parser.addOption(flags.output);
    parser.addOption(flags.compress);
    parser.addOption(flags.quiet);
}

/// --compress if given, else the output file's suffix, else the preferred one.
Result<Compression> compressionFrom(const QCommandLineParser &parser, const ExportFlags &flags, const QString &output,
                                    const Preferences &prefs)
{
    if (parser.isSet(flags.compress)) {
        const std::optional<Compression> named = compressionFromName(parser.value(flags.compress));
        if (!named)
            return usageError(u"unknown compression '"_s + parser.value(flags.compress) + u"': use none, gzip, zstd or xz."_s);
        return *named;
    }
    if (!output.isEmpty()) {
        const QString lower = output.toLower();
        return lower.endsWith(u".gz"_s) || lower.endsWith(u".tgz"_s) ? Compression::Gzip
             : lower.endsWith(u".zst"_s)                           ? Compression::Zstd
             : lower.endsWith(u".xz"_s)                            ? Compression::Xz
                                                                   : Compression::None;
    }
    return compressionFromName(prefs.defaultCompression).value_or(Compression::Zstd);
}

/// The export the command line asks for: the image, the compression and the absolute output
/// path (by default the image's name in the export folder from Preferences).
Result<ExportOptions> exportOptionsFrom(const QCommandLineParser &parser, const ExportFlags &flags)
{
    if (parser.positionalArguments().size() != 1)
        return usageError(u"name exactly one image, e.g. 'gantry export hello-backend:latest -o hello.tar.zst'."_s);
    const Preferences prefs = Preferences::load();
    ExportOptions options;
    options.image = parser.positionalArguments().constFirst();
    QString output = parser.value(flags.output);
    const Result<Compression> compression = compressionFrom(parser, flags, output, prefs);
    if (!compression)
        return compression.failure();
    options.compression = *compression;
    if (output.isEmpty())
        output = defaultExportPath(options.image, options.compression, prefs.effectiveExportDirectory());
    options.outputPath = QFileInfo(output).absoluteFilePath();
    return options;
}

/// Progress on stderr: one line redrawn on a terminal, else a line a second or every 25%.
struct ProgressPrinter
{
    ProgressPrinter(QTextStream &stream, bool quietFlag, bool onTerminal) : err(stream), quiet(quietFlag), tty(onTerminal) {}

    QTextStream &err;
    const bool quiet;
    const bool tty;
    QElapsedTimer last;
    int lastPercent = -1;
};

void printProgress(ProgressPrinter &printer, const ExportProgress &p)
{
    if (printer.quiet)
        return;
    const int percent = p.total > 0 ? int(qMin<qint64>(100, p.done * 100 / p.total)) : -1;
    const QString what = p.phase == ExportProgress::Saving ? u"exporting"_s : u"verifying"_s;
    const QString line = percent >= 0 ? u"%1 %2%  %3 of %4"_s.arg(what).arg(percent).arg(formatBytes(p.done), formatBytes(p.total))
                                      : u"%1 %2"_s.arg(what, formatBytes(p.done));
    if (printer.tty) {
        printer.err << '\r' << line.leftJustified(60) << Qt::flush;
    } else if (!printer.last.isValid() || printer.last.elapsed() > 1000 || percent / 25 != printer.lastPercent / 25) {
        printer.err << line << '\n' << Qt::flush;
        printer.last.start();
        printer.lastPercent = percent;
    }
}

/// Where the archive went, its compression and sizes, and its sha256.
void printExported(const ExportOptions &options, const ExportedArchive &r, Io io)
{
    if (!r.warning.isEmpty())
        io.err << "gantry export: warning: " << r.warning << '\n';
    io.out << "exported " << options.image << " to " << QDir::toNativeSeparators(r.path) << " (" << compressionName(options.compression)
           << ", " << formatBytes(r.archiveBytes) << " from " << formatBytes(r.imageBytes) << ")\n"
           << "sha256 " << r.sha256 << "  " << QDir::toNativeSeparators(r.sha256Path) << '\n';
}

} // namespace

int exportImage(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    const ExportFlags flags;
    declareOptions(parser, flags);
    if (const std::optional<int> over = parseArguments(parser, arguments, u"export"_s, io))
        return *over;
    const Result<ExportOptions> options = exportOptionsFrom(parser, flags);
    if (!options)
        return refuse(options.failure(), u"export"_s, io);

    const Interrupt interrupt;  // Ctrl-C once: stop and clean up; twice: exit at once
    const std::atomic_bool *cancel = interrupt.flag();
    ProgressPrinter printer(io.err, parser.isSet(flags.quiet), isatty(STDERR_FILENO));
    const Result<ExportedArchive> exported =
        Gantry::exportImage(*options, [&](const ExportProgress &p) { printProgress(printer, p); }, cancel);
    if (printer.tty && !printer.quiet)
        io.err << '\r' << QString(60, u' ') << '\r';
    if (!exported) {
        io.err << "gantry export: " << exported.failure().sentence() << '\n';
        return exported.failure().cancelled() ? Cancelled : Failure;
    }
    printExported(*options, *exported, io);
    return Ok;
}

} // namespace Gantry::Cli
