// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace Gantry {

/// A JavaScript package manager the frontend's dependencies are installed with.
enum class PackageManager { Npm, Pnpm, Yarn, Bun };

/// Everything Gantry knows about one package manager: the one place that knows it.
struct PackageManagerTraits
{
    PackageManager manager;
    QString name;           ///< in gantry.toml and package.json's "packageManager" ("pnpm@9.1.0")
    QStringList lockfiles;  ///< the files that say a folder uses it
    int lockfileRank;       ///< a folder with several lockfiles uses the manager ranked lowest
    QString lockfileGlob;   ///< the Dockerfile's COPY of its lockfile (a glob: none is fine)
    QString installCommand; ///< the Dockerfile's RUN that installs the dependencies
    QString cacheDir;       ///< its download cache (the RUN's BuildKit cache mount)
    QString buildCommand;   ///< runs the package's build script
};

namespace PackageManagers {

/// Every manager, in the order the wizard and messages list them (npm first).
const QList<PackageManagerTraits> &all();
const PackageManagerTraits &traits(PackageManager manager);
QString name(PackageManager manager);
std::optional<PackageManager> fromName(const QString &name);
/// "npm, pnpm, yarn or bun": the names for a sentence.
QString choices();
/// Every lockfile with its manager, in the order a folder's lockfiles are looked for.
QList<std::pair<QString, PackageManager>> lockfiles();

} // namespace PackageManagers

} // namespace Gantry
