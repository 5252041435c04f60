# SPDX-License-Identifier: MIT
# Recipe area: gantry.toml load/save, the Dockerfile writer (golden files), gantry init.
gantry_test(recipe tst_recipe.cpp LIBS gantry_recipe LABELS recipe)
gantry_test(dockerfile tst_dockerfile.cpp LIBS gantry_recipe LABELS recipe)
gantry_test(cli_init tst_cli_init.cpp CLI LABELS recipe cli)
# The written Dockerfile really builds the example (amd64 and cross-compiled arm64) offline.
gantry_test(dockerfile_build tst_dockerfile_build.cpp LIBS gantry_recipe Qt6::Network LABELS recipe engine TIME long)
# The Configure wizard (offscreen).
gantry_test(configure tst_configure.cpp GUI LABELS recipe gui)
