#!/bin/sh
# SPDX-License-Identifier: MIT
# packaging/macos/check-bundle.sh Gantry.app — fails (exit 1, one line per problem) when
# a Mach-O file in the bundle loads a library from outside the bundle and the system
# (/usr/lib, /System), e.g. /opt/homebrew/... left behind by a deploy step, or an
# @rpath/@loader_path/@executable_path name that resolves to nothing inside the bundle.
# Needs otool (Xcode's command line tools) and file.
set -eu
app=${1:?usage: check-bundle.sh Gantry.app}
[ -d "$app/Contents" ] || { echo "$app is not an app bundle." >&2; exit 1; }
command -v otool >/dev/null || { echo "otool is missing: install Xcode's command line tools (xcode-select --install)." >&2; exit 1; }
app=$(cd "$app" && pwd -P)
problems=$(mktemp)
trap 'rm -f "$problems"' EXIT
find "$app/Contents" -type f | while IFS= read -r f; do
  file -b "$f" | grep -q 'Mach-O' || continue
  dir=$(dirname "$f")
  # The first line names the file; for a dylib the second is its own id.
  otool -L "$f" | tail -n +2 | sed 's/^[[:space:]]*//; s/ (compatibility.*$//' | while IFS= read -r lib; do
    case "$lib" in
      *:) continue ;; # "FILE (architecture arm64):" headers of a universal file
      /usr/lib/*|/System/*) continue ;;
      @executable_path/*) path=$app/Contents/MacOS/${lib#@executable_path/} ;;
      @loader_path/*) path=$dir/${lib#@loader_path/} ;;
      @rpath/*) path=$app/Contents/Frameworks/${lib#@rpath/} ;;
      *) echo "${f#$app/}: loads $lib, outside the bundle" >>"$problems"; continue ;;
    esac
    [ "$path" = "$f" ] && continue
    [ -e "$path" ] || echo "${f#$app/}: loads $lib, which is not in the bundle ($path)" >>"$problems"
  done
done
if [ -s "$problems" ]; then
  sort -u "$problems" >&2
  echo "Gantry.app is not self-contained: $(sort -u "$problems" | wc -l | tr -d ' ') library reference(s) above point outside it." >&2
  exit 1
fi
echo "Gantry.app is self-contained: every library it loads is inside it or part of macOS."
