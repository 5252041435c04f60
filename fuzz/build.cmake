# SPDX-License-Identifier: MIT
gantry_fuzzer(build_progress ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_build_progress.cpp LIBS gantry_buildrun
    CORPUS ${PROJECT_SOURCE_DIR}/tests/data/build)
