# SPDX-License-Identifier: MIT
# Install-time step (macOS): makes the installed Gantry.app self-contained. Run by
# `cmake --install` / CPack through app/main/CMakeLists.txt, which sets:
#   GANTRY_APP         the installed bundle
#   GANTRY_MACDEPLOYQT Qt's macdeployqt
#   GANTRY_QT_PLUGINS  Qt's plugin folder
#   GANTRY_LIBPATHS    folders where @rpath libraries are found (Homebrew's lib: its Qt,
#                      KArchive and QtKeychain name themselves @rpath/...)
#   GANTRY_SOURCE_DIR  the repository
# Only the plugins Gantry uses are copied (macdeployqt would copy every plugin of every
# linked module: all SQL drivers, with Homebrew's libpq and MySQL client behind them);
# any "ERROR:" line of macdeployqt fails the install; then check-bundle.sh proves with
# otool -L that nothing in the bundle points outside it or the system.
set(plugins
    platforms/libqcocoa.dylib        # the window system
    styles/libqmacstyle.dylib        # native widgets
    sqldrivers/libqsqlite.dylib      # build history
    imageformats/libqsvg.dylib       # SVG icons
    iconengines/libqsvgicon.dylib)
set(app "$ENV{DESTDIR}${GANTRY_APP}")
if(NOT IS_DIRECTORY "${app}")
  message(FATAL_ERROR "Gantry.app was not installed at ${app}.")
endif()
set(exe_args)
foreach(plugin IN LISTS plugins)
  if(NOT EXISTS "${GANTRY_QT_PLUGINS}/${plugin}")
    message(FATAL_ERROR "Qt's plugin ${plugin} is not in ${GANTRY_QT_PLUGINS}: install the Qt that has it (brew install qt) and configure again.")
  endif()
  get_filename_component(kind "${plugin}" DIRECTORY)
  file(COPY "${GANTRY_QT_PLUGINS}/${plugin}" DESTINATION "${app}/Contents/PlugIns/${kind}")
  list(APPEND exe_args "-executable=${app}/Contents/PlugIns/${plugin}")
endforeach()
set(lib_args)
foreach(dir IN LISTS GANTRY_LIBPATHS)
  list(APPEND lib_args "-libpath=${dir}")
endforeach()
message(STATUS "macdeployqt ${app} -no-plugins ${lib_args}")
execute_process(COMMAND "${GANTRY_MACDEPLOYQT}" "${app}" -no-plugins -verbose=1 ${lib_args} ${exe_args}
                OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
message(STATUS "${out}${err}")
string(REGEX MATCHALL "ERROR:[^\n]*" errors "${out}\n${err}")
if(NOT rc EQUAL 0 OR errors)
  list(JOIN errors "\n  " listed)
  message(FATAL_ERROR "macdeployqt did not make a self-contained Gantry.app (exit ${rc}):\n  ${listed}\n"
                      "Add the folder of each library it could not find to GANTRY_MACOS_LIBPATHS.")
endif()
if(NOT EXISTS "${app}/Contents/Resources/qt.conf")
  file(WRITE "${app}/Contents/Resources/qt.conf" "[Paths]\nPlugins = PlugIns\n")
endif()
execute_process(COMMAND sh "${GANTRY_SOURCE_DIR}/packaging/macos/check-bundle.sh" "${app}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "Gantry.app is not self-contained (see above): it would not start on another Mac.")
endif()
