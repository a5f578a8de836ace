# colead::consult: consulting scripts (data, validation, built-ins, script files) and the
# engine that runs them. Pure domain code: time is passed in; only script_files reads files.
# Script files are parsed into the messages of protocol/colead/v1/script.proto, which
# protocol/CMakeLists.txt compiles (colead::script_proto).

# The built-in scripts are script files like a programme's own, compiled into the server so
# that it offers them with no data folder at all. Listed in the order they are offered; the
# folder must hold exactly these files, so a new one cannot be left out by mistake.
set(COLEAD_BUILT_IN_SCRIPTS_DIR ${PROJECT_SOURCE_DIR}/data/scripts/built-in)
set(COLEAD_BUILT_IN_SCRIPTS
  pair-consult.json
  troika.json
  action-learning.json
  wise-crowds.json)
file(GLOB colead_built_in_found CONFIGURE_DEPENDS RELATIVE ${COLEAD_BUILT_IN_SCRIPTS_DIR}
  ${COLEAD_BUILT_IN_SCRIPTS_DIR}/*.json)
foreach(name IN LISTS colead_built_in_found)
  if(NOT name IN_LIST COLEAD_BUILT_IN_SCRIPTS)
    message(FATAL_ERROR "data/scripts/built-in/${name} is not listed in server/room/consult.cmake")
  endif()
endforeach()
set(colead_built_in_paths "")
foreach(name IN LISTS COLEAD_BUILT_IN_SCRIPTS)
  if(NOT name IN_LIST colead_built_in_found)
    message(FATAL_ERROR "server/room/consult.cmake lists data/scripts/built-in/${name}, "
                        "which does not exist")
  endif()
  list(APPEND colead_built_in_paths ${COLEAD_BUILT_IN_SCRIPTS_DIR}/${name})
endforeach()
string(REPLACE ";" "|" colead_built_in_names "${COLEAD_BUILT_IN_SCRIPTS}")
set(colead_built_in_cpp ${CMAKE_CURRENT_BINARY_DIR}/built_in_script_files.cpp)
add_custom_command(
  OUTPUT ${colead_built_in_cpp}
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${COLEAD_BUILT_IN_SCRIPTS_DIR}
          -DSOURCE_NAME=data/scripts/built-in -DFILES=${colead_built_in_names}
          -DOUTPUT=${colead_built_in_cpp} -P ${PROJECT_SOURCE_DIR}/cmake/colead_embed_scripts.cmake
  DEPENDS ${colead_built_in_paths} ${PROJECT_SOURCE_DIR}/cmake/colead_embed_scripts.cmake
  COMMENT "Embedding the built-in consulting scripts"
  VERBATIM)

add_library(colead_consult STATIC
  ${CMAKE_CURRENT_LIST_DIR}/consult_script.cpp
  ${CMAKE_CURRENT_LIST_DIR}/consult_engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/script_files.cpp
  ${CMAKE_CURRENT_LIST_DIR}/built_in_scripts.cpp
  ${colead_built_in_cpp})
add_library(colead::consult ALIAS colead_consult)
colead_layer(colead_consult room)
target_link_libraries(colead_consult PUBLIC colead::script_proto PRIVATE colead::options)
