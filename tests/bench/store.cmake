# store_bench: durable commits per second and commit latency of the SQLite store for edits
# from 1, 10 and 100 rooms. Included from tests/bench/CMakeLists.txt; results are recorded
# in docs/benchmarks-store.md.
if(NOT COLEAD_BUILD_BENCH)
  return()
endif()
find_package(benchmark REQUIRED)
add_executable(store_bench ${CMAKE_CURRENT_LIST_DIR}/store_bench.cpp)
target_link_libraries(store_bench PRIVATE
  colead::store colead::protocol benchmark::benchmark_main colead::options)
