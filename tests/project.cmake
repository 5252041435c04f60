# SPDX-License-Identifier: MIT
# Project area: scanning backend/frontend folders and the TLS audit of Cargo.lock.
gantry_test(project tst_project.cpp LIBS gantry_project LABELS project)
# Gantry's reader of Cargo.toml against `cargo metadata` run in gantry/rust:debian, on every corpus project.
gantry_test(cargometadata tst_cargometadata.cpp LIBS gantry_project LABELS project engine TIMEOUT 900)
