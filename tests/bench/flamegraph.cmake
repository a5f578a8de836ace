# flamegraph.py turns `perf script` into a flame graph (tests/bench/run.sh says how);
# flamegraph_test.py checks it on a few events. Registered with the tests, benchmarks or not.
# Without python3 the test is still registered, and fails saying what is missing.
find_package(Python3 3.7 COMPONENTS Interpreter)
if(Python3_Interpreter_FOUND)
  add_test(NAME bench.flamegraph
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/flamegraph_test.py -v)
else()
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/python3_missing.cmake
       "message(FATAL_ERROR \"python3 not found: install it (apt-get install python3), then "
       "configure again (cmake -S . -B <build>) so CTest finds it.\")\n")
  add_test(NAME bench.flamegraph
    COMMAND ${CMAKE_COMMAND} -P ${CMAKE_CURRENT_BINARY_DIR}/python3_missing.cmake)
endif()
# No __pycache__ left in the source tree.
set_tests_properties(bench.flamegraph PROPERTIES LABELS unit ENVIRONMENT PYTHONDONTWRITEBYTECODE=1)
