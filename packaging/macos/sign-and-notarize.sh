#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes the release DMG: signed app inside, signed + notarised + stapled DMG outside.
#   GANTRY_SIGN_IDENTITY="Developer ID Application: NAME (TEAMID)" \
#   GANTRY_NOTARY_PROFILE=gantry packaging/macos/sign-and-notarize.sh build/macos-release
# Needs on the Mac: Xcode's command line tools; for signing, the identity in the keychain;
# for notarisation, a notarytool keychain profile (xcrun notarytool store-credentials).
# Order: cpack installs and deploys the app into its staging folder, where
# cpack-sign.cmake signs it inside out (sign-bundle.sh) and notarises and staples it; the
# DMG is made from that staged app; then the DMG is signed, notarised and stapled here.
# Without an identity it says so and makes an unsigned DMG — it never pretends to sign.
set -euo pipefail
build=${1:?usage: sign-and-notarize.sh BUILD_DIR}
[ "$(uname)" = Darwin ] || { echo "Signing needs macOS (codesign, notarytool); this is $(uname)." >&2; exit 1; }
[ -f "$build/CPackConfig.cmake" ] || { echo "No CPack configuration in $build: run 'cmake --workflow --preset macos-release' first." >&2; exit 1; }

(cd "$build" && cpack -G DragNDrop)
dmg=$(ls -t "$build"/Gantry-*.dmg | head -n 1)
if [ -z "${GANTRY_SIGN_IDENTITY:-}" ]; then
  echo "GANTRY_SIGN_IDENTITY is not set: $dmg and the app in it are NOT signed (Gatekeeper will refuse them)."
  exit 0
fi
codesign --force --timestamp --sign "$GANTRY_SIGN_IDENTITY" "$dmg"
if [ -z "${GANTRY_NOTARY_PROFILE:-}" ]; then
  echo "GANTRY_NOTARY_PROFILE is not set: $dmg is signed but NOT notarised."
  exit 0
fi
xcrun notarytool submit "$dmg" --keychain-profile "$GANTRY_NOTARY_PROFILE" --wait
xcrun stapler staple "$dmg"
xcrun stapler validate "$dmg"
spctl --assess --type open --context context:primary-signature -v "$dmg"
echo "Signed, notarised and stapled: $dmg (the app inside is signed, notarised and stapled too)"
