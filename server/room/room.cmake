# colead::room: the room, its members, documents and the state a meeting or consult adds.
add_library(colead_room STATIC
  room.cpp
  room_consult.cpp
  room_documents.cpp
  room_erasure.cpp
  learning_record.cpp
  markdown_text.cpp
  room_meeting.cpp
  room_records.cpp
  text_limits.cpp
  tokens.cpp
  wire.cpp)
add_library(colead::room ALIAS colead_room)
colead_layer(colead_room room)
# Two arrows of the room layer are not refused by the build yet (cmake/colead_layers.cmake):
# room.hpp, participant.hpp, outbound.hpp, wire.hpp and learning_record.hpp include the codec
# (codec.hpp, of colead::protocol), and the room builds the store's records and write batches
# (store/records.hpp, store/write_batch.hpp). Only the store's backends are refused.
target_link_libraries(colead_room
  PUBLIC colead::protocol colead::ot colead::store colead::consult colead::meeting
  PRIVATE colead::options colead::storage_proto OpenSSL::Crypto)
