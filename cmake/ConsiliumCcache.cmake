# Use ccache when it is installed. Paths are made relative to the source root so that a fresh
# clone elsewhere on the same machine (as CI does) hits the cache built by the working copy.
find_program(CONSILIUM_CCACHE ccache)
if(CONSILIUM_CCACHE)
  set(CMAKE_C_COMPILER_LAUNCHER
      ${CMAKE_COMMAND} -E env CCACHE_BASEDIR=${CMAKE_SOURCE_DIR} CCACHE_NOHASHDIR=1
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      ${CONSILIUM_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${CMAKE_C_COMPILER_LAUNCHER})
endif()
