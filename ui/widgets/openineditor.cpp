// SPDX-License-Identifier: MIT
#include "openineditor.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QProcess>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace Gantry {

QStringList editorCommandLine(const QString &command, const QString &file, int line, int column)
{
    QStringList parts = QProcess::splitCommand(command.trimmed());
    if (parts.isEmpty())
        return {};
    bool hasFile = false;
    for (QString &p : parts) {
        hasFile = hasFile || p.contains(u"{file}"_s);
        p.replace(u"{file}"_s, file).replace(u"{line}"_s, QString::number(std::max(line, 1)))
            .replace(u"{column}"_s, QString::number(std::max(column, 1)));
    }
    if (!hasFile)
        parts << file;
    return parts;
}

Status openInEditor(const QString &editorCommand, const QString &file, int line, int column)
{
    if (!QFileInfo(file).isFile())
        return Failure(ErrorClass::NotFound, QObject::tr("%1 is not in the project any more.").arg(QDir::toNativeSeparators(file)),
                       QObject::tr("Build again to see where the errors are now."));
    if (editorCommand.trimmed().isEmpty()) {
        if (QDesktopServices::openUrl(QUrl::fromLocalFile(file)))
            return {};
        return Failure(ErrorClass::Other, QObject::tr("The system has no application to open %1.").arg(QFileInfo(file).fileName()),
                       QObject::tr("Set an editor command in Preferences (e.g. code -g {file}:{line})."));
    }
    QStringList args = editorCommandLine(editorCommand, file, line, column);
    const QString program = args.isEmpty() ? QString() : args.takeFirst();
    if (program.isEmpty() || !QProcess::startDetached(program, args))
        return Failure(ErrorClass::Other, QObject::tr("The editor command '%1' could not be started.").arg(editorCommand),
                       QObject::tr("Check the editor command in Preferences."));
    return {};
}

} // namespace Gantry
