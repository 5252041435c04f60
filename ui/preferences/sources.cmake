# SPDX-License-Identifier: MIT
target_sources(gantry_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/preferencesdialog.h
    ${CMAKE_CURRENT_LIST_DIR}/preferencesdialog.cpp
)
