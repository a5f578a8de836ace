// A real colead-server started for one test: on an ephemeral loopback port, with a fresh data
// folder, its log captured so the test can read it.
//
// Design: the server's stdout and stderr go into one pipe; a thread drains the pipe into a
// buffer for the life of the process (so the server never blocks on a full pipe), and
// `start` waits, within a bound, for the line `listening on http://127.0.0.1:PORT`. Every wait
// is bounded in time. The data folder is created under $TMPDIR (or /tmp) and removed when the
// object goes, unless the options named an existing one.
//
// Thread-safety: `log()`, `wait_for_log()`, `port()` and `url()` may be called from any
// thread; `terminate()`, `kill9()` and `wait()` from one thread at a time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "harness/process.hpp"

namespace colead::integration {

// The colead-server this build made.
std::string default_server_path();

// How to start a server.
struct server_options {
  std::vector<std::string> extra_args;            // flags after --listen and --data-dir
  std::optional<std::filesystem::path> data_dir;  // reuse this folder (kept afterwards)
  std::string executable;                         // default_server_path() when empty
  // Run the server through this command, e.g. {"/usr/bin/prlimit", "--nofile=128:128", "--"}
  // (it must exec the server, so the process id stays the server's).
  std::vector<std::string> launcher;
  milliseconds start_timeout{15000};  // bound on reaching "listening on"
};

class server_process {
 public:
  // Starts a server and waits for it to listen. Returns null and sets `error` (with the
  // server's log so far) when it cannot start, exits, or does not listen in time.
  static std::unique_ptr<server_process> start(const server_options& options, std::string& error);

  // Kills the server (SIGKILL) if it still runs, and removes the data folder it created.
  // When the current test has failed, writes the server's log to stderr first.
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  // The port it listens on.
  std::uint16_t port() const { return port_; }
  // http://127.0.0.1:PORT
  std::string url() const;
  // The server's process id.
  pid_t pid() const { return pid_; }
  // Its resident set size in KiB (VmRSS in /proc/PID/status); -1 if it cannot be read.
  long resident_kib() const;
  // Its data folder.
  const std::filesystem::path& data_dir() const { return data_dir_; }

  // Everything the server has written on stdout and stderr so far.
  std::string log() const;
  // Waits up to `timeout` for `text` to appear in the log; true once it has.
  bool wait_for_log(std::string_view text, milliseconds timeout) const;

  // True until the process has been reaped.
  bool running() const { return !status_.has_value(); }
  // Sends `signal_number` and returns at once (pair it with `wait`, so the test's clients can
  // answer the server while it stops).
  void signal(int signal_number);
  // Sends SIGTERM and waits up to `timeout` for the exit; a server still running then is
  // killed and the result has timed_out set.
  exit_status terminate(milliseconds timeout = milliseconds(10000));
  // Sends SIGKILL and reaps the process.
  exit_status kill9(milliseconds timeout = milliseconds(10000));
  // Waits up to `timeout` for the server to exit by itself (timed_out if it does not; it is
  // left running).
  exit_status wait(milliseconds timeout);

 private:
  server_process() = default;
  void drain_output(int fd);

  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
  std::filesystem::path data_dir_;
  bool owns_data_dir_ = false;         // created by start(), removed by the destructor
  std::optional<exit_status> status_;  // set once reaped

  mutable std::mutex log_mutex_;
  mutable std::condition_variable log_grew_;
  std::string log_;         // guarded by log_mutex_
  bool log_ended_ = false;  // the pipe reached end of file; guarded by log_mutex_
  std::thread drainer_;     // reads the pipe into log_
};

}  // namespace colead::integration
