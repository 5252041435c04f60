# SPDX-License-Identifier: MIT
target_sources(gantry_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/layertablemodel.h
    ${CMAKE_CURRENT_LIST_DIR}/layertablemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/layerchartmodel.h
    ${CMAKE_CURRENT_LIST_DIR}/layerchartmodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/layerchartview.h
    ${CMAKE_CURRENT_LIST_DIR}/layerchartview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/filetreemodel.h
    ${CMAKE_CURRENT_LIST_DIR}/filetreemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/reclaimablemodel.h
    ${CMAKE_CURRENT_LIST_DIR}/reclaimablemodel.cpp
    ${CMAKE_CURRENT_LIST_DIR}/sizehistoryview.h
    ${CMAKE_CURRENT_LIST_DIR}/sizehistoryview.cpp
    ${CMAKE_CURRENT_LIST_DIR}/treemapwidget.h
    ${CMAKE_CURRENT_LIST_DIR}/treemapwidget.cpp
    ${CMAKE_CURRENT_LIST_DIR}/chartstyle.h
    ${CMAKE_CURRENT_LIST_DIR}/chartstyle.cpp
    ${CMAKE_CURRENT_LIST_DIR}/comparewidget.h
    ${CMAKE_CURRENT_LIST_DIR}/comparewidget.cpp
)
