# SPDX-License-Identifier: MIT
target_sources(gantry_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/buildstepmodel.h
    ${CMAKE_CURRENT_LIST_DIR}/buildstepmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/buildlogview.h
    ${CMAKE_CURRENT_LIST_DIR}/buildlogview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/builderpicker.h
    ${CMAKE_CURRENT_LIST_DIR}/builderpicker.cpp
)
target_link_libraries(gantry_ui PUBLIC gantry_buildrun)
