# SPDX-License-Identifier: MIT
gantry_fuzzer(recipe_toml ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_recipe_toml.cpp LIBS gantry_recipe
    CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/seeds/recipe_toml)
