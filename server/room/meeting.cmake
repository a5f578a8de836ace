# colead::meeting: the meeting clock (the 40 per cent reflection rule, nudges) and the
# reflection prompt sets. Pure domain code: no I/O, time passed in.
add_library(colead_meeting STATIC
  ${CMAKE_CURRENT_LIST_DIR}/meeting_clock.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reflection_prompts.cpp)
add_library(colead::meeting ALIAS colead_meeting)
colead_layer(colead_meeting room)
target_link_libraries(colead_meeting PUBLIC colead::common PRIVATE colead::options colead::ot)
