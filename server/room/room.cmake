# colead::room: the room, its members, documents and the state a meeting or consult adds.
add_library(colead_room STATIC
  room.cpp
  room_context.cpp
  room_programme.cpp
  call_feature.cpp
  cohort.cpp
  consult_feature.cpp
  documents_feature.cpp
  learning_log.cpp
  meeting_feature.cpp
  meeting_name.cpp
  programme_feature.cpp
  programme_items.cpp
  settings_feature.cpp
  learning_record.cpp
  markdown_text.cpp
  room_records.cpp
  cohort_creation.cpp
  cohort_record.cpp
  text_limits.cpp
  tokens.cpp
  wire.cpp)
add_library(colead::room ALIAS colead_room)
colead_layer(colead_room room)
# One arrow of the room layer is not refused by the build yet (cmake/colead_layers.cmake): the
# room builds the store's records and write batches (store/records.hpp, store/write_batch.hpp).
# The store's backends and the codec (codec.hpp, net's alone) are refused.
target_link_libraries(colead_room
  PUBLIC colead::protocol colead::ot colead::store colead::consult colead::meeting
  PRIVATE colead::options colead::storage_proto OpenSSL::Crypto)
