// SPDX-License-Identifier: MIT
#include "recipebuild.h"

#include "recipe/buildrecipe.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace Gantry {

QString defaultImageTag(const QString &repoRoot)
{
    QString name = QFileInfo(repoRoot).fileName().toLower();
    static const QRegularExpression bad(u"[^a-z0-9._-]+"_s);
    name.replace(bad, u"-"_s);
    while (!name.isEmpty() && !name.at(0).isLetterOrNumber())
        name.remove(0, 1);
    return (name.isEmpty() ? u"gantry-image"_s : name) + u":latest"_s;
}

ProjectBuildPlan planProjectBuild(const QString &repoRoot, const QString &dockerfileOverride)
{
    ProjectBuildPlan plan;
    const QFileInfo root(repoRoot);
    plan.repoRoot = root.absoluteFilePath();
    if (!root.isDir()) {
        plan.error = u"%1 is not a folder. Choose the project folder that holds gantry.toml."_s.arg(QDir::toNativeSeparators(repoRoot));
        return plan;
    }
    const QDir dir(plan.repoRoot);
    QString dockerfile = u"Dockerfile"_s;
    plan.tag = defaultImageTag(plan.repoRoot);
    if (QFileInfo::exists(dir.filePath(u"gantry.toml"_s))) {
        const Result<BuildRecipe> recipe = BuildRecipe::load(plan.repoRoot);
        if (!recipe) {
            plan.error = recipe.failure().sentence();
            if (plan.error.isEmpty())
                plan.error = u"gantry.toml could not be read. Open the project in Configure to write it again."_s;
            return plan;
        }
        plan.hasRecipe = true;
        QFile f(dir.filePath(u"gantry.toml"_s));
        if (f.open(QIODevice::ReadOnly))
            plan.recipeText = QString::fromUtf8(f.readAll());
        dockerfile = recipe->dockerfile.isEmpty() ? u"Dockerfile"_s : recipe->dockerfile;
        plan.tag = recipe->effectiveImageTag();
        plan.platforms = recipe->platforms;
        plan.builder = recipe->builder;
    }
    if (!dockerfileOverride.isEmpty())
        dockerfile = dockerfileOverride;
    plan.dockerfile = QFileInfo(dockerfile).isAbsolute() ? dockerfile : dir.filePath(dockerfile);
    if (!QFileInfo(plan.dockerfile).isFile()) {
        plan.error = plan.hasRecipe || dockerfileOverride.isEmpty()
                         ? u"%1 does not exist. Run 'gantry init' (or the Configure page) to write it."_s.arg(QDir::toNativeSeparators(plan.dockerfile))
                         : u"%1 does not exist. Give the path of an existing Dockerfile."_s.arg(QDir::toNativeSeparators(plan.dockerfile));
    }
    return plan;
}

BuildRequest ProjectBuildPlan::request(const QString &platform) const
{
    BuildRequest r;
    r.contextDir = repoRoot;
    r.projectRoot = repoRoot;
    r.dockerfile = dockerfile;
    r.tag = tag;
    r.builder = builder;
    r.recipeText = recipeText;
    if (!platform.isEmpty())
        r.platforms = {platform};
    else if (!platforms.isEmpty())
        r.platforms = {platforms.constFirst()};
    return r;
}

} // namespace Gantry
