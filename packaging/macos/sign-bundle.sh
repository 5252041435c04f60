#!/bin/sh
# SPDX-License-Identifier: MIT
# packaging/macos/sign-bundle.sh Gantry.app IDENTITY — signs a deployed bundle inside
# out with the hardened runtime and a secure timestamp (what notarisation requires):
# every loose Mach-O library and plugin first, then each framework, then the app with
# its entitlements; codesign --verify --strict checks the result. CPack runs it on the
# STAGED bundle (the one that goes into the DMG), see packaging/macos/cpack-sign.cmake.
set -eu
app=${1:?usage: sign-bundle.sh Gantry.app IDENTITY}
identity=${2:?usage: sign-bundle.sh Gantry.app IDENTITY}
here=$(cd "$(dirname "$0")" && pwd)
sign() { codesign --force --timestamp --options runtime --sign "$identity" "$@"; }
# Loose libraries and plugins (not those inside a framework: the framework's signature covers them).
find "$app/Contents" -type f \( -name '*.dylib' -o -name '*.so' \) -not -path '*.framework/*' | while IFS= read -r f; do
  sign "$f"
done
# Frameworks, deepest first (a framework may nest another).
find "$app/Contents" -type d -name '*.framework' | awk '{ print length, $0 }' | sort -rn | cut -d' ' -f2- | while IFS= read -r fw; do
  sign "$fw"
done
# Any other Mach-O executable besides the main one (helpers), then the app itself.
find "$app/Contents/MacOS" -type f -not -name Gantry | while IFS= read -r f; do
  file -b "$f" | grep -q 'Mach-O' && sign "$f"
done
sign --entitlements "$here/entitlements.plist" "$app"
codesign --verify --deep --strict --verbose=2 "$app"
echo "Signed $app as $identity (hardened runtime)."
