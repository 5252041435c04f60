// SPDX-License-Identifier: MIT
#include "foldersearch.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace Gantry {

namespace {

bool skippedFolder(const QString &name)
{
    return name.startsWith(u'.') || name == u"node_modules" || name == u"target" || name == u"dist"
           || name == u"build" || name == u"vendor";
}

/// FILE is there (a link that leads nowhere counts: reading it then says what is wrong).
bool present(const QString &path)
{
    const QFileInfo fi(path);
    return fi.exists() || fi.isSymLink();
}

} // namespace

QStringList foldersHolding(const QString &root, const QString &file, int depth)
{
    QStringList out;
    QStringList level{root};
    for (int d = 0; d <= depth && !level.isEmpty(); ++d) {
        QStringList next;
        for (const QString &dir : std::as_const(level)) {
            if (present(dir + u'/' + file))
                out << dir;
            if (d == depth)
                continue;
            const QDir r(dir);
            for (const QString &a : r.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name))
                if (!skippedFolder(a))
                    next << r.filePath(a);
        }
        level = next;
    }
    return out;
}

} // namespace Gantry
