// SPDX-License-Identifier: MIT
#include "packagemanager.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Gantry::PackageManagers {

const QList<PackageManagerTraits> &all()
{
    static const QList<PackageManagerTraits> table{
        {PackageManager::Npm, u"npm"_s, {u"package-lock.json"_s, u"npm-shrinkwrap.json"_s}, 3, u"package-lock.json*"_s,
         u"if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi"_s,
         u"/root/.npm"_s, u"npm run build"_s},
        {PackageManager::Pnpm, u"pnpm"_s, {u"pnpm-lock.yaml"_s}, 0, u"pnpm-lock.yaml*"_s,
         u"corepack enable && pnpm install --frozen-lockfile"_s, u"/root/.local/share/pnpm/store"_s, u"pnpm run build"_s},
        {PackageManager::Yarn, u"yarn"_s, {u"yarn.lock"_s}, 1, u"yarn.lock*"_s,
         u"corepack enable && yarn install --frozen-lockfile"_s, u"/usr/local/share/.cache/yarn"_s, u"yarn build"_s},
        {PackageManager::Bun, u"bun"_s, {u"bun.lockb"_s, u"bun.lock"_s}, 2, u"bun.lock*"_s,
         u"bun install --frozen-lockfile"_s, u"/root/.bun/install/cache"_s, u"bun run build"_s},
    };
    return table;
}

const PackageManagerTraits &traits(PackageManager manager)
{
    for (const PackageManagerTraits &t : all())
        if (t.manager == manager)
            return t;
    return all().first();
}

QString name(PackageManager manager)
{
    return traits(manager).name;
}

std::optional<PackageManager> fromName(const QString &name)
{
    for (const PackageManagerTraits &t : all())
        if (t.name == name)
            return t.manager;
    return std::nullopt;
}

QString choices()
{
    QStringList names;
    for (const PackageManagerTraits &t : all())
        names << t.name;
    const QString last = names.takeLast();
    return names.join(u", "_s) + u" or "_s + last;
}

QList<std::pair<QString, PackageManager>> lockfiles()
{
    QList<PackageManagerTraits> ranked = all();
    std::stable_sort(ranked.begin(), ranked.end(),
                     [](const PackageManagerTraits &a, const PackageManagerTraits &b) { return a.lockfileRank < b.lockfileRank; });
    QList<std::pair<QString, PackageManager>> files;
    for (const PackageManagerTraits &t : std::as_const(ranked))
        for (const QString &f : t.lockfiles)
            files.append({f, t.manager});
    return files;
}

} // namespace Gantry::PackageManagers
