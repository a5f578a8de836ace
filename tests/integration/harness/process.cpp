#include "harness/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace colead::integration {

using steady = std::chrono::steady_clock;

std::string exit_status::describe() const {
  if (timed_out) return "still running after the wait (killed)";
  if (exited) return "exit " + std::to_string(code);
  return "signal " + std::to_string(signal) + " (" + strsignal(signal) + ")";
}

pid_t spawn(const std::vector<std::string>& argv, int stdin_fd, int stdout_fd, int stderr_fd,
            std::string& error) {
  if (argv.empty()) {
    error = "nothing to run";
    return -1;
  }
  // Everything the child needs is prepared before fork: after it, in a threaded parent, only
  // async-signal-safe calls are allowed.
  std::vector<char*> args;
  for (const auto& arg : argv)
    args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) {
    error = std::string("cannot open /dev/null: ") + std::strerror(errno);
    return -1;
  }
  int in = stdin_fd < 0 ? null_fd : stdin_fd;
  int out = stdout_fd < 0 ? null_fd : stdout_fd;
  int err = stderr_fd < 0 ? null_fd : stderr_fd;
  pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string("fork failed: ") + std::strerror(errno);
    ::close(null_fd);
    return -1;
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    // dup2 clears FD_CLOEXEC on the copies; the originals go with close_range below.
    if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(err, 2) < 0) ::_exit(127);
    // Sockets the test holds (clients of other servers) must not stay open in the child, or
    // a client's drop would go unseen by the server it was connected to.
    if (::syscall(SYS_close_range, 3u, ~0u, 0u) != 0) {
      for (int fd = 3; fd < 4096; ++fd)
        ::close(fd);
    }
    ::execv(args[0], args.data());
    const char message[] = "exec failed\n";
    (void)!::write(2, message, sizeof message - 1);
    ::_exit(127);
  }
  ::close(null_fd);
  return pid;
}

exit_status wait_for_exit(pid_t pid, milliseconds timeout) {
  exit_status result;
  auto deadline = steady::now() + timeout;
  for (;;) {
    int raw = 0;
    pid_t done = ::waitpid(pid, &raw, WNOHANG);
    if (done == pid) {
      if (WIFEXITED(raw)) {
        result.exited = true;
        result.code = WEXITSTATUS(raw);
      } else if (WIFSIGNALED(raw)) {
        result.signal = WTERMSIG(raw);
      }
      return result;
    }
    if (done < 0 && errno != EINTR) {
      result.code = -1;
      return result;  // not our child (already reaped)
    }
    if (steady::now() >= deadline) {
      result.timed_out = true;
      return result;
    }
    // waitpid cannot wait with a timeout; poll it finely, within the bound.
    std::this_thread::sleep_for(milliseconds(2));
  }
}

run_result run_process(const std::vector<std::string>& argv, const std::string& input,
                       milliseconds timeout) {
  run_result result;
  int in[2], out[2], err[2];
  if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    result.err = std::string("pipe failed: ") + std::strerror(errno);
    return result;
  }
  std::string error;
  pid_t pid = spawn(argv, in[0], out[1], err[1], error);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  if (pid < 0) {
    ::close(in[1]);
    ::close(out[0]);
    ::close(err[0]);
    result.err = error;
    return result;
  }
  ::fcntl(in[1], F_SETFL, O_NONBLOCK);
  // A child that exits without reading its input must not kill us with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);

  auto deadline = steady::now() + timeout;
  std::size_t written = 0;
  int to_child = in[1];
  if (input.empty()) {
    ::close(to_child);
    to_child = -1;
  }
  int from_out = out[0];
  int from_err = err[0];
  while (from_out >= 0 || from_err >= 0) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - steady::now()).count();
    if (left <= 0) break;
    pollfd fds[3] = {{from_out, POLLIN, 0}, {from_err, POLLIN, 0}, {to_child, POLLOUT, 0}};
    if (::poll(fds, 3, static_cast<int>(left)) < 0 && errno != EINTR) break;
    char buffer[65536];
    auto drain = [&](int& fd, short revents, std::string& into) {
      if (fd < 0 || !(revents & (POLLIN | POLLHUP | POLLERR))) return;
      auto n = ::read(fd, buffer, sizeof buffer);
      if (n > 0) {
        into.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fd);
        fd = -1;
      }
    };
    drain(from_out, fds[0].revents, result.out);
    drain(from_err, fds[1].revents, result.err);
    if (to_child >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      auto n = ::write(to_child, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<std::size_t>(n);
      if (written == input.size() || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        ::close(to_child);
        to_child = -1;
      }
    }
  }
  for (int fd : {to_child, from_out, from_err}) {
    if (fd >= 0) ::close(fd);
  }
  auto left = std::chrono::duration_cast<milliseconds>(deadline - steady::now());
  result.status = wait_for_exit(pid, std::max(left, milliseconds(0)));
  if (result.status.timed_out) {
    ::kill(pid, SIGKILL);
    wait_for_exit(pid, milliseconds(5000));
  }
  return result;
}

}  // namespace colead::integration
