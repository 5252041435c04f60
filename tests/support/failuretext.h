// SPDX-License-Identifier: MIT
#pragma once

#include "util/failure.h"

#include <QString>

namespace GantryTest {

/// For QVERIFY2's message: the failure's sentence, empty when it succeeded.
///     const Gantry::Status stored = SecretStore::write(key, value);
///     QVERIFY2(stored, qPrintable(failureText(stored)));
inline QString failureText(const Gantry::Status &s) { return s ? QString() : s.failure().sentence(); }

template<class T>
QString failureText(const Gantry::Result<T> &r)
{
    return r ? QString() : r.failure().sentence();
}

} // namespace GantryTest
