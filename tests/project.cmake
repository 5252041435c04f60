# SPDX-License-Identifier: MIT
# Project area: scanning backend/frontend folders and the TLS audit of Cargo.lock.
gantry_test(project tst_project.cpp LIBS gantry_project LABELS project)
