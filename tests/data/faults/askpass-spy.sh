#!/bin/sh
# SPDX-License-Identifier: MIT
# tst_secrets' SSH_ASKPASS: records what the askpass helper gets from ssh (its arguments and
# its environment) in $GANTRY_TEST_ASKPASS_SPY, runs the real helper ($GANTRY_TEST_ASKPASS_PROGRAM,
# the gantry executable), and records only the sha256 of the answer it got over Gantry's socket
# (never the answer itself) before handing the answer to ssh.
d="$GANTRY_TEST_ASKPASS_SPY"
n=$$
printf '%s\n' "$0" "$@" > "$d/argv.$n"
env > "$d/env.$n"
out=$("$GANTRY_TEST_ASKPASS_PROGRAM" "$@") || exit $?
printf '%s\n' "$out" | sha256sum | cut -d' ' -f1 > "$d/answer.$n"
printf '%s\n' "$out"
