# The version the three programs print with --version: the project version and the git commit the tree was
# configured from (configure-time `git rev-parse --short HEAD`; "unknown" outside a git checkout or without git).
# Re-run cmake to refresh the commit after new commits; the package version itself stays PROJECT_VERSION
# (docs/packaging.md).
if(NOT DEFINED WPS_GIT_COMMIT)
  set(WPS_GIT_COMMIT unknown)
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse --short HEAD
                    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                    OUTPUT_VARIABLE _wps_commit OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE _wps_git_rc ERROR_QUIET)
    if(_wps_git_rc EQUAL 0 AND _wps_commit MATCHES "^[0-9a-f]+$")
      set(WPS_GIT_COMMIT ${_wps_commit})
    endif()
  endif()
endif()
# INTERNAL (always overwritten): tests/installer compares the installed programs' --version with it.
set(WPS_VERSION_STRING "${PROJECT_VERSION} (commit ${WPS_GIT_COMMIT})" CACHE INTERNAL "--version text")
add_compile_definitions(WPS_VERSION="${PROJECT_VERSION}" WPS_VERSION_STRING="${WPS_VERSION_STRING}")
