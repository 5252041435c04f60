# SPDX-License-Identifier: MIT
# Ship: export, SSH transfer (full and layer delta), keychain + askpass, host keys, the page.
# A real sshd on 127.0.0.1 (tests/support/sshserver), the real engine, a real keychain.
add_library(gantry_test_ssh STATIC support/sshserver.h support/sshserver.cpp)
target_include_directories(gantry_test_ssh PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/support)
target_link_libraries(gantry_test_ssh PUBLIC gantry_testsupport gantry_base Qt6::Network)

gantry_test(export tst_export.cpp LIBS gantry_ship gantry_test_ssh LABELS ship engine)
gantry_test(cli_export tst_cli_export.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli)
gantry_test(ship_hostkeys tst_ship_hostkeys.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship cli ssh)
gantry_test(cli_ship tst_cli_ship.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli ssh TIMEOUT 1800)

# The keychain test needs a Secret Service: it runs in its own D-Bus session with an
# unlocked gnome-keyring (as scripts/toolbox/run-tests does for the whole suite).
