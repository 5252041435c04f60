# SPDX-License-Identifier: MIT
# Inspect's benchmark is a script run by hand (not a test):
#   scripts/dev bench/image/run.sh [GIB] [FILES] [LAYERS]
# It builds nothing by itself; build the `gantry` target first.
