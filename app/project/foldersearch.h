// SPDX-License-Identifier: MIT
// Internal to the project scanner (projectscanner.cpp): finds the folders of a repository
// that hold a given file (Cargo.toml, package.json), skipping build and dependency folders.
#pragma once

#include <QString>
#include <QStringList>

namespace Gantry {

/// Folders up to DEPTH levels below root (root itself first, then breadth-first by name) that hold FILE.
QStringList foldersHolding(const QString &root, const QString &file, int depth = 2);

} // namespace Gantry
