# Warnings for our own targets only (never for the system headers we include).
function(rk_target_warnings target)
  # -Wno-mismatched-new-delete: GCC 12 reports a false positive on Boost.Asio's coroutine frames
  # (awaitable_frame_base's operator new/delete are a matching pair) once a coroutine that awaits
  # others is inlined; which files trip it changes with inlining and the target architecture.
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow=local
                         -Wnon-virtual-dtor -Wno-missing-field-initializers
                         -Wno-mismatched-new-delete)
  if(RK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# rk_add_library(NAME SOURCES ... DEPS ...): a static library of ours, include root = repo root.
function(rk_add_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  rk_target_warnings(${name})
endfunction()

# Drivers register themselves here: adding a driver is its folder plus one rk_add_driver line.
# The registry source is generated from this list (no static-initialiser registration).
set_property(GLOBAL PROPERTY RK_DRIVER_NAMESPACES "")
set_property(GLOBAL PROPERTY RK_DRIVER_LIBS "")
function(rk_add_driver name)
  cmake_parse_arguments(ARG "" "NAMESPACE" "SOURCES;DEPS" ${ARGN})
  rk_add_library(rk_driver_${name} SOURCES ${ARG_SOURCES} DEPS rk_drivers_api ${ARG_DEPS})
  set_property(GLOBAL APPEND PROPERTY RK_DRIVER_NAMESPACES "${ARG_NAMESPACE}")
  set_property(GLOBAL APPEND PROPERTY RK_DRIVER_LIBS rk_driver_${name})
endfunction()
