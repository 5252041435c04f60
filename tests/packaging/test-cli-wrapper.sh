#!/bin/sh
# SPDX-License-Identifier: MIT
# The macOS bundle's `gantry` wrapper (packaging/macos/gantry-cli.sh), run on Linux in a
# bundle-shaped folder: reached through an absolute and a relative symlink, as
# `ln -s .../Gantry.app/Contents/Resources/bin/gantry /usr/local/bin/gantry` makes it,
# it runs Contents/MacOS/Gantry by its real path with the arguments unchanged; without
# the binary it says so and exits 127. (The stand-in binary prints what it was given.)
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
t=$(mktemp -d "${TMPDIR:-/tmp}/gantry-test-wrapper-XXXXXX")
trap 'rm -rf "$t"' EXIT
app=$t/Applications/Gantry.app
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources/bin" "$t/usr/local/bin" "$t/home/bin"
printf '#!/bin/sh\nprintf "%%s|" "$0" "$@"\n' >"$app/Contents/MacOS/Gantry"
chmod +x "$app/Contents/MacOS/Gantry"
cp "$src/packaging/macos/gantry-cli.sh" "$app/Contents/Resources/bin/gantry"
ln -s "$app/Contents/Resources/bin/gantry" "$t/usr/local/bin/gantry"
ln -s ../../usr/local/bin/gantry "$t/home/bin/gantry"
real=$(cd "$app" && pwd -P)/Contents/MacOS/Gantry
fail() { echo "FAIL: $*" >&2; exit 1; }
out=$("$t/usr/local/bin/gantry" doctor --json)
[ "$out" = "$real|doctor|--json|" ] || fail "absolute link ran: $out"
out=$("$t/home/bin/gantry" ship "two words" "")
[ "$out" = "$real|ship|two words||" ] || fail "relative link ran: $out"
rm "$app/Contents/MacOS/Gantry"
if err=$("$t/usr/local/bin/gantry" doctor 2>&1); then fail "ran without the binary"; fi
"$t/usr/local/bin/gantry" doctor >/dev/null 2>&1 || [ $? -eq 127 ] || fail "exit status is not 127"
case "$err" in *"is missing: reinstall Gantry.app"*) ;; *) fail "no clear sentence: $err" ;; esac
echo "ok: the wrapper runs the bundle's binary through absolute and relative links"
