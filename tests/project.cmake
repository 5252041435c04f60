# SPDX-License-Identifier: MIT
# Project area: scanning backend/frontend folders and the TLS audit of Cargo.lock.
gantry_test(project tst_project.cpp LIBS gantry_project LABELS project)
# Gantry's reader of Cargo.toml against `cargo metadata` run in gantry/rust:debian, on every corpus project.
gantry_test(cargometadata tst_cargometadata.cpp LIBS gantry_project LABELS project engine TIME build)
# End to end: Gantry's workspace fixture configured by `gantry init`, built for amd64 and arm64, answering HTTP.
gantry_test(workspace_build tst_workspace_build.cpp CLI LIBS gantry_cli Qt6::Network LABELS project engine cli e2e TIME long)
# When Gantry's recipe is wrong, the build failure says so (recorded cargo/apt/buildx output).
gantry_test(recipefault tst_recipefault.cpp LIBS gantry_buildrun LABELS project build)
# The wizard's provenance lines on the workspace fixture (offscreen, with screenshots).
gantry_test(wizard_provenance tst_wizard_provenance.cpp GUI LABELS project gui)
