# Installation layout and CPack settings in one place, included last from the top-level CMakeLists.txt
# docs/packaging.md explains every choice made here.
#
#   cmake --install           binaries, desktop file, icons, AppStream metainfo, man pages, bash completion
#   cpack -G DEB              the same, as a Debian package with dpkg-shlibdeps dependencies
#   cpack -G TGZ              the same plus the Qt libraries and plugins it needs (component "bundle"):
#                             a self-contained archive that runs where Qt is not installed (docs/packaging.md)
#   Windows (NSIS) / macOS (DragNDrop): written below, not buildable on this Debian machine.
include(GNUInstallDirs)

set(WPS_APP_ID io.github.webpubsubconsole.WebPubSubConsole)
set(WPS_PACKAGE_NAME webpubsub-console)
set(_wps_res ${PROJECT_SOURCE_DIR}/resources)
set(_wps_programs webpubsub-emulator webpubsub)
if(TARGET webpubsub-console)
  list(APPEND _wps_programs webpubsub-console)
endif()

# ---------------------------------------------------------------------------------------------------------
# Linux: desktop integration, man pages, completion, and the self-contained bundle.
if(UNIX AND NOT APPLE)
  if(TARGET webpubsub-console)
    install(FILES ${_wps_res}/${WPS_APP_ID}.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${_wps_res}/${WPS_APP_ID}.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
    install(FILES ${_wps_res}/icons/webpubsub-console.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps RENAME ${WPS_APP_ID}.svg)
    install(DIRECTORY ${_wps_res}/icons/hicolor DESTINATION ${CMAKE_INSTALL_DATADIR}/icons
            FILES_MATCHING PATTERN "*.png")
  endif()
  install(FILES ${_wps_res}/completions/webpubsub.bash
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME webpubsub)

  # Man pages and the Debian changelog are gzipped at configure time (gzip -n: no name or time stamp, so the
  # output is reproducible); editing a source re-runs configure.
  set(_wps_gz_dir ${CMAKE_BINARY_DIR}/installer/gz)
  file(MAKE_DIRECTORY ${_wps_gz_dir})
  function(_wps_gzip src out)
    set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${src})
    execute_process(COMMAND gzip -9nc ${src} OUTPUT_FILE ${out} RESULT_VARIABLE _rc)
    if(NOT _rc EQUAL 0)
      message(FATAL_ERROR "gzip ${src} failed")
    endif()
  endfunction()
  foreach(_page IN LISTS _wps_programs)
    _wps_gzip(${_wps_res}/man/${_page}.1 ${_wps_gz_dir}/${_page}.1.gz)
    install(FILES ${_wps_gz_dir}/${_page}.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endforeach()
  _wps_gzip(${PROJECT_SOURCE_DIR}/installer/debian/changelog ${_wps_gz_dir}/changelog.gz)
  install(FILES ${PROJECT_SOURCE_DIR}/installer/debian/copyright ${_wps_gz_dir}/changelog.gz
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${WPS_PACKAGE_NAME})

  # The bundle: binaries find lib/ through DT_RPATH (not RUNPATH: RPATH also covers the Qt libraries' own
  # dependencies and the plugins'); in the DEB the same RPATH points at /usr/lib, which holds no Qt, so the
  # system libraries are used.
  foreach(_t IN LISTS _wps_programs)
    set_target_properties(${_t} PROPERTIES INSTALL_RPATH "$ORIGIN/../lib")
    target_link_options(${_t} PRIVATE "LINKER:--disable-new-dtags")
  endforeach()

  set(_wps_qt_plugins "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_PLUGINS}")
  set(_wps_bundle_plugins tls/libqopensslbackend.so tls/libqcertonlybackend.so
      networkinformation/libqnetworkmanager.so networkinformation/libqglib.so)
  if(TARGET webpubsub-console)
    list(APPEND _wps_bundle_plugins platforms/libqxcb.so platforms/libqoffscreen.so platforms/libqminimal.so
         xcbglintegrations/libqxcb-glx-integration.so xcbglintegrations/libqxcb-egl-integration.so
         platforminputcontexts/libcomposeplatforminputcontextplugin.so
         platforminputcontexts/libibusplatforminputcontextplugin.so
         imageformats/libqgif.so imageformats/libqico.so imageformats/libqjpeg.so)
  endif()
  set(_wps_plugin_files)
  foreach(_p IN LISTS _wps_bundle_plugins)
    if(EXISTS ${_wps_qt_plugins}/${_p})
      get_filename_component(_dir ${_p} DIRECTORY)
      install(FILES ${_wps_qt_plugins}/${_p} DESTINATION plugins/${_dir} COMPONENT bundle EXCLUDE_FROM_ALL)
      list(APPEND _wps_plugin_files ${_wps_qt_plugins}/${_p})
    endif()
  endforeach()
  set(_wps_exes)
  foreach(_t IN LISTS _wps_programs)
    list(APPEND _wps_exes "$<TARGET_FILE:${_t}>")
  endforeach()
  # Bundled: Qt and what a machine without Qt lacks. Left to the host: glibc (>= the build's), libstdc++,
  # X11/xcb, fontconfig/freetype, GL, D-Bus, GLib, OpenSSL (security updates come from the host).
  install(CODE "
    file(GET_RUNTIME_DEPENDENCIES
         EXECUTABLES ${_wps_exes}
         MODULES ${_wps_plugin_files}
         RESOLVED_DEPENDENCIES_VAR _deps UNRESOLVED_DEPENDENCIES_VAR _missing
         POST_INCLUDE_REGEXES [[libQt6]] [[libqt6keychain]] [[libicu]] [[libdouble-conversion]]
                              [[libpcre2-16]] [[libb2]] [[libmd4c]] [[libzstd]] [[libproxy]] [[libpxbackend]]
                              [[libprotobuf]] [[libhttp_parser]] [[libqrencode]]
         POST_EXCLUDE_REGEXES [[.*]])
    if(_missing)
      message(WARNING \"bundle: unresolved: \${_missing}\")
    endif()
    file(INSTALL \${_deps} DESTINATION \"\${CMAKE_INSTALL_PREFIX}/lib\" FOLLOW_SYMLINK_CHAIN)
    " COMPONENT bundle EXCLUDE_FROM_ALL)
  file(WRITE ${CMAKE_BINARY_DIR}/installer/qt.conf "[Paths]\nPrefix=..\nPlugins=plugins\n")
  install(FILES ${CMAKE_BINARY_DIR}/installer/qt.conf DESTINATION ${CMAKE_INSTALL_BINDIR}
          COMPONENT bundle EXCLUDE_FROM_ALL)
endif()

# ---------------------------------------------------------------------------------------------------------
# Windows and macOS: written, not built here (docs/packaging.md). Qt 6.4's deploy script works on both.
if(WIN32 OR APPLE)
  if(TARGET webpubsub-console)
    qt_generate_deploy_app_script(TARGET webpubsub-console OUTPUT_SCRIPT _wps_deploy_script
                                  NO_UNSUPPORTED_PLATFORM_ERROR)
    install(SCRIPT ${_wps_deploy_script})
  endif()
endif()
if(WIN32)
  include(${CMAKE_CURRENT_LIST_DIR}/windows/Windows.cmake)
elseif(APPLE)
  include(${CMAKE_CURRENT_LIST_DIR}/macos/MacOS.cmake)
endif()

# ---------------------------------------------------------------------------------------------------------
# CPack.
set(CPACK_PACKAGE_NAME ${WPS_PACKAGE_NAME})
set(CPACK_PACKAGE_VENDOR "Web PubSub Console contributors")
set(CPACK_PACKAGE_CONTACT "Web PubSub Console maintainers <maintainers@webpubsubconsole.example.org>")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "A desktop console for Azure Web PubSub with a local emulator of the\n"
    "service built in. It contains webpubsub-console (the window),\n"
    "webpubsub-emulator (the local service: REST API, client WebSocket\n"
    "endpoint and CloudEvents upstream on one loopback port) and webpubsub\n"
    "(a command-line client for scripts and CI).")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Web PubSub Console")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build[^/]*/")
if(UNIX AND NOT APPLE)
  set(CPACK_GENERATOR "DEB;TGZ")
endif()

# Debian: dependencies from dpkg-shlibdeps; the bundle component stays out.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

# Archives: everything, the bundle included, in one tarball.
set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)
set(CPACK_INCLUDE_TOPLEVEL_DIRECTORY ON)
set(CPACK_COMPONENT_INCLUDE_TOPLEVEL_DIRECTORY ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_ARCHIVE_FILE_NAME "${WPS_PACKAGE_NAME}-${PROJECT_VERSION}-linux-${CMAKE_SYSTEM_PROCESSOR}")

# Per-generator settings, read by cpack for each generator it runs.
configure_file(${CMAKE_CURRENT_LIST_DIR}/CPackProjectConfig.cmake.in ${CMAKE_BINARY_DIR}/CPackProjectConfig.cmake
               @ONLY)
set(CPACK_PROJECT_CONFIG_FILE ${CMAKE_BINARY_DIR}/CPackProjectConfig.cmake)
include(CPack)
