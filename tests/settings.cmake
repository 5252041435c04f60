# SPDX-License-Identifier: MIT
gantry_test(settings tst_settings.cpp LIBS gantry_settings LABELS settings engine)
gantry_test(preferencesdialog tst_preferencesdialog.cpp GUI LABELS gui settings)
