# SPDX-License-Identifier: MIT
# Issue 14 (security): staged exploits against the tool folder, askpass, the remote
# folder, the recipe and the archive readers, each with the fix that stops it. A real
# sshd on 127.0.0.1, the real engine; askpass needs the keychain, so the test runs in its
# own D-Bus session with an unlocked gnome-keyring (data/ship/with-keyring.sh).
qt_add_executable(tst_security tst_security.cpp)
gantry_test_pch(tst_security)
target_link_libraries(tst_security PRIVATE gantry_testsupport gantry_test_ssh gantry_cli Qt6::Test)
add_dependencies(tst_security gantry)
add_test(NAME security
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/ship/with-keyring.sh $<TARGET_FILE:tst_security>)
set_tests_properties(security PROPERTIES LABELS "security;ship;ssh;engine;keychain"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qt.qpa.*=false")
gantry_test_time(security build)
# The pure rules (prompt matching, remote folder and value grammars, terminal text).
gantry_test(security_rules tst_security_rules.cpp LIBS gantry_cli LABELS security)
# Finding 7: hostile archives handed to Ship's one hardened reader (no engine, no ssh).
gantry_test(ship_archive tst_ship_archive.cpp CLI LIBS gantry_cli LABELS security ship cli TIME engine)
