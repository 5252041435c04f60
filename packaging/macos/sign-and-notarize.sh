#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Signs Gantry.app (and the DMG made from it) and submits the DMG for notarisation.
#   packaging/macos/sign-and-notarize.sh build/macos-release
# Needs on the Mac: Xcode's command line tools; for signing, a "Developer ID
# Application" identity in the keychain named by GANTRY_SIGN_IDENTITY; for
# notarisation, a notarytool keychain profile named by GANTRY_NOTARY_PROFILE
# (xcrun notarytool store-credentials ...). Without an identity it says so and only
# checks the unsigned bundle — it never pretends to have signed.
set -euo pipefail
build=${1:?usage: sign-and-notarize.sh BUILD_DIR}
app=$(find "$build" -maxdepth 3 -name 'Gantry.app' -type d | head -n 1)
[ -n "$app" ] || { echo "No Gantry.app under $build: run 'cmake --workflow --preset macos-release' first." >&2; exit 1; }
[ "$(uname)" = Darwin ] || { echo "Signing needs macOS (codesign, notarytool); this is $(uname)." >&2; exit 1; }

entitlements=$(dirname "$0")/entitlements.plist
if [ -z "${GANTRY_SIGN_IDENTITY:-}" ]; then
  echo "GANTRY_SIGN_IDENTITY is not set: the app is NOT signed (Gatekeeper will warn users)."
  echo "Set it to your 'Developer ID Application: NAME (TEAMID)' identity to sign."
  codesign --verify --deep --strict "$app" 2>/dev/null && echo "(the bundle carries an ad-hoc or earlier signature)" || true
  exit 0
fi
echo "Signing $app as $GANTRY_SIGN_IDENTITY"
# Frameworks and plugins first, then the app, with the hardened runtime notarisation requires.
find "$app/Contents" \( -name '*.dylib' -o -name '*.so' -o -name '*.framework' \) -print0 |
  xargs -0 -I{} codesign --force --timestamp --options runtime --sign "$GANTRY_SIGN_IDENTITY" {}
codesign --force --timestamp --options runtime --entitlements "$entitlements" --sign "$GANTRY_SIGN_IDENTITY" "$app"
codesign --verify --deep --strict --verbose=2 "$app"

(cd "$build" && cpack -G DragNDrop)
dmg=$(ls -t "$build"/Gantry-*.dmg | head -n 1)
codesign --force --timestamp --sign "$GANTRY_SIGN_IDENTITY" "$dmg"
if [ -z "${GANTRY_NOTARY_PROFILE:-}" ]; then
  echo "GANTRY_NOTARY_PROFILE is not set: $dmg is signed but NOT notarised."
  exit 0
fi
xcrun notarytool submit "$dmg" --keychain-profile "$GANTRY_NOTARY_PROFILE" --wait
xcrun stapler staple "$dmg"
spctl --assess --type open --context context:primary-signature -v "$dmg"
echo "Signed, notarised and stapled: $dmg"
