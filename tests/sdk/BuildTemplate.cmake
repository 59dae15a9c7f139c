# Configures and builds the plugin template in a fresh folder against the SDK package alone, then
# checks the library exports consilium_plugin_entry and nothing else (nm -D). Run with cmake -P.
#   -DSDK_DIR=<build>/sdk             the build tree's package, template from TEMPLATE_DIR; or
#   -DINSTALL_FROM=<build>            first install the "sdk" component of that build into
#                                     BINARY_DIR/prefix, then build the *installed* template with
#                                     CMAKE_PREFIX_PATH=<prefix> (what a third party does).
file(REMOVE_RECURSE ${BINARY_DIR})
if(INSTALL_FROM)
  set(prefix ${BINARY_DIR}/prefix)
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${INSTALL_FROM} --component sdk --prefix ${prefix}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "installing the sdk component failed (${rc}):\n${out}")
  endif()
  foreach(f include/consilium/consilium_plugin.h include/consilium/consilium_plugin.hpp
            lib/cmake/ConsiliumPluginSDK/ConsiliumPluginSDKConfig.cmake
            share/consilium/plugin-sdk/template/plugin.json)
    if(NOT EXISTS ${prefix}/${f})
      message(FATAL_ERROR "the sdk install lacks ${f}")
    endif()
  endforeach()
  set(TEMPLATE_DIR ${prefix}/share/consilium/plugin-sdk/template)
  set(find -DCMAKE_PREFIX_PATH=${prefix})
  set(BINARY_DIR ${BINARY_DIR}/build)
else()
  set(find -DConsiliumPluginSDK_DIR=${SDK_DIR})
endif()
execute_process(
  COMMAND ${CMAKE_COMMAND} -S ${TEMPLATE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
          -DCMAKE_CXX_COMPILER=${CXX_COMPILER} ${find}
          -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the template failed (${rc}):\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the template failed (${rc}):\n${out}")
endif()

set(dir ${BINARY_DIR}/org.example.template)
set(lib ${dir}/libexample_plugin.so)
foreach(f ${lib} ${dir}/plugin.json)
  if(NOT EXISTS ${f})
    message(FATAL_ERROR "the template build did not produce ${f}")
  endif()
endforeach()
if(NOT NM)
  set(NM nm)
endif()
execute_process(COMMAND ${NM} -D --defined-only ${lib} RESULT_VARIABLE rc OUTPUT_VARIABLE syms ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -D failed: ${err}")
endif()
if(NOT syms MATCHES "[0-9a-f]+ T consilium_plugin_entry\n")
  message(FATAL_ERROR "${lib} does not export consilium_plugin_entry; nm -D says:\n${syms}")
endif()
file(READ ${dir}/plugin.json manifest)
string(JSON kind GET "${manifest}" kind)
string(JSON abi GET "${manifest}" abi_version)
string(JSON library GET "${manifest}" library)
if(NOT kind STREQUAL "native" OR NOT abi EQUAL 1 OR NOT EXISTS ${dir}/${library})
  message(FATAL_ERROR "template manifest: kind=${kind} abi_version=${abi} library=${library}")
endif()
string(REGEX MATCHALL "[^ \n]+\n" names "${syms}")
list(LENGTH names count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "${lib} exports more than consilium_plugin_entry (exports.map not applied?):\n${syms}")
endif()
message(STATUS "template plugin built: ${lib} exports consilium_plugin_entry")
