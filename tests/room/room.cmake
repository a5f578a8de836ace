add_executable(room_test room_test.cpp room_documents_test.cpp room_consult_test.cpp room_meeting_test.cpp
  room_observer_test.cpp room_records_test.cpp markdown_text_test.cpp features_test.cpp
  room_call_test.cpp room_programme_test.cpp)
target_link_libraries(room_test
  PRIVATE colead::room colead::storage_proto GTest::gtest_main colead::options)
target_include_directories(room_test PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
gtest_discover_tests(room_test PROPERTIES LABELS unit)
