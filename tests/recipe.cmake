# SPDX-License-Identifier: MIT
# Recipe area: gantry.toml load/save, the Dockerfile writer (golden files), gantry init.
gantry_test(recipe tst_recipe.cpp LIBS gantry_recipe LABELS recipe)
gantry_test(dockerfile tst_dockerfile.cpp LIBS gantry_recipe LABELS recipe)
gantry_test(cli_init tst_cli_init.cpp CLI LABELS recipe cli)
# The written Dockerfile really builds the example (amd64 and cross-compiled arm64) offline.
gantry_test(dockerfile_build tst_dockerfile_build.cpp LIBS gantry_recipe Qt6::Network LABELS recipe engine e2e TIME long)
# The Configure wizard (offscreen).
gantry_test(configure tst_configure.cpp GUI LABELS recipe gui)
# Stable layers: rebuilt after a backend-only or frontend-only edit, only that side's layer
# changes (classic store, and the containerd store through a private second engine).
gantry_test(stable_layers tst_stable_layers.cpp LIBS gantry_recipe gantry_test_ssh LABELS recipe engine e2e TIME long)
