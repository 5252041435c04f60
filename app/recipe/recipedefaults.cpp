// SPDX-License-Identifier: MIT
#include "recipedefaults.h"

using namespace Qt::StringLiterals;

namespace Gantry {

QStringList debianCratesFor(const BackendFacts &backend)
{
    QStringList out;
    for (const CrateDependency &d : backend.dependencies) {
        if (d.optional)
            continue;
        if (!out.contains(d.name))
            out << d.name;
        for (const QString &f : d.features)
            if (const QString item = d.name + u'+' + f; !out.contains(item))
                out << item;
    }
    return out;
}

BuildRecipe recipeFromFacts(const ProjectFacts &facts)
{
    BuildRecipe r;
    r.backendDir = facts.backendRelative();
    r.binary = facts.backend.defaultBinary;
    if (facts.frontend) {
        r.frontendDir = facts.frontendRelative();
        r.frontendOutputDir = facts.frontend->outputDir.isEmpty() ? u"dist"_s : facts.frontend->outputDir;
        r.packageManager = facts.frontend->packageManager.isEmpty() ? u"npm"_s : facts.frontend->packageManager;
        r.nodeVersion = facts.frontend->nodeMajor;
    }
    r.debianCrates = debianCratesFor(facts.backend);
    r.env = {{u"RUST_LOG"_s, u"info"_s}};
    return r;
}

} // namespace Gantry
