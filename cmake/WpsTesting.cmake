include(GoogleTest)

# wps_add_test(NAME name SOURCES a.cpp b.cpp LIBS lib... [GUI] [LABELS l...] [TEST_FILTER gtest-filter])
# TEST_FILTER limits the discovered tests (e.g. "-Keychain*" for tests that need the keyring wrapper).
# One gtest binary per unit, with the shared Qt-aware main from tests/support.
function(wps_add_test)
  cmake_parse_arguments(T "GUI" "NAME;TIMEOUT;TEST_FILTER" "SOURCES;LIBS;LABELS" ${ARGN})
  if(T_GUI)
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE wps_test_support_gui ${T_LIBS})
  else()
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE wps_test_support ${T_LIBS})
  endif()
  wps_apply_settings(${T_NAME})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  # An empty LABELS value would vanish from the list and swallow the next property name.
  set(_label_args)
  if(T_LABELS)
    set(_label_args LABELS "${T_LABELS}")
  endif()
  set(_filter_args)
  if(T_TEST_FILTER)
    set(_filter_args TEST_FILTER "${T_TEST_FILTER}")
  endif()
  gtest_discover_tests(${T_NAME}
    ${_filter_args}
    DISCOVERY_MODE PRE_TEST
    DISCOVERY_TIMEOUT 30
    PROPERTIES
      TIMEOUT ${T_TIMEOUT}
      ${_label_args}
      ENVIRONMENT "QT_QPA_PLATFORM=offscreen;WPS_EMULATOR_BIN=$<TARGET_FILE:webpubsub-emulator>;WPS_CLI_BIN=$<TARGET_FILE:webpubsub>;QT_LOGGING_RULES=*.debug=false")
endfunction()
