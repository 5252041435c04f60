# SPDX-License-Identifier: MIT
target_sources(gantry_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/configurewizard.h
    ${CMAKE_CURRENT_LIST_DIR}/configurewizard.cpp
    ${CMAKE_CURRENT_LIST_DIR}/wizardstep.h
    ${CMAKE_CURRENT_LIST_DIR}/wizardstep.cpp
    ${CMAKE_CURRENT_LIST_DIR}/foldersstep.h
    ${CMAKE_CURRENT_LIST_DIR}/foldersstep.cpp
    ${CMAKE_CURRENT_LIST_DIR}/backendstep.h
    ${CMAKE_CURRENT_LIST_DIR}/backendstep.cpp
    ${CMAKE_CURRENT_LIST_DIR}/frontendstep.h
    ${CMAKE_CURRENT_LIST_DIR}/frontendstep.cpp
    ${CMAKE_CURRENT_LIST_DIR}/targetstep.h
    ${CMAKE_CURRENT_LIST_DIR}/targetstep.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runtimestep.h
    ${CMAKE_CURRENT_LIST_DIR}/runtimestep.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reviewstep.h
    ${CMAKE_CURRENT_LIST_DIR}/reviewstep.cpp
    ${CMAKE_CURRENT_LIST_DIR}/dockerfilehighlighter.h
    ${CMAKE_CURRENT_LIST_DIR}/dockerfilehighlighter.cpp
)
