# Windows installer (NSIS) and zip. Written for a Windows build with Qt 6.4+ from the Qt installer and NSIS 3;
# NOT built or tested on the Debian machine this project is developed on (docs/packaging.md).
# qt_generate_deploy_app_script (CPackConfig.cmake) runs windeployqt into the install tree, so the package
# carries Qt's DLLs and plugins (platforms/qwindows.dll, tls/, imageformats/) next to the programs.
set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_NSIS_DISPLAY_NAME "Web PubSub Console")
set(CPACK_NSIS_PACKAGE_NAME "Web PubSub Console")
set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/webpubsub-console.ico")
set(CPACK_NSIS_MUI_UNIICON "${PROJECT_SOURCE_DIR}/resources/icons/webpubsub-console.ico")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\webpubsub-console.exe")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# Adds bin\ to PATH (opt-in page) so webpubsub and webpubsub-emulator work from a terminal.
set(CPACK_NSIS_MODIFY_PATH ON)
# Start-menu entry for the window only; the other two are command-line programs.
set(CPACK_PACKAGE_EXECUTABLES "webpubsub-console;Web PubSub Console")
set(CPACK_CREATE_DESKTOP_LINKS webpubsub-console)
set(CPACK_NSIS_EXECUTABLES_DIRECTORY bin)
