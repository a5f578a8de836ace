# consult_test: the consulting scripts, script files and the consult engine.
add_executable(consult_test
  ${CMAKE_CURRENT_LIST_DIR}/consult_script_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/consult_files_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/built_in_script_files_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/consult_engine_test.cpp)
target_link_libraries(consult_test PRIVATE colead::consult GTest::gmock GTest::gtest_main colead::options)
# The example script a programme might add is loaded by the tests, so it stays valid; the
# built-in script files are compared with what the build embedded.
target_compile_definitions(consult_test PRIVATE
  COLEAD_EXAMPLE_SCRIPTS_DIR="${PROJECT_SOURCE_DIR}/data/scripts"
  COLEAD_BUILT_IN_SCRIPTS_DIR="${PROJECT_SOURCE_DIR}/data/scripts/built-in")
gtest_discover_tests(consult_test PROPERTIES LABELS unit)
