# SPDX-License-Identifier: MIT
# Build area: progress parsing over recorded streams, the runner against the real engine,
# `gantry build`, and the Build page.
gantry_test(build_parser tst_build_parser.cpp LIBS gantry_build LABELS build)
gantry_test(build_engine tst_build_engine.cpp LIBS gantry_build LABELS build engine TIMEOUT 900)
gantry_test(cli_build tst_cli_build.cpp CLI LABELS build engine cli TIMEOUT 900)
gantry_test(build_page tst_build_page.cpp GUI LABELS build gui engine TIMEOUT 900)
# A docker context over ssh:// to a real sshd on 127.0.0.1 (gantry_test_ssh, tests/ship.cmake).
gantry_test(build_ssh tst_build_ssh.cpp CLI LIBS gantry_build gantry_test_ssh LABELS build engine cli ssh TIMEOUT 900)
# A cold cross-compile on a loaded machine can take longer than QTest's 5 minutes per function.
foreach(t build_engine cli_build build_page build_ssh)
  set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT "QTEST_FUNCTION_TIMEOUT=900000")
endforeach()
