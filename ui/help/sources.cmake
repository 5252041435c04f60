# SPDX-License-Identifier: MIT
target_sources(gantry_ui PRIVATE
    ${CMAKE_CURRENT_LIST_DIR}/helpwindows.h
    ${CMAKE_CURRENT_LIST_DIR}/helpwindows.cpp
    ${CMAKE_CURRENT_LIST_DIR}/libraryversions.h
    ${CMAKE_CURRENT_LIST_DIR}/libraryversions.cpp
)
# The user guide and its pictures, inside the app (Help ▸ Gantry User Guide works offline).
file(GLOB GANTRY_GUIDE_IMAGES ${PROJECT_SOURCE_DIR}/docs/images/*.png)
qt_add_resources(gantry_ui gantry_guide
    PREFIX "/"
    BASE ${PROJECT_SOURCE_DIR}
    FILES ${PROJECT_SOURCE_DIR}/docs/user-guide.md ${GANTRY_GUIDE_IMAGES}
)
# About shows the versions this build was made with.
if(DEFINED Qt6Keychain_VERSION)
  set_source_files_properties(${CMAKE_CURRENT_LIST_DIR}/libraryversions.cpp PROPERTIES
      COMPILE_DEFINITIONS "GANTRY_QTKEYCHAIN_VERSION=\"${Qt6Keychain_VERSION}\"")
endif()
