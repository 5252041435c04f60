# SPDX-License-Identifier: MIT
gantry_fuzzer(image_archive ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_image_archive.cpp LIBS gantry_image
    CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/seeds/image_archive ${PROJECT_SOURCE_DIR}/tests/data/conformance/dive)
gantry_fuzzer(image_manifest ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_image_manifest.cpp LIBS gantry_image
    CORPUS ${CMAKE_CURRENT_SOURCE_DIR}/seeds/image_manifest)
