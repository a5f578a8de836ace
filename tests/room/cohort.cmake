# The cohort's pure parts (its programme items and the cohort domain) and a room's overview.
add_executable(cohort_unit_test programme_items_test.cpp cohort_test.cpp room_overview_test.cpp)
target_link_libraries(cohort_unit_test
  PRIVATE colead::room colead::storage_proto GTest::gtest_main colead::options)
target_include_directories(cohort_unit_test PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
gtest_discover_tests(cohort_unit_test PROPERTIES LABELS unit)
