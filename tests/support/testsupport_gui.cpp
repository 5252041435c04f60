// SPDX-License-Identifier: MIT
// Owner of the GUI tests' precompiled header (tests/CMakeLists.txt, GANTRY_PCH): a target
// with exactly the compile definitions of a test that links gantry_ui. Holds no code.
