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
        plan.failure = Failure(ErrorClass::NotAFolder, u"%1 is not a folder"_s.arg(QDir::toNativeSeparators(repoRoot)),
                               u"Choose the project folder that holds gantry.toml."_s);
        return plan;
    }
    const QDir dir(plan.repoRoot);
    QString dockerfile = u"Dockerfile"_s;
    plan.tag = defaultImageTag(plan.repoRoot);
    if (QFileInfo::exists(dir.filePath(u"gantry.toml"_s))) {
        const Result<BuildRecipe> recipe = BuildRecipe::load(plan.repoRoot);
        if (!recipe) {
            plan.failure = recipe.failure();
            if (plan.failure->sentence().isEmpty())
                plan.failure = Failure(ErrorClass::Unreadable, u"gantry.toml could not be read"_s,
                                       u"Open the project in Configure to write it again."_s);
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
        plan.failure = Failure(ErrorClass::NotFound, u"%1 does not exist"_s.arg(QDir::toNativeSeparators(plan.dockerfile)),
                               plan.hasRecipe || dockerfileOverride.isEmpty()
                                   ? u"Run 'gantry init' (or the Configure page) to write it."_s
                                   : u"Give the path of an existing Dockerfile."_s);
    }
    return plan;
}

BuildRequest ProjectBuildPlan::request(const BuildChoices &choices) const
{
    BuildRequest r;
    r.contextDir = repoRoot;
    r.projectRoot = repoRoot;
    r.dockerfile = dockerfile;
    r.tag = choices.tag.value_or(tag);
    r.platforms = choices.platforms.value_or(platforms);
    if (choices.replaceBuilder) {
        r.builder = choices.builder;
        r.dockerContext = choices.dockerContext;
    } else {
        r.builder = builder;
    }
    r.recipeText = recipeText;
    return r;
}

} // namespace Gantry
