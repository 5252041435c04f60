#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the DEB with CPack, installs it into a clean Debian 13 container (the locally
# debootstrapped gantry/debian:trixie, apt from Debian's archive), then starts the
# installed gantry: the window offscreen (a screenshot must come out) and `gantry doctor`
# against the host's engine through the mounted socket.
set -euo pipefail
build=${1:?usage: test-deb.sh BUILD_DIR}
cd "$build"
rm -f gantry_*.deb
cpack -G DEB >cpack.log 2>&1 || { cat cpack.log; echo "FAIL: cpack could not build the DEB"; exit 1; }
deb=$(ls "$build"/gantry_*.deb)
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes)"
dpkg-deb --info "$deb" | sed -n 's/^ \(Depends\|Recommends\):/  \1:/p'
out=$build/deb-test
rm -rf "$out"; mkdir -p "$out"
docker run --rm -v /var/run/docker.sock:/var/run/docker.sock -v "$build:$build" \
  -e DEB="$deb" -e OUT="$out" gantry/debian:trixie sh -ec '
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$DEB" docker-cli docker-buildx fonts-dejavu-core >/dev/null
    test -x /usr/bin/gantry
    test -f /usr/share/applications/dev.gantry.Gantry.desktop
    test -f /usr/share/icons/hicolor/scalable/apps/dev.gantry.Gantry.svg
    gantry --version
    QT_QPA_PLATFORM=offscreen gantry --screenshot "$OUT/installed-window.png"
    gantry doctor
  '
test -s "$out/installed-window.png" || { echo "FAIL: the installed gantry did not save a screenshot"; exit 1; }
echo "PASS: the DEB installs in a clean Debian 13 container; gantry opens offscreen and gantry doctor sees the engine"
