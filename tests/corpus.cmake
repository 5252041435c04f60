# SPDX-License-Identifier: MIT
# The bad-input corpus (tests/data/badinput/README.md): one table-driven test over every
# entry point — folders, manifests, recipes, archives (no engine), builds (the real engine)
# and transfers (a real sshd on 127.0.0.1).
gantry_test(badinput tst_badinput.cpp
    LIBS gantry_project gantry_recipe gantry_image gantry_buildrun gantry_ship gantry_test_ssh
    CLI LABELS badinput engine ssh TIME build)
