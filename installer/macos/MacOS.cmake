# macOS: the console as an app bundle in a disk image (DragNDrop). Written for a macOS build with Qt 6.4+ from
# the Qt installer; NOT built or tested on the Debian machine this project is developed on (docs/packaging.md).
# qt_generate_deploy_app_script (CPackConfig.cmake) runs macdeployqt on the bundle.
#
# Needed in app/CMakeLists.txt when this is first built on a Mac: `BUNDLE DESTINATION .` in the
# install(TARGETS webpubsub-console ...) call, which install() requires for a MACOSX_BUNDLE target.
if(TARGET webpubsub-console)
  # The .icns is made from the committed hicolor PNGs with Apple's iconutil at build time.
  set(_wps_iconset ${CMAKE_BINARY_DIR}/installer/webpubsub-console.iconset)
  set(_wps_icns ${CMAKE_BINARY_DIR}/installer/webpubsub-console.icns)
  set(_wps_png ${PROJECT_SOURCE_DIR}/resources/icons/hicolor)
  set(_wps_png_name io.github.webpubsubconsole.WebPubSubConsole.png)
  add_custom_command(
    OUTPUT ${_wps_icns}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${_wps_iconset}
    COMMAND ${CMAKE_COMMAND} -E copy ${_wps_png}/16x16/apps/${_wps_png_name} ${_wps_iconset}/icon_16x16.png
    COMMAND ${CMAKE_COMMAND} -E copy ${_wps_png}/32x32/apps/${_wps_png_name} ${_wps_iconset}/icon_16x16@2x.png
    COMMAND ${CMAKE_COMMAND} -E copy ${_wps_png}/32x32/apps/${_wps_png_name} ${_wps_iconset}/icon_32x32.png
    COMMAND ${CMAKE_COMMAND} -E copy ${_wps_png}/64x64/apps/${_wps_png_name} ${_wps_iconset}/icon_32x32@2x.png
    COMMAND ${CMAKE_COMMAND} -E copy ${_wps_png}/128x128/apps/${_wps_png_name} ${_wps_iconset}/icon_128x128.png
    COMMAND ${CMAKE_COMMAND} -E copy ${_wps_png}/256x256/apps/${_wps_png_name} ${_wps_iconset}/icon_128x128@2x.png
    COMMAND ${CMAKE_COMMAND} -E copy ${_wps_png}/256x256/apps/${_wps_png_name} ${_wps_iconset}/icon_256x256.png
    COMMAND ${CMAKE_COMMAND} -E copy ${_wps_png}/512x512/apps/${_wps_png_name} ${_wps_iconset}/icon_256x256@2x.png
    COMMAND ${CMAKE_COMMAND} -E copy ${_wps_png}/512x512/apps/${_wps_png_name} ${_wps_iconset}/icon_512x512.png
    COMMAND iconutil -c icns -o ${_wps_icns} ${_wps_iconset}
    VERBATIM)
  target_sources(webpubsub-console PRIVATE ${_wps_icns})
  set_source_files_properties(${_wps_icns} PROPERTIES MACOSX_PACKAGE_LOCATION Resources)
  set_target_properties(webpubsub-console PROPERTIES
      MACOSX_BUNDLE ON
      OUTPUT_NAME "Web PubSub Console"
      MACOSX_BUNDLE_GUI_IDENTIFIER io.github.webpubsubconsole.WebPubSubConsole
      MACOSX_BUNDLE_BUNDLE_NAME "Web PubSub Console"
      MACOSX_BUNDLE_BUNDLE_VERSION ${PROJECT_VERSION}
      MACOSX_BUNDLE_SHORT_VERSION_STRING ${PROJECT_VERSION}
      MACOSX_BUNDLE_ICON_FILE webpubsub-console.icns)
endif()
set(CPACK_GENERATOR "DragNDrop;TGZ")
set(CPACK_DMG_VOLUME_NAME "Web PubSub Console")
