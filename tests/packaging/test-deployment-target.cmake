# SPDX-License-Identifier: MIT
# cmake -DSOURCE_DIR=... -P test-deployment-target.cmake — the macOS deployment-target
# rule (packaging/macos/deploymenttarget.cmake) on `otool -l` output in the form otool
# prints it: the minos is read from LC_BUILD_VERSION (and from the older
# LC_VERSION_MIN_MACOSX), and a target older than Qt's stops the configuration with the
# fix in the message while an equal or newer one passes.
cmake_minimum_required(VERSION 3.25)
set(PROJECT_NAME test) # as after project(): only the functions
include(${SOURCE_DIR}/packaging/macos/deploymenttarget.cmake)

set(build_version "Load command 8\n      cmd LC_UUID\n  cmdsize 24\n    uuid 5D1C\nLoad command 9\n      cmd LC_BUILD_VERSION\n  cmdsize 32\n platform 1\n    minos 14.0\n      sdk 14.2\n   ntools 1\n")
set(version_min "Load command 9\n      cmd LC_VERSION_MIN_MACOSX\n  cmdsize 16\n  version 10.15\n      sdk 11.1\n")
gantry_macos_minos_from_otool("${build_version}" a)
gantry_macos_minos_from_otool("${version_min}" b)
gantry_macos_minos_from_otool("Load command 1\n      cmd LC_SEGMENT_64\n" c)
if(NOT a STREQUAL "14.0" OR NOT b STREQUAL "10.15" OR NOT c STREQUAL "")
  message(FATAL_ERROR "minos read as '${a}', '${b}', '${c}' (expected 14.0, 10.15, empty)")
endif()

# Equal or newer passes; the check is in a child cmake so that its FATAL_ERROR can be seen.
foreach(case "14.0;14.0;pass" "15.1;14.0;pass" "12.0;14.0;fail" ";14.0;pass")
  list(GET case 0 target)
  list(GET case 1 needed)
  list(GET case 2 expect)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/dt-case.cmake
       "cmake_minimum_required(VERSION 3.25)\nset(PROJECT_NAME t)\ninclude(${SOURCE_DIR}/packaging/macos/deploymenttarget.cmake)\n"
       "gantry_macos_check_target(\"${target}\" \"${needed}\" \"/opt/homebrew/lib/QtCore.framework/QtCore\")\n")
  execute_process(COMMAND ${CMAKE_COMMAND} -P ${CMAKE_CURRENT_BINARY_DIR}/dt-case.cmake RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(expect STREQUAL "pass" AND NOT rc EQUAL 0)
    message(FATAL_ERROR "target '${target}' with Qt for ${needed} was refused: ${err}")
  elseif(expect STREQUAL "fail")
    string(REPLACE "\n" " " flat "${err}")
    string(REGEX REPLACE " +" " " flat "${flat}")
    if(rc EQUAL 0 OR NOT flat MATCHES "was built for macOS 14.0" OR NOT flat MATCHES "-DCMAKE_OSX_DEPLOYMENT_TARGET=14.0")
      message(FATAL_ERROR "target ${target} with Qt for ${needed} was not refused with the fix: ${err}")
    endif()
  endif()
endforeach()
file(REMOVE ${CMAKE_CURRENT_BINARY_DIR}/dt-case.cmake)
message(STATUS "ok: minos read from otool's output; an older deployment target is refused with the fix")
