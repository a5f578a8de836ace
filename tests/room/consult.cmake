# consult_test: the consulting scripts, script files and the consult engine.
add_executable(consult_test
  ${CMAKE_CURRENT_LIST_DIR}/consult_script_test.cpp)
target_link_libraries(consult_test PRIVATE colead::consult GTest::gmock GTest::gtest_main colead::options)
gtest_discover_tests(consult_test)
