# heed_apply_warnings(target): the warning set for Heed's own code.
# Third-party headers come in through imported targets, which CMake marks as
# system includes, so their warnings do not show here.
function(heed_apply_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual)
  if(HEED_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(HEED_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
