#!/bin/sh
# SPDX-License-Identifier: MIT
# The `gantry` command of the macOS app: Gantry.app/Contents/Resources/bin/gantry.
#   ln -s /Applications/Gantry.app/Contents/Resources/bin/gantry /usr/local/bin/gantry
# A symlink straight to Contents/MacOS/Gantry is not enough: started through it, Qt does
# not see the bundle and loads none of its plugins (no cocoa, no sqlite). This script
# follows its own links back into the bundle and runs the binary there by its real path.
self=$0
while [ -L "$self" ]; do
  target=$(readlink "$self")
  case "$target" in
    /*) self=$target ;;
    *) self=$(dirname "$self")/$target ;;
  esac
done
bundle=$(cd "$(dirname "$self")/../../.." && pwd -P)
exe=$bundle/Contents/MacOS/Gantry
if [ ! -x "$exe" ]; then
  echo "gantry: $exe is missing: reinstall Gantry.app (this script must stay inside it, in Contents/Resources/bin)." >&2
  exit 127
fi
exec "$exe" "$@"
