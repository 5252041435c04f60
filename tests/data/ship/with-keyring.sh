#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs a test program with a Secret Service (what QtKeychain talks to). Inside a D-Bus
# session that already has one (scripts/toolbox/run-tests), it runs as is; otherwise it
# gets a private D-Bus session with an unlocked gnome-keyring whose keyring files live in
# a temporary folder, so it never touches (or depends on) the user's keyrings.
set -e
if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v secret-tool >/dev/null 2>&1 \
   && echo probe | secret-tool store --label=gantry-probe gantry-probe 1 2>/dev/null; then
  secret-tool clear gantry-probe 1 2>/dev/null || true
  exec "$@"
fi
data=$(mktemp -d /tmp/gantry-test-keyring-XXXXXX)
trap 'rm -rf "$data"' EXIT
mkdir -p "$data/keyrings"
XDG_DATA_HOME=$data dbus-run-session -- sh -c 'echo gantry-test-keyring | gnome-keyring-daemon --unlock --daemonize --components=secrets >/dev/null && "$0" "$@"' "$@"
