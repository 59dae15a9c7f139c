# consilium_add_test(NAME SOURCES ... LIBS ... [ENV k=v ...] [XVFB] [SHARED_DATA])
# One Boost.Test executable, registered with CTest; colour codes off so logs stay readable.
# With SHARED_DATA the cases labelled `shared_data` (they read ../shared/data) become a second
# CTest entry, NAME_shared_data, which CTest reports as "Skipped" - with the reason printed -
# when that folder is absent, rather than passing silently.
set(CONSILIUM_SHARED_DIR ${CMAKE_SOURCE_DIR}/../shared CACHE PATH "The shared test data folder (may be absent)")
function(consilium_add_test name)
  cmake_parse_arguments(T "XVFB;SHARED_DATA" "" "SOURCES;LIBS;ENV" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} Boost::unit_test_framework)
  consilium_warnings(${name})
  set(cmd $<TARGET_FILE:${name}> --color_output=no --report_level=short)
  if(T_XVFB)
    set(cmd xvfb-run -a -s "-screen 0 1600x1000x24" ${cmd})
  endif()
  set(env "CONSILIUM_SHARED=${CONSILIUM_SHARED_DIR}" "CONSILIUM_BIN=${CMAKE_BINARY_DIR}/bin"
          "CONSILIUM_TEST_TMP=${CMAKE_BINARY_DIR}/test-tmp" ${T_ENV})
  if(T_SHARED_DATA)
    add_test(NAME ${name} COMMAND ${cmd} --run_test=!@shared_data)
    add_test(NAME ${name}_shared_data COMMAND ${cmd} --run_test=@shared_data --log_level=test_suite)
    set_tests_properties(${name}_shared_data PROPERTIES ENVIRONMENT "${env}"
      SKIP_REGULAR_EXPRESSION "skipped because precondition failed")
  else()
    add_test(NAME ${name} COMMAND ${cmd})
  endif()
  set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}")
endfunction()
