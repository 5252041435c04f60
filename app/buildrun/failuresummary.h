// SPDX-License-Identifier: MIT
#pragma once

#include "buildfailure.h"

#include <QList>
#include <QString>

namespace Gantry {

/// A place in a source file a compiler named ("src/main.rs:14:5").
struct SourceLocation
{
    QString path;     ///< as printed (container-relative), or repository-relative after mapping
    int line = 0;
    int column = 0;   ///< 0: none
    QString text() const;
    bool operator==(const SourceLocation &) const = default;
};

/// A failed build as the Build page shows it (like an IDE's Issues pane): one headline,
/// the cause and the fix apart, and the compiler's locations in the repository.
struct FailureSummary
{
    QString headline;                 ///< "cargo build: 1 error in server/src/main.rs:14"
    QString cause;                    ///< the cause, with the step's script shortened
    QString fix;
    QList<SourceLocation> locations;  ///< repository-relative where the file was found
};

/// The locations the compiler's lines name, in order, without duplicates.
QList<SourceLocation> compilerLocations(const QStringList &compilerLines);

/// The repository-relative path of a file a compiler printed relative to its working
/// folder in the container ("src/main.rs" → "server/src/main.rs"), or absolute
/// ("/src/server/src/main.rs"). Empty when no file of the repository fits. Reads the
/// folder tree (skipping .git, target, node_modules), at most maxFiles entries.
QString repositoryPath(const QString &repoRoot, const QString &printedPath, int maxFiles = 50000);

/// "[backend 5/5] RUN case "$TARGETARCH" in …": a step's name cut to one short line.
QString elideStepName(const QString &stepName, int maxChars = 60);

/// The program that failed in a step's command: "cargo build", "rustc", "npm run build", "tsc"...
QString toolOfCommand(const QString &command);

/// Everything the Build page shows about a failure.
FailureSummary summarizeFailure(const BuildFailure &failure, const BuildStep *step, const QString &repoRoot);

} // namespace Gantry
