# SPDX-License-Identifier: MIT
# Ship: export, SSH transfer (full and layer delta), keychain + askpass, host keys, the page.
# A second machine (tests/support/servermachine: its own sshd, dockerd and image store) or a
# real sshd on 127.0.0.1 (tests/support/sshserver), the real engine, a real keychain.
add_library(gantry_test_ssh STATIC support/sshserver.h support/sshserver.cpp support/servermachine.h support/servermachine.cpp)
target_include_directories(gantry_test_ssh PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/support)
target_link_libraries(gantry_test_ssh PUBLIC gantry_testsupport gantry_base Qt6::Network)

gantry_test(export tst_export.cpp LIBS gantry_ship gantry_test_ssh LABELS ship engine)
gantry_test(cli_export tst_cli_export.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli)
gantry_test(ship_hostkeys tst_ship_hostkeys.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli ssh)
gantry_test(cli_ship tst_cli_ship.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli ssh TIME long)

# The keychain test needs a Secret Service: it runs in its own D-Bus session with an
# unlocked gnome-keyring (as scripts/toolbox/run-tests does for the whole suite).
qt_add_executable(tst_ship_keychain tst_ship_keychain.cpp)
gantry_test_pch(tst_ship_keychain)
target_link_libraries(tst_ship_keychain PRIVATE gantry_testsupport gantry_test_ssh gantry_ship Qt6::Test)
add_dependencies(tst_ship_keychain gantry)
add_test(NAME ship_keychain
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/ship/with-keyring.sh $<TARGET_FILE:tst_ship_keychain>)
set_tests_properties(ship_keychain PROPERTIES LABELS "ship;engine;cli;ssh;keychain"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qt.qpa.*=false")
gantry_test_time(ship_keychain engine)

# The Ship page offscreen: dialogs, export, ships to a second machine (the image in its engine, not ours).
gantry_test(shippage tst_shippage.cpp GUI LIBS gantry_ship gantry_test_ssh LABELS gui ship ssh engine e2e TIME long)
gantry_test(ship_jump tst_ship_jump.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli ssh TIME build)
gantry_test(ship_containerd tst_ship_containerd.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli ssh TIME build)
# The second machine itself (tests/support/servermachine.h): own engine, own sshd, loopback only.
gantry_test(servermachine tst_servermachine.cpp LIBS gantry_test_ssh LABELS ship engine ssh)
gantry_test(ship_from_engine tst_ship_from_engine.cpp GUI LIBS gantry_ship gantry_test_ssh LABELS gui ship ssh engine TIME long)
# An arm64 server (ServerMachine::Arch::Arm64: its dockerd under QEMU): an arm64 image accepted and run, an amd64 one refused.
gantry_test(ship_arm64_server tst_ship_arm64_server.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli ssh e2e TIME long)
# Saving a password from the Ship page's dialog: a real keychain (data/ship/with-keyring.sh), a second machine.
qt_add_executable(tst_ship_password_gui tst_ship_password_gui.cpp)
gantry_test_pch(tst_ship_password_gui GUI)
target_link_libraries(tst_ship_password_gui PRIVATE gantry_testsupport gantry_test_ssh gantry_ship gantry_ui Qt6::Test)
add_dependencies(tst_ship_password_gui gantry)
add_test(NAME ship_password_gui
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/ship/with-keyring.sh $<TARGET_FILE:tst_ship_password_gui>)
set_tests_properties(ship_password_gui PROPERTIES LABELS "ship;gui;ssh;keychain;engine"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qt.qpa.*=false")
gantry_test_time(ship_password_gui engine)
# In-layer deltas without ssh or docker: the reference plan, libzstd against the zstd command,
# the remote apply script under a real sh.
gantry_test(deltaplan tst_deltaplan.cpp LIBS gantry_ship LABELS ship TIME unit)
gantry_test(shipplan tst_shipplan.cpp LIBS gantry_ship LABELS ship TIME unit)
# In-layer deltas end to end: a second machine, real engines, the example's binary layer as a patch
# (initTestCase builds the example twice).
gantry_test(ship_deltas tst_ship_deltas.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli ssh TIME long)

# Deploys (issue 19): the switchover's pure plan, then the real thing — health-gated switch,
# automatic rollback, `gantry rollback`, history — with container secrets from a real keychain.
gantry_test(deployplan tst_deployplan.cpp LIBS gantry_ship LABELS ship TIME unit)
if(GANTRY_E2E_TESTS)
  qt_add_executable(tst_deploys tst_deploys.cpp)
  gantry_test_pch(tst_deploys)
  target_link_libraries(tst_deploys PRIVATE gantry_testsupport gantry_test_ssh gantry_ship gantry_buildrun Qt6::Test Qt6::Network)
  add_dependencies(tst_deploys gantry)
  add_test(NAME deploys
           COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/ship/with-keyring.sh $<TARGET_FILE:tst_deploys>)
  # initTestCase starts a second machine (tests/support/servermachine.h) and builds six small images.
  set_tests_properties(deploys PROPERTIES LABELS "ship;cli;ssh;keychain;engine;e2e"
      ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qt.qpa.*=false")
  gantry_test_time(deploys long)
endif()
gantry_test(deployspanel tst_deployspanel.cpp GUI LIBS gantry_ship LABELS gui ship)
# Health on the server chosen automatically: a second machine whose app port this one cannot reach.
gantry_test(deploy_health_auto tst_deploy_health_auto.cpp CLI LIBS gantry_ship gantry_test_ssh LABELS ship engine cli ssh TIME long)
# The server dialog's container run settings: every field saved and reopened, a secret in a real
# keychain (data/ship/with-keyring.sh) and not in the settings file, the CLI's sentences.
qt_add_executable(tst_serverdialog_run tst_serverdialog_run.cpp)
gantry_test_pch(tst_serverdialog_run GUI)
target_link_libraries(tst_serverdialog_run PRIVATE gantry_testsupport gantry_ship gantry_ui Qt6::Test)
add_dependencies(tst_serverdialog_run gantry)
add_test(NAME serverdialog_run
         COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/data/ship/with-keyring.sh $<TARGET_FILE:tst_serverdialog_run>)
set_tests_properties(serverdialog_run PROPERTIES LABELS "ship;gui;keychain;cli"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;QT_LOGGING_RULES=qt.qpa.*=false")
gantry_test_time(serverdialog_run engine)
