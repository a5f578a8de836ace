# meeting_test: the meeting clock, with time passed in by hand.
add_executable(meeting_test
  ${CMAKE_CURRENT_LIST_DIR}/meeting_clock_test.cpp)
target_link_libraries(meeting_test PRIVATE colead::meeting GTest::gtest_main colead::options)
gtest_discover_tests(meeting_test)
