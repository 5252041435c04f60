#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs a test program in a private D-Bus session with an unlocked gnome-keyring (the
# Secret Service QtKeychain talks to), the way scripts/toolbox/run-tests runs the suite.
set -e
mkdir -p "$HOME/.local/share/keyrings"
exec dbus-run-session -- sh -c 'echo gantry-test-keyring | gnome-keyring-daemon --unlock --daemonize --components=secrets >/dev/null && exec "$0" "$@"' "$@"
