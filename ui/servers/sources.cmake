# SPDX-License-Identifier: MIT
target_sources(gantry_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/serverlistmodel.h
    ${CMAKE_CURRENT_LIST_DIR}/serverlistmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/layerstatemodel.h
    ${CMAKE_CURRENT_LIST_DIR}/layerstatemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/runsettingswidget.h
    ${CMAKE_CURRENT_LIST_DIR}/runsettingswidget.cpp
    ${CMAKE_CURRENT_LIST_DIR}/serverdialog.h
    ${CMAKE_CURRENT_LIST_DIR}/serverdialog.cpp
    ${CMAKE_CURRENT_LIST_DIR}/deployspanel.h
    ${CMAKE_CURRENT_LIST_DIR}/deployspanel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/exportpanel.h
    ${CMAKE_CURRENT_LIST_DIR}/exportpanel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/serverpanel.h
    ${CMAKE_CURRENT_LIST_DIR}/serverpanel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/serverdetailpanel.h
    ${CMAKE_CURRENT_LIST_DIR}/serverdetailpanel.cpp
)
target_link_libraries(gantry_ui PUBLIC gantry_ship)
