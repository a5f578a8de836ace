# colead::consult: consulting scripts (data, validation, built-ins, script files) and the
# engine that runs them. Pure domain code: time is passed in; only script_files reads files.
#
# colead::script_proto: the generated protocol/colead/v1/script.proto, which script files are
# parsed into and which the wire schema imports.

# protobuf_generate names its outputs after the .proto file's path relative to
# CMAKE_CURRENT_SOURCE_DIR, while protoc names them after the path relative to the import
# directory (colead/v1/...). The two agree only when the current source directory is the
# import directory, so this function sets it to protocol/ for the call; the generated files
# land in <build>/server/room/proto/colead/v1/ and are included as "colead/v1/script.pb.h".
function(colead_generate_script_proto target out_dir)
  set(CMAKE_CURRENT_SOURCE_DIR ${PROJECT_SOURCE_DIR}/protocol)
  protobuf_generate(
    TARGET ${target}
    LANGUAGE cpp
    IMPORT_DIRS ${PROJECT_SOURCE_DIR}/protocol
    PROTOC_OUT_DIR ${out_dir})
endfunction()

set(COLEAD_SCRIPT_PROTO_OUT ${CMAKE_CURRENT_BINARY_DIR}/proto)
file(MAKE_DIRECTORY ${COLEAD_SCRIPT_PROTO_OUT})

add_library(colead_script_proto STATIC ${PROJECT_SOURCE_DIR}/protocol/colead/v1/script.proto)
add_library(colead::script_proto ALIAS colead_script_proto)
colead_generate_script_proto(colead_script_proto ${COLEAD_SCRIPT_PROTO_OUT})
target_include_directories(colead_script_proto SYSTEM PUBLIC ${COLEAD_SCRIPT_PROTO_OUT})
# Generated code is not ours to fix, so it is built without -Werror (colead::sanitize only).
target_link_libraries(colead_script_proto PUBLIC protobuf::libprotobuf PRIVATE colead::sanitize)

add_library(colead_consult STATIC
  ${CMAKE_CURRENT_LIST_DIR}/consult_script.cpp
  ${CMAKE_CURRENT_LIST_DIR}/consult_engine.cpp
  ${CMAKE_CURRENT_LIST_DIR}/script_files.cpp)
add_library(colead::consult ALIAS colead_consult)
target_include_directories(colead_consult PUBLIC ${PROJECT_SOURCE_DIR}/server)
target_link_libraries(colead_consult PUBLIC colead::script_proto PRIVATE colead::options)
