# SPDX-License-Identifier: MIT
# Build area: progress parsing over recorded streams, the runner against the real engine,
# `gantry build`, and the Build page.
gantry_test(build_parser tst_build_parser.cpp LIBS gantry_buildrun LABELS build)
gantry_test(buildhistory tst_buildhistory.cpp LIBS gantry_buildrun LABELS build)
gantry_test(build_engine tst_build_engine.cpp LIBS gantry_buildrun LABELS build engine TIME build)
gantry_test(cli_build tst_cli_build.cpp CLI LABELS build engine cli e2e TIME build)
gantry_test(build_page tst_build_page.cpp GUI LABELS build gui engine TIME build)
# A docker context over ssh:// to a real sshd on 127.0.0.1 (gantry_test_ssh, tests/ship.cmake).
gantry_test(build_ssh tst_build_ssh.cpp CLI LIBS gantry_buildrun gantry_test_ssh LABELS build engine cli ssh e2e TIME long)
