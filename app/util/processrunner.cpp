// SPDX-License-Identifier: MIT
#include "processrunner.h"

#include <QProcess>

namespace Gantry {

ProcessResult runProcess(const QString &program, const QStringList &arguments,
                         const QProcessEnvironment &environment, int timeoutMs,
                         const QByteArray &standardInput)
{
    ProcessResult result;
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForStarted(10000)) {
        result.errorString = process.errorString();
        return result;
    }
    result.started = true;
    if (!standardInput.isEmpty())
        process.write(standardInput);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        result.timedOut = true;
        process.kill();
        process.waitForFinished(3000);
    }
    result.standardOutput = process.readAllStandardOutput();
    result.standardError = process.readAllStandardError();
    if (!result.timedOut)
        result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    return result;
}

} // namespace Gantry
