# SPDX-License-Identifier: MIT
# Recipe area: gantry.toml load/save, the Dockerfile writer (golden files), gantry init.
gantry_test(recipe tst_recipe.cpp LIBS gantry_recipe LABELS recipe)
gantry_test(dockerfile tst_dockerfile.cpp LIBS gantry_recipe LABELS recipe)
gantry_test(cli_init tst_cli_init.cpp CLI LABELS recipe cli)
