// SPDX-License-Identifier: MIT
#include "preferences.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace Gantry {

QStringList Preferences::platforms() { return {u"linux/amd64"_s, u"linux/arm64"_s, u"linux/amd64,linux/arm64"_s}; }
QStringList Preferences::runtimes() { return {u"scratch"_s, u"distroless"_s, u"alpine"_s, u"debian-slim"_s}; }
QStringList Preferences::compressions() { return {u"none"_s, u"gzip"_s, u"zstd"_s, u"xz"_s}; }

Preferences Preferences::load(const QSettings &s)
{
    Preferences p;
    p.dockerPath = s.value(u"tools/docker"_s).toString();
    p.sshPath = s.value(u"tools/ssh"_s).toString();
    p.defaultPlatform = s.value(u"defaults/platform"_s, p.defaultPlatform).toString();
    p.defaultRuntime = s.value(u"defaults/runtime"_s, p.defaultRuntime).toString();
    p.defaultCompression = s.value(u"defaults/compression"_s, p.defaultCompression).toString();
    p.exportDirectory = s.value(u"export/directory"_s).toString();
    p.recentProjects = s.value(u"projects/recent"_s).toStringList();
    p.reopenLastProject = s.value(u"projects/reopenLast"_s, true).toBool();
    p.editorCommand = s.value(u"editor/command"_s).toString();
    // Values from an older or hand-edited file fall back to the defaults.
    const Preferences defaults;
    if (!platforms().contains(p.defaultPlatform))
        p.defaultPlatform = defaults.defaultPlatform;
    if (!runtimes().contains(p.defaultRuntime))
        p.defaultRuntime = defaults.defaultRuntime;
    if (!compressions().contains(p.defaultCompression))
        p.defaultCompression = defaults.defaultCompression;
    return p;
}

Preferences Preferences::load()
{
    const QSettings settings;
    return load(settings);
}

void Preferences::save(QSettings &s) const
{
    s.setValue(u"tools/docker"_s, dockerPath);
    s.setValue(u"tools/ssh"_s, sshPath);
    s.setValue(u"defaults/platform"_s, defaultPlatform);
    s.setValue(u"defaults/runtime"_s, defaultRuntime);
    s.setValue(u"defaults/compression"_s, defaultCompression);
    s.setValue(u"export/directory"_s, exportDirectory);
    s.setValue(u"projects/recent"_s, recentProjects);
    s.setValue(u"projects/reopenLast"_s, reopenLastProject);
    s.setValue(u"editor/command"_s, editorCommand);
    s.sync();
}

void Preferences::save() const
{
    QSettings settings;
    save(settings);
}

void Preferences::addRecentProject(const QString &folder)
{
    const QString path = QDir::cleanPath(QFileInfo(folder).absoluteFilePath());
    recentProjects.removeAll(path);
    recentProjects.prepend(path);
    QStringList kept;
    for (const QString &p : std::as_const(recentProjects))
        if (QFileInfo(p).isDir() && !kept.contains(p))
            kept << p;
    while (kept.size() > maxRecentProjects)
        kept.removeLast();
    recentProjects = kept;
}

QString Preferences::effectiveExportDirectory() const
{
    if (!exportDirectory.isEmpty())
        return exportDirectory;
    const QString downloads = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    return downloads.isEmpty() ? QDir::homePath() : downloads;
}

QStringList Preferences::validate() const
{
    QStringList problems;
    auto checkTool = [&problems](const QString &path, const QString &what) {
        if (path.isEmpty())
            return;
        const QFileInfo fi(path);
        if (!fi.isFile() || !fi.isExecutable())
            problems << u"The %1 program %2 does not exist or is not executable: choose another or clear the field to find it automatically."_s
                            .arg(what, path);
    };
    checkTool(dockerPath, u"docker"_s);
    checkTool(sshPath, u"ssh"_s);
    if (!exportDirectory.isEmpty() && !QFileInfo(exportDirectory).isDir())
        problems << u"The export folder %1 does not exist: choose an existing folder."_s.arg(exportDirectory);
    return problems;
}

} // namespace Gantry
