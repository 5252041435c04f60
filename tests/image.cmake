# SPDX-License-Identifier: MIT
# Inspect: the image archive reader, the size report, the CLI and the Inspect page.
gantry_test(image tst_image.cpp LIBS gantry_image LABELS image)
gantry_test(cli_analyze tst_cli_analyze.cpp CLI LIBS gantry_cli LABELS image cli engine TIME build)
gantry_test(inspectpage tst_inspectpage.cpp GUI LIBS gantry_cli LABELS image gui engine)
