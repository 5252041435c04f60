// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

class QSettings;

namespace Gantry {

/// What the user chose in Preferences. A plain value, read from and written to QSettings.
struct Preferences
{
    QString dockerPath;                  ///< empty: found automatically
    QString sshPath;                     ///< empty: found automatically
    QString defaultPlatform = QStringLiteral("linux/amd64");
    QString defaultRuntime = QStringLiteral("scratch");      ///< scratch|distroless|alpine|debian-slim
    QString defaultCompression = QStringLiteral("zstd");     ///< none|gzip|zstd|xz
    QString exportDirectory;             ///< empty: the user's Downloads folder
    QStringList recentProjects;          ///< most recent first
    bool reopenLastProject = true;
    /// How a source location opens: a command with {file}, {line} and {column} (e.g.
    /// "code -g {file}:{line}:{column}"; without {file} the file is appended). Empty:
    /// the system's application for the file.
    QString editorCommand;

    static constexpr int maxRecentProjects = 8;
    static QStringList platforms();
    static QStringList runtimes();
    static QStringList compressions();

    static Preferences load(const QSettings &settings);
    static Preferences load(); ///< from the application's QSettings
    void save(QSettings &settings) const;
    void save() const;

    /// Puts folder first in the recent list (deduplicated, capped, missing folders dropped).
    void addRecentProject(const QString &folder);
    QString effectiveExportDirectory() const;
    /// One sentence per invalid value; empty when everything is usable.
    QStringList validate() const;
};

} // namespace Gantry
