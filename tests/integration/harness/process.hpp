// Child processes for the integration tests: start a program with its standard streams on
// descriptors of our choosing, wait for it with a bound, or run it to completion with a
// script on stdin.
//
// Free functions with no shared state; safe from any thread. A started child gets SIGKILL if
// the thread that started it dies, so a crashed test leaves no server behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace colead::integration {

using std::chrono::milliseconds;

// How a child process ended.
struct exit_status {
  bool exited = false;     // it exited by itself; `code` holds its exit status
  int code = -1;           // exit status, when exited
  int signal = 0;          // the signal that ended it, when it did not exit
  bool timed_out = false;  // it had not ended in time (and was killed by the waiter)

  // "exit 0", "signal 9", "still running after the wait (killed)".
  std::string describe() const;
};

// Starts `argv[0]` (a path) with `argv`, stdin, stdout and stderr on the given descriptors
// (-1: /dev/null). Every other descriptor is closed in the child. Returns the pid, or -1 and
// sets `error`.
pid_t spawn(const std::vector<std::string>& argv, int stdin_fd, int stdout_fd, int stderr_fd,
            std::string& error);

// Waits up to `timeout` for `pid` to end and reaps it. When it does not end in time, returns
// with timed_out set and the child still running (the caller decides what to do).
exit_status wait_for_exit(pid_t pid, milliseconds timeout);

// What a program run to completion wrote and how it ended.
struct run_result {
  exit_status status;
  std::string out;  // everything written on stdout
  std::string err;  // everything written on stderr
};

// Runs `argv`, writes `input` on its stdin and closes it, and collects stdout and stderr until
// it ends. A child still running after `timeout` is killed (status.timed_out is set).
run_result run_process(const std::vector<std::string>& argv, const std::string& input,
                       milliseconds timeout);

}  // namespace colead::integration
