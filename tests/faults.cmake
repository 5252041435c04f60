# SPDX-License-Identifier: MIT
# Fault injection for shipping and the secrets test (issue 7): a second machine
# (tests/support/servermachine.h: its own sshd, dockerd and disk, with real tmpfs mounts
# and a real link cut), the real engine, a real keychain.
gantry_test(ship_faults tst_ship_faults.cpp CLI LIBS gantry_ship gantry_test_ssh Qt6::Concurrent LABELS ship engine ssh faults TIME build)

# The secrets test needs a Secret Service: its own D-Bus session with an unlocked
# gnome-keyring (data/ship/with-keyring.sh), as ship_keychain.
qt_add_executable(tst_secrets tst_secrets.cpp)
gantry_test_pch(tst_secrets)
target_link_libraries(tst_secrets PRIVATE gantry_testsupport gantry_test_ssh gantry_ship Qt6::Test)
add_dependencies(tst_secrets gantry)
add_test(NAME secrets COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/ship/with-keyring.sh $<TARGET_FILE:tst_secrets>)
set_tests_properties(secrets PROPERTIES LABELS "ship;cli;ssh;keychain;secrets"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qt.qpa.*=false")
gantry_test_time(secrets engine)
