// SPDX-License-Identifier: MIT
#pragma once

#include "project/projectfacts.h"
#include "util/failure.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Gantry {

/// What an audit of Cargo.lock found: one finding per crate the user can switch to rustls,
/// and every crate the lockfile names (in lockfile order).
struct LockAudit
{
    QList<TlsFinding> findings;
    QStringList allCrates;
};

/// Reads Cargo.lock text and finds every way OpenSSL enters the build of the user's crates
/// (rootCrates: the package names of the user's own crates). One finding per crate the
/// user can switch to rustls, with the dependency chain and the switch named by feature.
/// A ManifestSyntax failure (cause with line:column, fix) when the lockfile does not parse.
Result<LockAudit> auditCargoLock(const QString &lockText, const QStringList &rootCrates,
                                 const QString &fileName = QStringLiteral("Cargo.lock"));

/// The audit for one shipped package: walks from PACKAGE through the user's own crates
/// (OWNCRATES, plus every lockfile entry without a `source`: path and workspace crates) and
/// gives one finding per outside crate they depend on that brings OpenSSL in, in lockfile
/// order; crate = that outside crate, chain = package → own crates → it → … → the OpenSSL
/// crate. A ManifestSyntax failure (with line:column) when the lockfile does not parse.
Result<LockAudit> auditShippedPackage(const QString &lockText, const QString &package, const QStringList &ownCrates,
                                      const QString &fileName = QStringLiteral("Cargo.lock"));

/// The crates that are OpenSSL or bind to it.
QStringList opensslCrates();

/// The fix for a crate users hit most (reqwest, sqlx, ...); empty when Gantry knows none.
QString rustlsFixFor(const QString &crate);

} // namespace Gantry
