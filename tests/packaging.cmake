# SPDX-License-Identifier: MIT
# The Linux package: built with CPack, installed into a clean Debian 13 container.
if(NOT APPLE AND GANTRY_E2E_TESTS)
  add_test(NAME packaging_deb COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/packaging/test-deb.sh ${PROJECT_BINARY_DIR})
  set_tests_properties(packaging_deb PROPERTIES LABELS "packaging;engine;e2e")
  gantry_test_time(packaging_deb build)
endif()

# macOS safety nets and Finder integration (issue 18), checked on Linux for real.
gantry_test(macos_safety tst_macos_safety.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS macos ssh linux-only)
gantry_test(fileopen tst_fileopen.cpp GUI LABELS gui macos)
# Secret reads that never hang: a private D-Bus session and gnome-keyring that the test
# stops with SIGSTOP (never the keyring other tests share).
qt_add_executable(tst_keychain_wait tst_keychain_wait.cpp)
gantry_test_pch(tst_keychain_wait)
target_link_libraries(tst_keychain_wait PRIVATE gantry_testsupport gantry_ship Qt6::Test Qt6::Concurrent)
add_test(NAME keychain_wait
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/macos/private-keyring.sh $<TARGET_FILE:tst_keychain_wait>)
set_tests_properties(keychain_wait PROPERTIES LABELS "macos;keychain;linux-only")
gantry_test_time(keychain_wait engine)
# The image identity on the containerd image store: a second, private dockerd (needs root).
gantry_test(image_identity tst_image_identity.cpp GUI LIBS gantry_cli gantry_test_ssh LABELS macos engine gui linux-only e2e TIME build)
# The macOS bundle's CLI wrapper script, in a bundle-shaped folder (plain sh: runs on both).
add_test(NAME packaging_cli_wrapper COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/packaging/test-cli-wrapper.sh)
set_tests_properties(packaging_cli_wrapper PROPERTIES LABELS "packaging;macos")
gantry_test_time(packaging_cli_wrapper unit)
# The macOS deployment target follows Qt's (a cmake -P script: runs anywhere).
add_test(NAME packaging_deployment_target
         COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -P ${CMAKE_CURRENT_SOURCE_DIR}/packaging/test-deployment-target.cmake)
set_tests_properties(packaging_deployment_target PROPERTIES LABELS "packaging;macos")
gantry_test_time(packaging_deployment_target unit)
# The doctor's sentences in a Mac's words (pure: no engine needed).
gantry_test(doctor_words tst_doctor_words.cpp LIBS gantry_base LABELS macos)

# Linux-only tests carry the label "linux-only"; on any other system (`cmake --workflow
# --preset dev` on a Mac) they are DISABLED, which CTest reports as "Not Run (Disabled)"
# instead of a failure. Linux-only means they need what a Mac does not have or allow:
# root logins on a private sshd (useradd/chpasswd, tests/support/sshserver), a D-Bus
# session with gnome-keyring, a second dockerd on a tmpfs (ContainerdEngine), /proc, a
# Debian container for the .deb. New tests of that kind: add LABELS linux-only (or their
# name here). Run at the end of tests/CMakeLists.txt, so it sees every area's tests.
set(GANTRY_LINUX_ONLY_TESTS badinput build_ssh cli_ship secrets ship_containerd ship_faults ship_hostkeys
    ship_jump ship_keychain shippage packaging_deb)
function(gantry_mark_linux_only_tests)
  get_property(tests DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} PROPERTY TESTS)
  foreach(test IN LISTS tests)
    get_test_property(${test} LABELS labels)
    if(test IN_LIST GANTRY_LINUX_ONLY_TESTS OR "linux-only" IN_LIST labels)
      if(NOT "linux-only" IN_LIST labels)
        set_property(TEST ${test} APPEND PROPERTY LABELS linux-only)
      endif()
      if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
        set_property(TEST ${test} PROPERTY DISABLED TRUE)
      endif()
    endif()
  endforeach()
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} CALL gantry_mark_linux_only_tests)
