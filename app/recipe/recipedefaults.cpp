// SPDX-License-Identifier: MIT
#include "recipedefaults.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace Gantry {

QStringList debianCratesFor(const BackendFacts &backend)
{
    QStringList out;
    for (const CrateDependency &d : backend.dependencies) {
        // Path, git and workspace crates are the user's own: Debian has no package for them.
        if (d.optional || d.local)
            continue;
        bool needed = backend.neededPackages.isEmpty() || d.usedBy.isEmpty();
        for (const QString &p : d.usedBy)
            needed = needed || backend.neededPackages.contains(p);
        if (!needed)
            continue;
        if (!out.contains(d.name))
            out << d.name;
        for (const QString &f : d.features)
            if (const QString item = d.name + u'+' + f; !out.contains(item))
                out << item;
    }
    return out;
}

namespace {
QString relativeTo(const QString &root, const QString &abs)
{
    const QString rel = QDir(root).relativeFilePath(abs);
    return rel.isEmpty() ? u"."_s : rel;
}
} // namespace

void applyWorkspaceLayout(BuildRecipe &r, const ProjectFacts &facts)
{
    const BackendFacts &b = facts.backend;
    r.workspaceDir.clear();
    r.package.clear();
    r.workspaceMembers.clear();
    r.workspaceSources.clear();
    r.workspaceStandIns.clear();
    r.cargoConfig = false;
    // The binary's own package and path crates (the candidate the recipe ships).
    const BinaryCandidate *chosen = nullptr;
    for (const BinaryCandidate &c : b.candidates)
        if (c.binary == r.binary && (!chosen || c.package == b.package))
            chosen = &c;
    const bool member = chosen && !b.workspaceRoot.isEmpty()
                        && (chosen->packageDir != b.workspaceRoot || b.workspaceMemberDirs.size() > 1);
    if (!member)
        return;
    r.workspaceDir = relativeTo(facts.repoRoot, b.workspaceRoot);
    r.package = chosen->package;
    for (const QString &m : b.workspaceMemberDirs)
        if (m != b.workspaceRoot)
            r.workspaceMembers << relativeTo(facts.repoRoot, m);
    for (const QString &d : chosen->neededDirs)
        r.workspaceSources << relativeTo(facts.repoRoot, d);
    for (auto it = b.targetFiles.cbegin(); it != b.targetFiles.cend(); ++it) {
        if (chosen->neededDirs.contains(it.key()) || chosen->neededDirs.contains(b.workspaceRoot))
            continue;
        for (const QString &f : it.value())
            r.workspaceStandIns << relativeTo(facts.repoRoot, it.key() + u'/' + f);
    }
    r.workspaceStandIns.sort();
    r.cargoConfig = b.cargoConfig == b.workspaceRoot + u"/.cargo/config.toml"_s;
}

BuildRecipe recipeFromFacts(const ProjectFacts &facts)
{
    BuildRecipe r;
    r.backendDir = facts.backendRelative();
    r.binary = facts.backend.defaultBinary;
    if (facts.frontend) {
        r.frontendDir = facts.frontendRelative();
        r.frontendOutputDir = facts.frontend->outputDir.isEmpty() ? u"dist"_s : facts.frontend->outputDir;
        r.packageManager = facts.frontend->packageManager;
        r.nodeVersion = facts.frontend->nodeMajor;
        if (!facts.frontend->lockfileDir.isEmpty() && facts.frontend->lockfileDir != facts.frontend->dir)
            r.frontendRoot = relativeTo(facts.repoRoot, facts.frontend->lockfileDir);
    }
    r.debianCrates = debianCratesFor(facts.backend);
    applyWorkspaceLayout(r, facts);
    r.env = {{u"RUST_LOG"_s, u"info"_s}};
    return r;
}

} // namespace Gantry
