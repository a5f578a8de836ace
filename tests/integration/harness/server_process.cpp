#include "harness/server_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

namespace colead::integration {

namespace {

using steady = std::chrono::steady_clock;

// The port named after the first "listening on http://127.0.0.1:" (or https://), or 0.
std::uint16_t listening_port(const std::string& log) {
  std::string_view listening_prefix = "listening on http://127.0.0.1:";
  auto at = log.find(listening_prefix);
  if (at == std::string::npos) {
    listening_prefix = "listening on https://127.0.0.1:";
    at = log.find(listening_prefix);
  }
  if (at == std::string::npos) return 0;
  unsigned long port = 0;
  std::size_t digits = 0;
  for (auto i = at + listening_prefix.size();
       i < log.size() && std::isdigit(static_cast<unsigned char>(log[i])); ++i) {
    port = port * 10 + static_cast<unsigned long>(log[i] - '0');
    if (++digits > 5) return 0;
  }
  // The line must be complete: a port still being written could be cut short.
  auto end = at + listening_prefix.size() + digits;
  if (digits == 0 || end >= log.size() || port > 65535) return 0;
  return static_cast<std::uint16_t>(port);
}

std::filesystem::path make_temp_dir(std::string& error) {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/colead-it-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    error = "cannot create a temporary data folder: " + std::string(std::strerror(errno));
    return {};
  }
  return pattern;
}

}  // namespace

std::string default_server_path() {
  return COLEAD_SERVER_PATH;
}

std::unique_ptr<server_process> server_process::start(const server_options& options,
                                                      std::string& error) {
  std::unique_ptr<server_process> server(new server_process);
  if (options.data_dir) {
    server->data_dir_ = *options.data_dir;
  } else {
    server->data_dir_ = make_temp_dir(error);
    if (server->data_dir_.empty()) return nullptr;
    server->owns_data_dir_ = true;
  }

  std::vector<std::string> argv = {
      options.executable.empty() ? default_server_path() : options.executable, "--listen",
      "127.0.0.1:0", "--data-dir", server->data_dir_.string(),
      // Tests create rooms without the organiser key unless they ask for the default.
      "--room-creation", "open"};
  argv.insert(argv.end(), options.extra_args.begin(), options.extra_args.end());
  argv.insert(argv.begin(), options.launcher.begin(), options.launcher.end());

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    error = std::string("pipe failed: ") + std::strerror(errno);
    return nullptr;
  }
  server->pid_ = spawn(argv, -1, pipe_fds[1], pipe_fds[1], error);
  ::close(pipe_fds[1]);
  if (server->pid_ < 0) {
    ::close(pipe_fds[0]);
    return nullptr;
  }
  server->drainer_ = std::thread([s = server.get(), fd = pipe_fds[0]] { s->drain_output(fd); });

  auto deadline = steady::now() + options.start_timeout;
  {
    std::unique_lock lock(server->log_mutex_);
    server->log_grew_.wait_until(
        lock, deadline, [&] { return listening_port(server->log_) != 0 || server->log_ended_; });
    server->port_ = listening_port(server->log_);
  }
  if (server->port_ == 0) {
    auto status = server->kill9();
    error = "colead-server (" + argv[0] + ") did not start listening within " +
            std::to_string(options.start_timeout.count()) + " ms (" + status.describe() +
            "); its log:\n" + server->log();
    return nullptr;
  }
  return server;
}

server_process::~server_process() {
  if (running()) kill9();
  if (drainer_.joinable()) drainer_.join();
  if (::testing::Test::HasFailure()) {
    std::cerr << "---- colead-server log (port " << port_ << ") ----\n"
              << log() << "---- end of log ----\n";
  }
  if (owns_data_dir_) {
    std::error_code ignored;
    std::filesystem::remove_all(data_dir_, ignored);
  }
}

void server_process::drain_output(int fd) {
  char buffer[8192];
  for (;;) {
    auto n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    {
      std::lock_guard lock(log_mutex_);
      log_.append(buffer, static_cast<std::size_t>(n));
    }
    log_grew_.notify_all();
  }
  ::close(fd);
  {
    std::lock_guard lock(log_mutex_);
    log_ended_ = true;
  }
  log_grew_.notify_all();
}

long server_process::resident_kib() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::string server_process::url() const {
  return "http://127.0.0.1:" + std::to_string(port_);
}

std::string server_process::log() const {
  std::lock_guard lock(log_mutex_);
  return log_;
}

bool server_process::wait_for_log(std::string_view text, milliseconds timeout) const {
  std::unique_lock lock(log_mutex_);
  return log_grew_.wait_for(lock, timeout, [&] {
    return log_.find(text) != std::string::npos || log_ended_;
  }) && log_.find(text) != std::string::npos;
}

exit_status server_process::wait(milliseconds timeout) {
  if (status_) return *status_;
  auto status = wait_for_exit(pid_, timeout);
  if (!status.timed_out) status_ = status;
  return status;
}

void server_process::signal(int signal_number) {
  if (!status_) ::kill(pid_, signal_number);
}

exit_status server_process::terminate(milliseconds timeout) {
  if (status_) return *status_;
  ::kill(pid_, SIGTERM);
  auto status = wait(timeout);
  if (status.timed_out) {
    kill9();
    status_ = status;
  }
  return status;
}

exit_status server_process::kill9(milliseconds timeout) {
  if (status_) return *status_;
  ::kill(pid_, SIGKILL);
  return wait(timeout);
}

}  // namespace colead::integration
