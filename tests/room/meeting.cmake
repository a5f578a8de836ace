# meeting_test: the meeting clock and the reflection prompt sets, with time passed in by hand.
add_executable(meeting_test
  ${CMAKE_CURRENT_LIST_DIR}/meeting_clock_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reflection_prompts_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reflection_rule_test.cpp
  ${PROJECT_SOURCE_DIR}/tests/ot/vector_json.cpp)
target_link_libraries(meeting_test PRIVATE colead::meeting GTest::gtest_main colead::options)
target_include_directories(meeting_test PRIVATE ${PROJECT_SOURCE_DIR}/tests/ot)
# The shipped prompt sets are checked against the parser; the reflection rule against the
# vectors the browser client's tests read too.
target_compile_definitions(meeting_test PRIVATE
  COLEAD_PROMPTS_DIR="${PROJECT_SOURCE_DIR}/data/prompts"
  COLEAD_VECTORS_DIR="${PROJECT_SOURCE_DIR}/tests/vectors")
gtest_discover_tests(meeting_test PROPERTIES LABELS unit)
