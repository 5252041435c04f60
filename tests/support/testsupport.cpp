// SPDX-License-Identifier: MIT
#include "testsupport.h"

#include <QCoreApplication>
#include <QDir>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace GantryTest {

QString sourceDir() { return QStringLiteral(GANTRY_SOURCE_DIR); }

QString gantryExecutable() { return QStringLiteral(GANTRY_BINARY_DIR) + u"/bin/gantry"_s; }

QString dockerExecutable() { return QStandardPaths::findExecutable(u"docker"_s); }

Gantry::ProcessResult runGantry(const QStringList &arguments, const QProcessEnvironment &environment, int timeoutMs)
{
    return Gantry::runProcess(gantryExecutable(), arguments, environment, timeoutMs);
}

Gantry::ProcessResult runDocker(const QStringList &arguments, int timeoutMs)
{
    return Gantry::runProcess(dockerExecutable(), arguments, QProcessEnvironment::systemEnvironment(), timeoutMs);
}

QString deadDockerHost()
{
    // A path in a fresh temp folder: no socket exists there, so nothing can answer.
    return u"unix://"_s + QDir::tempPath() + u"/gantry-no-engine-%1.sock"_s.arg(QCoreApplication::applicationPid());
}

} // namespace GantryTest
