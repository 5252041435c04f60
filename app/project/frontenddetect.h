// SPDX-License-Identifier: MIT
#pragma once

#include "packagemanager.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace Gantry {

/// The folder a frontend build writes, read from the build tool's own configuration.
struct FrontendOutput
{
    QString tool;        ///< vite, sveltekit, next, nuxt, angular, react-scripts, react-router, parcel, webpack, rsbuild, astro, ... ("" unknown)
    QString dir;         ///< relative to the frontend folder (may start with "../" when the tool writes outside it)
    QString source;      ///< where it comes from: "vite.config.ts, build.outDir", "vite's default", ...
    bool guess = false;  ///< nothing said it: Gantry assumes dir and asks
    QStringList alternatives; ///< other folders a build there could write (for the wizard's list)
};

/// Where the frontend's package manager, lockfile and Node version come from.
struct FrontendToolchain
{
    PackageManager packageManager = PackageManager::Npm; ///< by lockfile, else package.json's packageManager, else npm
    QString lockfile;        ///< file name; empty: none found
    QString lockfileDir;     ///< absolute folder of the lockfile (a JS workspace root when it is above the frontend)
    bool yarnBerry = false;  ///< Yarn 2+ (lockfile __metadata, .yarnrc.yml or packageManager yarn@2+)
    QString nodeVersion;     ///< as asked for, e.g. "20", "v20.18", ">=18"
    QString nodeSource;      ///< ".nvmrc", "package.json engines.node", ...
};

namespace FrontendDetect {

/// The build tool and its output folder for the package in DIR (PKG: its package.json).
FrontendOutput output(const QString &dir, const QJsonObject &pkg);
/// Package manager, lockfile (here or in a JS workspace root up to BOUNDARY) and Node version.
FrontendToolchain toolchain(const QString &dir, const QJsonObject &pkg, const QString &boundary);
/// How likely the package in DIR (relative path REL from the repository root) is the app
/// the backend serves: bundler builds and usual names up; docs, tests, desktop apps,
/// libraries and monorepo-wide build scripts down.
int appScore(const QString &rel, const QJsonObject &pkg);
/// The build script and the scripts it runs (npm-run-all, run-p, `npm run X`), as one text.
QString expandedBuildScript(const QJsonObject &pkg);

} // namespace FrontendDetect

} // namespace Gantry
