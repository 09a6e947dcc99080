# Generates the OpenGL 3.3 core loader with Debian's glad (python3-glad) into the
# build tree at configure time. --reproducible uses the specification bundled with
# the package instead of fetching Khronos' latest, so no network is touched.
# The generated files are never committed.
find_program(GLAD_EXECUTABLE glad REQUIRED)
set(HEED_GLAD_DIR ${CMAKE_BINARY_DIR}/glad)
if(NOT EXISTS ${HEED_GLAD_DIR}/src/gl.c)
  execute_process(
    COMMAND ${GLAD_EXECUTABLE} --quiet --reproducible --api gl:core=3.3
            --out-path ${HEED_GLAD_DIR} c
    RESULT_VARIABLE glad_result
    OUTPUT_VARIABLE glad_output ERROR_VARIABLE glad_output)
  if(NOT glad_result EQUAL 0 OR NOT EXISTS ${HEED_GLAD_DIR}/src/gl.c)
    message(FATAL_ERROR "glad failed to generate the GL loader:\n${glad_output}")
  endif()
endif()
add_library(heed_glad STATIC ${HEED_GLAD_DIR}/src/gl.c)
target_include_directories(heed_glad SYSTEM PUBLIC ${HEED_GLAD_DIR}/include)
target_link_libraries(heed_glad PUBLIC ${CMAKE_DL_LIBS})
