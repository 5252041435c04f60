// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QString>
#include <QStringList>

namespace Gantry {

/// The program and arguments of an editor command for a file location: {file}, {line}
/// and {column} are replaced (a command without {file} gets the file appended). Empty
/// program: the command is empty or does not parse.
QStringList editorCommandLine(const QString &command, const QString &file, int line, int column);

/// Opens file at line:column in the user's editor (Preferences' editor command), else in
/// the system's application for it. Returns at once; a Failure when nothing could start.
Status openInEditor(const QString &editorCommand, const QString &file, int line = 0, int column = 0);

} // namespace Gantry
