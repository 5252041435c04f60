// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Gantry {

struct Preferences;

/// The external programs Gantry drives, resolved once at start-up (and again when the
/// preferences change). Every part of Gantry starts them by name ("docker", "ssh"), so
/// the choice is applied where all of them look: Gantry puts a private folder with
/// links to the chosen programs first on its own PATH (children inherit it), followed
/// by the programs' real folders (Docker Desktop keeps buildx and credential helpers
/// beside docker). A macOS app started from Finder gets a bare PATH; this is also what
/// makes Docker Desktop, OrbStack, Colima or Homebrew installs work there.
struct ToolPaths
{
    QString docker; ///< absolute path, or empty when none was found
    QString ssh;
    QString binDir; ///< the private folder put first on PATH
};

/// Resolves docker and ssh from the preferences (or automatically) and applies them to
/// this process's PATH. Returns what was resolved. Safe to call again.
ToolPaths applyToolPreferences(const Preferences &preferences);

/// Finds ssh: the given path, PATH, then the usual places.
QString findSshExecutable(const QString &preferred);

} // namespace Gantry
