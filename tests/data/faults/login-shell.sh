#!/bin/sh
# SPDX-License-Identifier: MIT
# Login shell of tst_ship_faults' server user: the real /bin/sh with the slowed-down tools
# of bin/ first on PATH, so a test can hold the server at a known point of a ship.
PATH="$(dirname "$0")/bin:$PATH"
export PATH
exec /bin/sh "$@"
