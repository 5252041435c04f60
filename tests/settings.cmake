# SPDX-License-Identifier: MIT
gantry_test(settings tst_settings.cpp LIBS gantry_settings LABELS settings engine)
gantry_test(preferencesdialog tst_preferencesdialog.cpp GUI LABELS gui settings)
# Main-window features the README promises: drop an archive, quit during a transfer, the ssh program preference.
gantry_test(app_features tst_app_features.cpp GUI LIBS gantry_ship gantry_test_ssh LABELS gui ship ssh engine)
