# consilium_warnings(TARGET): the project's warning set on one target (never global flags).
function(consilium_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wno-missing-field-initializers)  # C++20 designated initializers name only the fields that matter
  if(CONSILIUM_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(CONSILIUM_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
