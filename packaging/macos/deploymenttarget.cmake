# SPDX-License-Identifier: MIT
# macOS: the deployment target must not be older than the one the Qt libraries were built
# for (Homebrew's bottles are built for the macOS they were made on): an app that claims
# macOS 12 but links a Qt built for 14 does not start on 12 or 13. Included twice:
#   - before project() (top-level CMakeLists.txt): with no CMAKE_OSX_DEPLOYMENT_TARGET
#     given, it is set from the Qt found under CMAKE_PREFIX_PATH (Homebrew: /opt/homebrew);
#   - after find_package(Qt6) (app/main): the Qt really used is checked, and
#     GANTRY_MACOS_MINIMUM (Info.plist's LSMinimumSystemVersion) is set.

# The "minos" of a Mach-O file from `otool -l` output (LC_BUILD_VERSION; older files:
# LC_VERSION_MIN_MACOSX's "version"); empty when neither is there.
function(gantry_macos_minos_from_otool text out)
  set(found "")
  if(text MATCHES "LC_BUILD_VERSION\n[^\n]*\n[^\n]*\n *minos ([0-9]+(\\.[0-9]+)*)")
    set(found "${CMAKE_MATCH_1}")
  elseif(text MATCHES "LC_VERSION_MIN_MACOSX\n[^\n]*\n *version ([0-9]+(\\.[0-9]+)*)")
    set(found "${CMAKE_MATCH_1}")
  endif()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

# The macOS version a Qt library needs, or empty when it cannot be told (no otool, no file).
function(gantry_macos_minos_of file out)
  set(found "")
  find_program(GANTRY_OTOOL otool)
  if(GANTRY_OTOOL AND EXISTS "${file}")
    execute_process(COMMAND "${GANTRY_OTOOL}" -l "${file}" OUTPUT_VARIABLE text ERROR_QUIET)
    gantry_macos_minos_from_otool("${text}" found)
  endif()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

# FATAL_ERROR with what to do when target is older than what qtLibrary needs.
function(gantry_macos_check_target target needed qtLibrary)
  if(target AND needed AND target VERSION_LESS needed)
    message(FATAL_ERROR
      "The deployment target is macOS ${target}, but the Qt library ${qtLibrary} was built for macOS ${needed}: "
      "Gantry.app would not start on the older systems it claims to support. Configure with "
      "-DCMAKE_OSX_DEPLOYMENT_TARGET=${needed} (or leave it unset: it then follows Qt), or build with a Qt made for macOS ${target}.")
  endif()
endfunction()

if(NOT DEFINED PROJECT_NAME)
  # Before project(): guess Qt's location from the prefix path.
  foreach(prefix IN LISTS CMAKE_PREFIX_PATH)
    set(candidate "${prefix}/lib/QtCore.framework/QtCore")
    if(EXISTS "${candidate}")
      gantry_macos_minos_of("${candidate}" needed)
      if(NOT CMAKE_OSX_DEPLOYMENT_TARGET AND needed)
        set(CMAKE_OSX_DEPLOYMENT_TARGET "${needed}" CACHE STRING "Oldest macOS Gantry runs on (follows the Qt it is built with)")
        message(STATUS "macOS deployment target ${needed}, as the Qt at ${candidate}")
      endif()
      gantry_macos_check_target("${CMAKE_OSX_DEPLOYMENT_TARGET}" "${needed}" "${candidate}")
      break()
    endif()
  endforeach()
endif()
