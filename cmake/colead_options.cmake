# colead::options carries the compile and link settings every Colead target shares: the
# warnings (errors when COLEAD_WERROR is on, as in tests/run_all.sh and CI), and the
# sanitizers when COLEAD_SANITIZE (ASan and UBSan), COLEAD_TSAN (ThreadSanitizer) or
# COLEAD_FUZZ (libFuzzer's coverage with ASan and UBSan) is on. Targets link it PRIVATE so the settings never leak
# to code that merely uses them. A packager's own flags never turn warnings into errors.
add_library(colead_options INTERFACE)
add_library(colead::options ALIAS colead_options)

target_compile_options(colead_options INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic>)
if(COLEAD_WERROR)
  target_compile_options(colead_options INTERFACE $<$<CXX_COMPILER_ID:GNU,Clang>:-Werror>)
endif()

# Generated protobuf code and third-party headers are not ours to fix, so targets that
# compile them link colead::sanitize only.
add_library(colead_sanitize INTERFACE)
add_library(colead::sanitize ALIAS colead_sanitize)
if(COLEAD_SANITIZE AND COLEAD_TSAN)
  message(FATAL_ERROR "COLEAD_SANITIZE and COLEAD_TSAN cannot be combined: build them in two folders")
endif()
if(COLEAD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "COLEAD_FUZZ needs clang (libFuzzer): configure with "
                        "-DCMAKE_CXX_COMPILER=clang++ in a build folder of its own")
  endif()
  # Every Colead library gets coverage instrumentation (fuzzer-no-link) so libFuzzer sees the
  # code it reaches; only the fuzz targets link libFuzzer's main (tests/fuzz).
  target_compile_options(colead_sanitize INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  target_link_options(colead_sanitize INTERFACE -fsanitize=address,undefined)
elseif(COLEAD_TSAN)
  # GCC warns that TSan does not model atomic_thread_fence, which Boost.Asio uses; that is a
  # known limit of the tool, not a finding, so it must not stop a -Werror build.
  target_compile_options(colead_sanitize INTERFACE -fsanitize=thread -fno-omit-frame-pointer
    $<$<CXX_COMPILER_ID:GNU>:-Wno-tsan>)
  target_link_options(colead_sanitize INTERFACE -fsanitize=thread)
elseif(COLEAD_SANITIZE)
  target_compile_options(colead_sanitize INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(colead_sanitize INTERFACE -fsanitize=address,undefined)
endif()
target_link_libraries(colead_options INTERFACE colead_sanitize)
