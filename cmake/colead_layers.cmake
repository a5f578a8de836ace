# The layers of server/ and the arrows allowed between them (docs/architecture.md, "Layers"):
#
#   ot     the standard library only
#   room   ot and the schema's messages (never net, Asio or Beast, nor the store's backends)
#   store  its own records and SQLite (never net or room)
#   net    room, store, the codec and Beast
#   app    wires them
#   clients/ never include server code (the client library uses ot, the OT algorithm)
#
# The build enforces them: each layer's headers are included as "<layer>/x.hpp" from a folder
# of the build tree that holds that one layer (a link to server/<layer>), and a target gets
# the folders of the layers it links, nothing else, so including another layer's header fails
# with "No such file or directory". What include folders cannot express (Asio and Beast are
# system headers; room may use the store's records but not its backends) fails with an
# #error instead. tests/layers tries each forbidden include and expects that failure.

# colead_layer(target layer): `target` belongs to server/<layer>. It exposes that layer's
# headers, to itself and to what links it, as "<layer>/x.hpp"; it is compiled with
# COLEAD_LAYER_<LAYER> defined (PRIVATE), which headers test to refuse a layer that may not
# use them; and in ot, room and store, Boost.Asio and Boost.Beast headers fail to compile
# (every header of theirs includes the config header that cmake/no_asio replaces with an
# #error; PRIVATE, so net, which links those layers, still uses them).
function(colead_layer target layer)
  set(dir ${PROJECT_BINARY_DIR}/layers/${layer})
  if(IS_SYMLINK ${dir}/${layer})
    file(REMOVE ${dir}/${layer})
  endif()
  file(MAKE_DIRECTORY ${dir})
  file(CREATE_LINK ${PROJECT_SOURCE_DIR}/server/${layer} ${dir}/${layer} SYMBOLIC)
  target_include_directories(${target} PUBLIC ${dir})
  string(TOUPPER ${layer} upper)
  target_compile_definitions(${target} PRIVATE COLEAD_LAYER_${upper})
  if(layer MATCHES "^(ot|room|store)$")
    target_include_directories(${target} BEFORE PRIVATE ${PROJECT_SOURCE_DIR}/cmake/no_asio)
  endif()
endfunction()
