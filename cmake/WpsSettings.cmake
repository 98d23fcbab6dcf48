# Strict settings shared by every target of the project (docs/style.md rule 4), and the layering check (rule 1).

set(WPS_QT_DEFINES
    QT_NO_CAST_FROM_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_FOREACH
    QT_NO_KEYWORDS
    QT_USE_QSTRINGBUILDER
    QT_DISABLE_DEPRECATED_BEFORE=0x060400)

if(WPS_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

function(wps_apply_settings target)
  target_compile_definitions(${target} PRIVATE ${WPS_QT_DEFINES})
  target_compile_options(${target} PRIVATE
      -Wall -Wextra -Wpedantic -Wnon-virtual-dtor
      $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local> $<$<CXX_COMPILER_ID:Clang>:-Wshadow-uncaptured-local>
      -Wcast-align -Woverloaded-virtual
      -Wimplicit-fallthrough -Werror=switch -Werror=return-type)
  if(WPS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# The dependency direction is app -> ui -> core, app -> cli -> core and emulator -> core. core never links
# Gui or Widgets, never ui or emulator; ui never links the emulator; cli links only core.
function(wps_check_layering)
  get_target_property(_core_libs wps_core LINK_LIBRARIES)
  get_target_property(_core_ilibs wps_core INTERFACE_LINK_LIBRARIES)
  foreach(_lib IN LISTS _core_libs _core_ilibs)
    if(_lib MATCHES "Qt6?::(Gui|Widgets)|wps_ui|wps_emulator")
      message(FATAL_ERROR "Layering: wps_core must not link ${_lib}")
    endif()
  endforeach()
  # The CLI library (cli/) is QtCore + wps_core: no Gui/Widgets, no UI, no emulator.
  get_target_property(_cli_libs wps_cli LINK_LIBRARIES)
  get_target_property(_cli_ilibs wps_cli INTERFACE_LINK_LIBRARIES)
  foreach(_lib IN LISTS _cli_libs _cli_ilibs)
    if(NOT _lib STREQUAL "wps_core")
      message(FATAL_ERROR "Layering: wps_cli links only wps_core, not ${_lib}")
    endif()
  endforeach()
  get_target_property(_emu_libs wps_emulator LINK_LIBRARIES)
  foreach(_lib IN LISTS _emu_libs)
    if(_lib MATCHES "Qt6?::(Gui|Widgets)|wps_ui")
      message(FATAL_ERROR "Layering: wps_emulator must not link ${_lib}")
    endif()
  endforeach()
  # Every library of ui/ (wps_ui, wps_ui_base and each panel's wps_ui_<name>), not only wps_ui.
  if(TARGET wps_ui)
    get_property(_ui_targets DIRECTORY ${PROJECT_SOURCE_DIR}/ui PROPERTY BUILDSYSTEM_TARGETS)
    foreach(_target IN LISTS _ui_targets)
      get_target_property(_ui_libs ${_target} LINK_LIBRARIES)
      get_target_property(_ui_ilibs ${_target} INTERFACE_LINK_LIBRARIES)
      foreach(_lib IN LISTS _ui_libs _ui_ilibs)
        if(_lib MATCHES "wps_emulator")
          message(FATAL_ERROR "Layering: ${_target} (ui/) must not link ${_lib}")
        endif()
      endforeach()
    endforeach()
  endif()
endfunction()
