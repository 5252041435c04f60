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
qt_add_executable(tst_ship_keychain tst_ship_keychain.cpp)
target_link_libraries(tst_ship_keychain PRIVATE gantry_testsupport gantry_test_ssh gantry_ship Qt6::Test)
add_dependencies(tst_ship_keychain gantry)
add_test(NAME ship_keychain
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/ship/with-keyring.sh $<TARGET_FILE:tst_ship_keychain>)
set_tests_properties(ship_keychain PROPERTIES TIMEOUT 300 LABELS "ship;cli;ssh;keychain"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qt.qpa.*=false")

gantry_test(shippage tst_shippage.cpp GUI LIBS gantry_ship gantry_test_ssh LABELS gui ship ssh engine)
gantry_test(ship_jump tst_ship_jump.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli ssh TIMEOUT 600)
gantry_test(ship_containerd tst_ship_containerd.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli ssh TIMEOUT 600)

# Deploys (issue 19): the switchover's pure plan, then the real thing — health-gated switch,
# automatic rollback, `gantry rollback`, history — with container secrets from a real keychain.
gantry_test(deployplan tst_deployplan.cpp LIBS gantry_ship LABELS ship)
qt_add_executable(tst_deploys tst_deploys.cpp)
target_link_libraries(tst_deploys PRIVATE gantry_testsupport gantry_test_ssh gantry_ship gantry_build Qt6::Test Qt6::Network)
add_dependencies(tst_deploys gantry)
add_test(NAME deploys
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/ship/with-keyring.sh $<TARGET_FILE:tst_deploys>)
# QTEST_FUNCTION_TIMEOUT: initTestCase builds the example twice, which takes longer than
# QtTest's 5 minutes when the build cache is cold and the engine busy.
set_tests_properties(deploys PROPERTIES TIMEOUT 1800 LABELS "ship;cli;ssh;keychain;engine"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qt.qpa.*=false;QTEST_FUNCTION_TIMEOUT=1500000")
gantry_test(deployspanel tst_deployspanel.cpp GUI LIBS gantry_ship LABELS gui ship)
