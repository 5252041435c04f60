// SPDX-License-Identifier: MIT
#include "cli.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>

#include <cstdio>
#include <functional>

using namespace Qt::StringLiterals;

namespace Gantry::Cli {

namespace {

using Command = std::function<int(const QStringList &, Io)>;

struct Entry
{
    Command run;
    QString summary;
};

const QList<QPair<QString, Entry>> &commands()
{
    static const QList<QPair<QString, Entry>> table{
        {u"doctor"_s, {doctor, u"Check docker, the engine, buildx, builders, platforms and the image store."_s}},
        {u"init"_s, {init, u"Scan a project, print what was found and write gantry.toml, Dockerfile and .dockerignore."_s}},
        {u"build"_s, {build, u"Build the project's image with docker buildx, with live progress."_s}},
        {u"analyze"_s, {analyze, u"Explain an image's size layer by layer (dive-compatible figures)."_s}},
        {u"diff"_s, {diff, u"Compare two images' sizes per layer and per path."_s}},
        {u"export"_s, {exportImage, u"Export an image to a (compressed) archive with a .sha256 beside it."_s}},
        {u"ship"_s, {ship, u"Send an image to a server over SSH, only the layers it lacks."_s}},
        {u"rollback"_s, {rollback, u"Go back to the version deployed before the current one on a server."_s}},
    };
    return table;
}

void printHelp(QTextStream &out)
{
    out << "Usage: gantry [FOLDER]            open the window (optionally on a project folder)\n"
           "       gantry COMMAND [OPTIONS]   run headless\n\nCommands:\n";
    for (const auto &[name, entry] : commands())
        out << "  " << name.leftJustified(10, u' ') << entry.summary << '\n';
    out << "\nRun 'gantry COMMAND --help' for a command's options.\n";
}

} // namespace

bool isCliInvocation(const QStringList &arguments)
{
    if (arguments.size() < 2)
        return false;
    const QString first = arguments.at(1);
    if (first == u"help" || first == u"--help" || first == u"-h" || first == u"--version" || first == u"-v")
        return true;
    for (const auto &[name, entry] : commands())
        if (name == first)
            return true;
    return false;
}

int run(const QStringList &arguments)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    return run(arguments, Io{out, err});
}

int run(const QStringList &arguments, Io io)
{
    if (arguments.size() < 2 || arguments.at(1) == u"help" || arguments.at(1) == u"--help" || arguments.at(1) == u"-h") {
        printHelp(io.out);
        return arguments.size() < 2 ? UsageError : Ok;
    }
    if (arguments.at(1) == u"--version" || arguments.at(1) == u"-v") {
        io.out << "gantry " << QStringLiteral(GANTRY_VERSION) << '\n';
        return Ok;
    }
    for (const auto &[name, entry] : commands()) {
        if (name == arguments.at(1)) {
            // The command sees "gantry COMMAND args..." so QCommandLineParser prints a sane usage.
            QStringList args = arguments.mid(1);
            args[0] = u"gantry "_s + name;
            const int code = entry.run(args, io);
            io.out.flush();
            io.err.flush();
            return code;
        }
    }
    io.err << "gantry: unknown command '" << arguments.at(1) << "'. Run 'gantry --help' for the list.\n";
    return UsageError;
}

std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &arguments, const QString &name, Io io)
{
    if (!parser.parse(arguments)) {
        io.err << "gantry " << name << ": " << parser.errorText() << " Run 'gantry " << name << " --help' for the options.\n";
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        io.out << parser.helpText();
        return Ok;
    }
    return std::nullopt;
}

Gantry::Failure usageError(const QString &line) { return Gantry::Failure(ErrorClass::Other, line); }

int refuse(const Gantry::Failure &usage, const QString &name, Io io)
{
    io.err << "gantry " << name << ": " << usage.cause << '\n';
    return UsageError;
}

} // namespace Gantry::Cli
