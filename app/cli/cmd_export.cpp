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
#include <QRegularExpression>

#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace Gantry::Cli {

int exportImage(const QStringList &arguments, Io io)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Exports an image from the Docker engine (docker save) to a docker-archive file, plain or "
                                     "compressed, and writes FILE.sha256 beside it. The file appears only when it is complete "
                                     "and verified."_s);
    parser.addHelpOption();
    parser.addPositionalArgument(u"IMAGE"_s, u"The image to export, e.g. hello-backend:latest."_s);
    const QCommandLineOption outOpt({u"o"_s, u"output"_s}, u"Write the archive to FILE (default: the export folder from Preferences)."_s, u"FILE"_s);
    const QCommandLineOption compressOpt(u"compress"_s, u"none, gzip, zstd or xz (default: from FILE's suffix, else Preferences)."_s, u"FORMAT"_s);
    const QCommandLineOption quietOpt({u"q"_s, u"quiet"_s}, u"No progress output."_s);
    parser.addOption(outOpt);
    parser.addOption(compressOpt);
    parser.addOption(quietOpt);
    if (!parser.parse(arguments)) {
        io.err << "gantry export: " << parser.errorText() << '\n';
        return UsageError;
    }
    if (parser.isSet(u"help"_s)) {
        io.out << parser.helpText();
        return Ok;
    }
    if (parser.positionalArguments().size() != 1) {
        io.err << "gantry export: name exactly one image, e.g. 'gantry export hello-backend:latest -o hello.tar.zst'.\n";
        return UsageError;
    }
    const Preferences prefs = Preferences::load();
    ExportOptions options;
    options.image = parser.positionalArguments().constFirst();
    QString output = parser.value(outOpt);
    std::optional<Compression> compression;
    if (parser.isSet(compressOpt)) {
        compression = compressionFromName(parser.value(compressOpt));
        if (!compression) {
            io.err << "gantry export: unknown compression '" << parser.value(compressOpt) << "': use none, gzip, zstd or xz.\n";
            return UsageError;
        }
    } else if (!output.isEmpty()) {
        const QString lower = output.toLower();
        compression = lower.endsWith(u".gz"_s) || lower.endsWith(u".tgz"_s) ? Compression::Gzip
                    : lower.endsWith(u".zst"_s)                           ? Compression::Zstd
                    : lower.endsWith(u".xz"_s)                            ? Compression::Xz
                                                                          : Compression::None;
    } else {
        compression = compressionFromName(prefs.defaultCompression).value_or(Compression::Zstd);
    }
    options.compression = *compression;
    if (output.isEmpty()) {
        QString base = options.image;
        base.replace(QRegularExpression(u"[^A-Za-z0-9._-]+"_s), u"-"_s);
        output = QDir(prefs.effectiveExportDirectory()).filePath(base + compressionSuffix(options.compression));
    }
    options.outputPath = QFileInfo(output).absoluteFilePath();

    const Interrupt interrupt;  // Ctrl-C once: stop and clean up; twice: exit at once
    const std::atomic_bool *cancel = interrupt.flag();
    const bool quiet = parser.isSet(quietOpt);
    const bool tty = isatty(STDERR_FILENO);
    QElapsedTimer last;
    int lastPercent = -1;
    const auto progress = [&](const ExportProgress &p) {
        if (quiet)
            return;
        const int percent = p.total > 0 ? int(qMin<qint64>(100, p.done * 100 / p.total)) : -1;
        const QString what = p.phase == ExportProgress::Saving ? u"exporting"_s : u"verifying"_s;
        const QString line = percent >= 0 ? u"%1 %2%  %3 of %4"_s.arg(what).arg(percent).arg(formatBytes(p.done), formatBytes(p.total))
                                          : u"%1 %2"_s.arg(what, formatBytes(p.done));
        if (tty) {
            io.err << '\r' << line.leftJustified(60) << Qt::flush;
        } else if (!last.isValid() || last.elapsed() > 1000 || percent / 25 != lastPercent / 25) {
            io.err << line << '\n' << Qt::flush;
            last.start();
            lastPercent = percent;
        }
    };
    const Result<ExportedArchive> exported = Gantry::exportImage(options, progress, cancel);
    if (tty && !quiet)
        io.err << '\r' << QString(60, u' ') << '\r';
    if (!exported) {
        io.err << "gantry export: " << exported.failure().sentence() << '\n';
        return exported.failure().cancelled() ? Cancelled : Failure;
    }
    const ExportedArchive &r = *exported;
    if (!r.warning.isEmpty())
        io.err << "gantry export: warning: " << r.warning << '\n';
    io.out << "exported " << options.image << " to " << QDir::toNativeSeparators(r.path) << " (" << compressionName(options.compression)
           << ", " << formatBytes(r.archiveBytes) << " from " << formatBytes(r.imageBytes) << ")\n"
           << "sha256 " << r.sha256 << "  " << QDir::toNativeSeparators(r.sha256Path) << '\n';
    return Ok;
}

} // namespace Gantry::Cli
