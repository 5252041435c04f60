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

} // namespace Gantry
