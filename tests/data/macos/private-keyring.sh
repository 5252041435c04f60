#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs a test program in a D-Bus session of its own with an unlocked gnome-keyring whose
# files live in a temporary folder: ALWAYS private (unlike data/ship/with-keyring.sh),
# because tst_keychain_wait stops and continues that keyring daemon, which must never be
# the one other tests use.
set -e
data=$(mktemp -d /tmp/gantry-test-keyring-XXXXXX)
trap 'rm -rf "$data"' EXIT
mkdir -p "$data/keyrings"
XDG_DATA_HOME=$data dbus-run-session -- sh -c 'echo gantry-test-keyring | gnome-keyring-daemon --unlock --daemonize --components=secrets >/dev/null && "$0" "$@"' "$@"
