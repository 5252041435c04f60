// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace Gantry {

/// The outcome of one finished (or failed-to-start) external program.
struct ProcessResult
{
    bool started = false;   ///< false: the program could not be started at all
    bool timedOut = false;  ///< killed after the timeout
    int exitCode = -1;
    QByteArray standardOutput;
    QByteArray standardError;
    QString errorString;    ///< QProcess's own words when it did not start

    bool ok() const { return started && !timedOut && exitCode == 0; }
    QString stdoutText() const { return QString::fromUtf8(standardOutput).trimmed(); }
    QString stderrText() const { return QString::fromUtf8(standardError).trimmed(); }
};

/// Runs a program to completion. Blocks the calling thread, so it is only for worker
/// threads (QtConcurrent) and the CLI, never the GUI thread. The process is killed
/// after timeoutMs and never left running.
ProcessResult runProcess(const QString &program, const QStringList &arguments,
                         const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
                         int timeoutMs = 30000, const QByteArray &standardInput = {});

} // namespace Gantry
