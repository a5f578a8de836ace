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
target_include_directories(colead_room PUBLIC ${PROJECT_SOURCE_DIR}/server)
target_link_libraries(colead_room
  PUBLIC colead::protocol colead::ot colead::store colead::consult colead::meeting
  PRIVATE colead::options OpenSSL::Crypto)
