# Run as the `browser` test when the browser suite could not be set up at configure time, so
# that a missing suite is reported as a failure rather than passing silently.
message(FATAL_ERROR
  "The browser tests are not set up. Missing: ${MISSING}. "
  "Install what is missing, then configure again (cmake -S . -B <build>) so CTest finds it.")
