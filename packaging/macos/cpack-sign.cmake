# SPDX-License-Identifier: MIT
# CPack pre-build script (macOS): runs on the STAGED Gantry.app, after the install step
# deployed Qt into it and before the DMG is made, so the app inside the DMG is the one
# that is signed (and, with a notary profile, notarised and stapled).
#   GANTRY_SIGN_IDENTITY   "Developer ID Application: NAME (TEAMID)"; unset: unsigned
#   GANTRY_NOTARY_PROFILE  an `xcrun notarytool store-credentials` profile; unset: not notarised
file(GLOB_RECURSE apps LIST_DIRECTORIES true "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*Gantry.app")
list(FILTER apps INCLUDE REGEX "Gantry\\.app$")
list(LENGTH apps count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "Expected one staged Gantry.app under ${CPACK_TEMPORARY_INSTALL_DIRECTORY}, found ${count}.")
endif()
list(GET apps 0 app)
set(identity "$ENV{GANTRY_SIGN_IDENTITY}")
if(identity STREQUAL "")
  message(STATUS "GANTRY_SIGN_IDENTITY is not set: the DMG holds an UNSIGNED Gantry.app (Gatekeeper will refuse it).")
  return()
endif()
get_filename_component(here "${CMAKE_CURRENT_LIST_FILE}" DIRECTORY)
execute_process(COMMAND sh "${here}/sign-bundle.sh" "${app}" "${identity}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Signing ${app} failed (see above): check the identity with `security find-identity -v -p codesigning`.")
endif()
set(profile "$ENV{GANTRY_NOTARY_PROFILE}")
if(profile STREQUAL "")
  message(STATUS "GANTRY_NOTARY_PROFILE is not set: Gantry.app is signed but not notarised.")
  return()
endif()
# Notarise the app itself and staple the ticket to it, so that a copy dragged out of the
# DMG opens offline too (the DMG gets its own ticket in sign-and-notarize.sh).
get_filename_component(stage "${app}" DIRECTORY)
set(zip "${stage}/../Gantry-notarize.zip")
execute_process(COMMAND ditto -c -k --keepParent "${app}" "${zip}" RESULT_VARIABLE rc)
if(rc EQUAL 0)
  execute_process(COMMAND xcrun notarytool submit "${zip}" --keychain-profile "${profile}" --wait RESULT_VARIABLE rc)
endif()
if(rc EQUAL 0)
  execute_process(COMMAND xcrun stapler staple "${app}" RESULT_VARIABLE rc)
endif()
file(REMOVE "${zip}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Notarising Gantry.app failed (see above): `xcrun notarytool log` with the submission id says why.")
endif()
