# SPDX-License-Identifier: MIT
# `cmake --build --preset dev --target bench-build` runs bench/build/run-bench (not a test:
# it takes minutes, and half an hour more with --emulated).
add_custom_target(bench-build
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/build/run-bench
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    USES_TERMINAL
    COMMENT "Timing native, cross-compiled (and with --emulated: emulated) builds of the example")
