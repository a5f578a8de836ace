# colead::consult: consulting scripts (data, validation, built-ins, script files) and the
# engine that runs them. Pure domain code: time is passed in; only script_files reads files.
# Script files are parsed into the messages of protocol/colead/v1/script.proto, which
# protocol/CMakeLists.txt compiles (colead::script_proto).
add_library(colead_consult STATIC
  ${CMAKE_CURRENT_LIST_DIR}/consult_script.cpp
  ${CMAKE_CURRENT_LIST_DIR}/consult_engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/script_files.cpp)
add_library(colead::consult ALIAS colead_consult)
colead_layer(colead_consult room)
target_link_libraries(colead_consult PUBLIC colead::script_proto PRIVATE colead::options)
