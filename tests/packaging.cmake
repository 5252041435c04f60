# SPDX-License-Identifier: MIT
# The Linux package: built with CPack, installed into a clean Debian 13 container.
if(NOT APPLE)
  add_test(NAME packaging_deb COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/packaging/test-deb.sh ${PROJECT_BINARY_DIR})
  set_tests_properties(packaging_deb PROPERTIES LABELS "packaging;engine")
  gantry_test_time(packaging_deb build)
endif()
