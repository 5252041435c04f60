# SPDX-License-Identifier: MIT
target_sources(gantry_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/configurewizard.h
    ${CMAKE_CURRENT_LIST_DIR}/configurewizard.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dockerfilehighlighter.h
    ${CMAKE_CURRENT_LIST_DIR}/dockerfilehighlighter.cpp
)
