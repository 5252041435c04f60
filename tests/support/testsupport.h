// SPDX-License-Identifier: MIT
#pragma once

#include "util/processrunner.h"

#include <QProcessEnvironment>
#include <QString>

namespace GantryTest {

/// The repository's root folder.
QString sourceDir();
/// The `gantry` executable built with the tests.
QString gantryExecutable();
/// The real docker client on PATH (fails the test's precondition if absent).
QString dockerExecutable();
/// Runs `gantry ARGS...` as a separate process, as a user would.
Gantry::ProcessResult runGantry(const QStringList &arguments,
                                const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment(),
                                int timeoutMs = 120000);
/// Runs the real docker client.
Gantry::ProcessResult runDocker(const QStringList &arguments, int timeoutMs = 120000);
/// A unix socket path where nothing listens: an engine that is "not running", for real.
QString deadDockerHost();
/// Copies every file under from (hidden ones too) to the same place under to.
bool copyTree(const QString &from, const QString &to);
/// A file's bytes; empty when it cannot be read.
QByteArray readAll(const QString &path);
/// Processes (in this PID namespace, other than the test itself) whose command line
/// mentions marker, as "PID: command line".
QStringList processesMentioning(const QString &marker);
/// A file's sha256 (hex), computed here independently of the code under test; empty when unreadable.
QString sha256Of(const QString &path);

/// What an HTTP server answered (status 0: no answer; error says why).
struct HttpAnswer
{
    int status = 0;
    QByteArray body;
    QString error;
};
/// One GET of url, as a browser would do it, waiting at most timeoutMs for the answer.
HttpAnswer httpGet(const QString &url, int timeoutMs = 5000);
/// GETs url again and again until it answers 200 or timeoutMs has passed (a server that
/// is still starting, maybe under QEMU); the last answer.
HttpAnswer httpGetWhenUp(const QString &url, int timeoutMs);

} // namespace GantryTest
