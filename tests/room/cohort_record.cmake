# A cohort as it is created (checks, rooms, facilitators, the CSV) and its learning record.
add_executable(cohort_record_test cohort_record_test.cpp)
target_link_libraries(cohort_record_test PRIVATE colead::room GTest::gtest_main colead::options)
gtest_discover_tests(cohort_record_test PROPERTIES LABELS unit)
