// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

namespace Gantry {

/// A part Gantry is made of or drives, for About: its version and licence.
struct Component
{
    QString name;
    QString version;   ///< empty: unknown (e.g. docker when the engine was not reached)
    QString licence;   ///< SPDX identifier
    QString url;
};

/// Gantry, Qt, KArchive, QtKeychain and toml++ as linked into this build.
QList<Component> linkedComponents();

} // namespace Gantry
