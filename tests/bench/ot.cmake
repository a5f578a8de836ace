# ot_bench: transform, apply and server::receive on a 2,000-character mixed-script document.
# Included from tests/bench/CMakeLists.txt; results are recorded in docs/benchmarks-ot.md.
if(NOT COLEAD_BUILD_BENCH)
  return()
endif()
find_package(benchmark REQUIRED)
add_executable(ot_bench ${CMAKE_CURRENT_LIST_DIR}/ot_bench.cpp)
target_link_libraries(ot_bench PRIVATE colead::ot benchmark::benchmark_main colead::options)
