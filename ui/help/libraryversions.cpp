// SPDX-License-Identifier: MIT
#include "libraryversions.h"

#include <QCoreApplication>
#include <QtGlobal>

#include <karchive_version.h>
#if __has_include(<toml++/impl/version.hpp>)
#include <toml++/impl/version.hpp>
#endif

using namespace Qt::StringLiterals;

namespace Gantry {

QList<Component> linkedComponents()
{
    QList<Component> list;
    const QString gantry = QCoreApplication::applicationVersion();
#ifdef GANTRY_VERSION
    list << Component{u"Gantry"_s, gantry.isEmpty() ? QStringLiteral(GANTRY_VERSION) : gantry, u"MIT"_s, QString()};
#else
    list << Component{u"Gantry"_s, gantry, u"MIT"_s, QString()};
#endif
    list << Component{u"Qt"_s, QString::fromLatin1(qVersion()), u"LGPL-3.0-only"_s, u"https://www.qt.io/licensing/open-source-lgpl-obligations"_s};
    list << Component{u"KArchive (KDE Frameworks)"_s, QStringLiteral(KARCHIVE_VERSION_STRING), u"LGPL-2.0-or-later"_s,
                      u"https://invent.kde.org/frameworks/karchive"_s};
#ifdef GANTRY_QTKEYCHAIN_VERSION
    const QString keychain = QStringLiteral(GANTRY_QTKEYCHAIN_VERSION);
#else
    const QString keychain;
#endif
    list << Component{u"QtKeychain"_s, keychain, u"BSD-3-Clause"_s, u"https://github.com/frankosterfeld/qtkeychain"_s};
#ifdef TOML_LIB_MAJOR
    const QString toml = u"%1.%2.%3"_s.arg(TOML_LIB_MAJOR).arg(TOML_LIB_MINOR).arg(TOML_LIB_PATCH);
#else
    const QString toml;
#endif
    list << Component{u"toml++"_s, toml, u"MIT"_s, u"https://github.com/marzer/tomlplusplus"_s};
    return list;
}

} // namespace Gantry
