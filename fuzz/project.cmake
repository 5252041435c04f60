# SPDX-License-Identifier: MIT
gantry_fuzzer(project_scan ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_project_scan.cpp LIBS gantry_project
    CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/seeds/project_scan)
