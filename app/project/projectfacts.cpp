// SPDX-License-Identifier: MIT
#include "projectfacts.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {
QString relative(const QString &root, const QString &dir)
{
    if (dir.isEmpty())
        return {};
    const QString rel = QDir(root).relativeFilePath(dir);
    return rel.isEmpty() ? u"."_s : rel;
}
} // namespace

QString ProjectFacts::backendRelative() const
{
    return relative(repoRoot, backend.dir);
}

QString ProjectFacts::frontendRelative() const
{
    return frontend ? relative(repoRoot, frontend->dir) : QString();
}

QString ProjectFacts::packageRelative() const
{
    return relative(repoRoot, backend.packageDir.isEmpty() ? backend.dir : backend.packageDir);
}

QString ProjectFacts::workspaceRelative() const
{
    return relative(repoRoot, backend.workspaceRoot.isEmpty() ? backend.dir : backend.workspaceRoot);
}

} // namespace Gantry
