// SPDX-License-Identifier: MIT
#pragma once

#include "ship/secretstore.h"

#include <QString>

#include <optional>

namespace GantryTest {

/// What the keychain holds under key (a blocking read): its value, or nullopt when nothing is
/// stored. A keychain that fails reads as a value no test stores ("<the keychain failed: …>"),
/// so neither a check for a value nor a check for "nothing stored" can pass on it.
inline std::optional<QString> storedSecret(const QString &key)
{
    const Gantry::SecretStore::ReadResult r = Gantry::SecretStore::readSecret(key);
    if (!r)
        return QStringLiteral("<the keychain failed: %1>").arg(r.failure().sentence());
    return *r;
}

} // namespace GantryTest
