// SPDX-License-Identifier: MIT
#include "remotepolicy.h"

#include "serverprofile.h"
#include "shellquote.h"

#include <QDir>
#include <QRegularExpression>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace Gantry::RemotePolicy {

namespace {

bool hasControlCharacters(const QString &s)
{
    for (const QChar c : s)
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format)
            return true;
    return false;
}

/// Folders that are never Gantry's, themselves (a folder below them may be: /srv/gantry).
const QStringList &systemFolders()
{
    static const QStringList folders{
        u"/"_s, u"/bin"_s, u"/boot"_s, u"/dev"_s, u"/etc"_s, u"/home"_s, u"/lib"_s, u"/lib32"_s, u"/lib64"_s,
        u"/libx32"_s, u"/media"_s, u"/mnt"_s, u"/opt"_s, u"/proc"_s, u"/root"_s, u"/run"_s, u"/sbin"_s,
        u"/srv"_s, u"/sys"_s, u"/tmp"_s, u"/usr"_s, u"/var"_s, u"/var/lib"_s, u"/var/tmp"_s, u"/var/log"_s,
        u"/Users"_s, u"/Applications"_s, u"/Library"_s, u"/System"_s, u"/Volumes"_s, u"/private"_s,
        u"/private/tmp"_s, u"/private/var"_s, u"/snap"_s};
    return folders;
}

/// Folders whose whole tree belongs to the system.
const QStringList &systemTrees()
{
    static const QStringList trees{u"/bin"_s, u"/boot"_s, u"/dev"_s, u"/etc"_s, u"/lib"_s, u"/lib32"_s, u"/lib64"_s,
                                   u"/libx32"_s, u"/proc"_s, u"/sbin"_s, u"/sys"_s, u"/usr"_s, u"/System"_s,
                                   u"/Library"_s, u"/Applications"_s};
    return trees;
}

QString hexPattern(int digits) { return u"[0-9a-f]"_s.repeated(digits); }

} // namespace

QString folderProblem(const QString &remoteDir)
{
    const QString dir = remoteDir.trimmed();
    const QString choose = u"choose a folder only Gantry uses, e.g. .gantry (under the login's home) or /srv/gantry"_s;
    if (dir.isEmpty())
        return u"The remote folder is empty: use e.g. .gantry (under the login's home)."_s;
    if (hasControlCharacters(dir))
        return u"The remote folder contains control characters: %1."_s.arg(choose);
    if (dir.contains(u'$') || dir.contains(u'`'))
        return u"The remote folder '%1' contains a shell variable or command: %2."_s.arg(dir, choose);
    QString rel = dir;
    if (rel == u"~")
        rel = u"."_s;
    else if (rel.startsWith(u"~/"_s))
        rel = rel.mid(2);
    else if (rel.startsWith(u'~'))
        return u"The remote folder '%1' names another user's home: %2."_s.arg(dir, choose);
    const QString clean = QDir::cleanPath(rel.isEmpty() ? u"."_s : rel);
    if (!clean.startsWith(u'/')) {
        if (clean == u"." || clean.isEmpty())
            return u"The remote folder '%1' is the login's home folder, which holds more than Gantry's files: %2."_s.arg(dir, choose);
        if (clean == u".." || clean.startsWith(u"../"_s))
            return u"The remote folder '%1' climbs out of the login's home: %2."_s.arg(dir, choose);
        return {};
    }
    if (systemFolders().contains(clean, Qt::CaseInsensitive))
        return u"The remote folder '%1' is a system folder: %2."_s.arg(dir, choose);
    for (const QString &tree : systemTrees())
        if (clean.startsWith(tree + u'/', Qt::CaseInsensitive))
            return u"The remote folder '%1' is inside the system folder %2: %3."_s.arg(dir, tree, choose);
    static const QRegularExpression home(QRegularExpression::anchoredPattern(u"/(home|Users)/[^/]+"_s));
    if (home.match(clean).hasMatch())
        return u"The remote folder '%1' is a home folder, which holds more than Gantry's files: %2."_s.arg(dir, choose);
    return {};
}

QString userProblem(const QString &user)
{
    if (user.isEmpty())
        return {};
    static const QRegularExpression grammar(QRegularExpression::anchoredPattern(u"[A-Za-z0-9_][A-Za-z0-9._-]{0,63}\\$?"_s));
    if (!grammar.match(user).hasMatch())
        return u"The user name '%1' is not valid: use the login name on the server (letters, digits, '.', '_' and '-')."_s.arg(user);
    return {};
}

QString prelude(const ServerProfile &s)
{
    // The error texts name $dir; "gantry: " lines become one sentence in remoteError().
    return u"umask 077; dir="_s + shellPath(s.remoteDir) + u"; D="_s + shellQuote(s.dockerCommand)
        + u"; if [ -L \"$dir\" ]; then echo \"gantry: the remote folder $dir is a symbolic link: Gantry uses only a real folder; "
          "set the folder the link points to, or another one, in the server's profile\" >&2; exit 3; fi; "
          "if [ ! -e \"$dir\" ]; then mkdir -p \"$dir\" || { echo \"gantry: cannot create $dir\" >&2; exit 3; }; fi; "
          "[ -d \"$dir\" ] || { echo \"gantry: the remote folder $dir is not a folder\" >&2; exit 3; }; "
          "[ -n \"$(find \"$dir\" -prune -user \"$(id -u)\")\" ] || { echo \"gantry: the remote folder $dir is owned by another user: "
          "Gantry keeps its files only in a folder the login user owns; choose another one in the server's profile\" >&2; exit 3; }; "
          "if [ ! -f \"$dir/.gantry-folder\" ]; then for e in \"$dir\"/* \"$dir\"/.[!.]*; do case \"${e##*/}\" in "
          "blobs|archives|tmp|'*'|'.[!.]*') ;; *) echo \"gantry: the remote folder $dir holds files that are not Gantry's (${e##*/}): "
          "choose a new folder for Gantry in the server's profile\" >&2; exit 3 ;; esac; done; "
          "touch \"$dir/.gantry-folder\" 2>/dev/null || { echo \"gantry: the remote folder $dir is not writable\" >&2; exit 3; }; fi; "
          "for s in blobs archives tmp; do if [ -L \"$dir/$s\" ]; then echo \"gantry: $dir/$s is a symbolic link: Gantry uses only real folders; remove it\" >&2; exit 3; fi; done; "_s;
}

QString archiveNamePattern()
{
    const QString hex = hexPattern(64);
    QStringList alternatives;
    for (const QString &suffix : {u".tar"_s, u".tar.gz"_s, u".tar.zst"_s, u".tar.xz"_s, u".tar.bz2"_s, u".tgz"_s})
        alternatives << u"\"$dir\"/archives/"_s + hex + suffix;
    return alternatives.join(u'|');
}

QString tokenNamePattern() { return u"'"_s + hexPattern(32) + u"'"_s; }

QString refuseLink(const QString &fileWord)
{
    return u"if [ -L "_s + fileWord + u" ]; then echo \"gantry: \""_s + fileWord
        + u"\" is a symbolic link in Gantry's folder: Gantry never writes through one; remove it\" >&2; exit 3; fi; "_s;
}

QString wrapInSh(const QString &script) { return u"sh -c "_s + shellQuote(script); }

} // namespace Gantry::RemotePolicy
