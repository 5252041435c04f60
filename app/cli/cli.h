// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QStringList>
#include <QTextStream>

#include <optional>

class QCommandLineParser;

namespace Gantry::Cli {

/// Exit statuses every subcommand uses.
enum ExitCode {
    Ok = 0,
    Failure = 1,       ///< the job ran and failed (build error, rule broken, engine down, ...)
    UsageError = 2,    ///< the command line was wrong
    Cancelled = 130,
};

/// The streams a command writes to; tests may point them at buffers.
struct Io
{
    QTextStream &out;
    QTextStream &err;
};

/// Parses subcommand NAME's command line. Returns its exit status when the command is over
/// already: a usage error printed as "gantry NAME: …" with where the options are described
/// (UsageError), or --help printed (Ok); nullopt when the command goes on.
std::optional<int> parseArguments(QCommandLineParser &parser, const QStringList &arguments, const QString &name, Io io);

/// A mistake on the command line found after parsing (exit UsageError): line is exactly what
/// follows "gantry NAME: ".
Gantry::Failure usageError(const QString &line);
/// Prints a usageError() as "gantry NAME: LINE" and returns UsageError.
int refuse(const Gantry::Failure &usage, const QString &name, Io io);

/// True when argv asks for a headless subcommand rather than the window.
bool isCliInvocation(const QStringList &arguments);

/// Runs a subcommand; arguments as QCoreApplication::arguments() (program first).
int run(const QStringList &arguments);
int run(const QStringList &arguments, Io io);

// Subcommands (one file each under app/cli/).
int doctor(const QStringList &arguments, Io io);      // cmd_doctor.cpp
int init(const QStringList &arguments, Io io);        // cmd_init.cpp
int build(const QStringList &arguments, Io io);       // cmd_build.cpp
int analyze(const QStringList &arguments, Io io);     // cmd_analyze.cpp
int diff(const QStringList &arguments, Io io);        // cmd_analyze.cpp
int exportImage(const QStringList &arguments, Io io); // cmd_export.cpp
int ship(const QStringList &arguments, Io io);        // cmd_ship.cpp
int rollback(const QStringList &arguments, Io io);    // cmd_rollback.cpp

} // namespace Gantry::Cli
