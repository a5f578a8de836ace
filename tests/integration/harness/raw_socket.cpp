#include "harness/raw_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace colead::integration {

namespace {

using steady = std::chrono::steady_clock;

int millis_left(steady::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

}  // namespace

raw_socket::~raw_socket() {
  close();
}

raw_socket::raw_socket(raw_socket&& other) noexcept
    : fd_(other.fd_), peer_closed_(other.peer_closed_) {
  other.fd_ = -1;
}

raw_socket& raw_socket::operator=(raw_socket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    peer_closed_ = other.peer_closed_;
    other.fd_ = -1;
  }
  return *this;
}

void raw_socket::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

raw_socket raw_socket::connect(std::uint16_t port, const std::string& local_address,
                               std::chrono::milliseconds timeout, std::string* error) {
  raw_socket s;
  auto fail = [&](const char* what) {
    if (error) *error = std::string(what) + ": " + std::strerror(errno);
    s.close();
    return std::move(s);
  };
  s.fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s.fd_ < 0) return fail("socket");
  if (!local_address.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, local_address.c_str(), &local.sin_addr);
    if (::bind(s.fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      return fail("bind");
    }
  }
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  if (::connect(s.fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    if (errno != EINPROGRESS) return fail("connect");
    pollfd p{s.fd_, POLLOUT, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) {
      errno = ETIMEDOUT;
      return fail("connect");
    }
    int so_error = 0;
    socklen_t len = sizeof so_error;
    ::getsockopt(s.fd_, SOL_SOCKET, SO_ERROR, &so_error, &len);
    if (so_error != 0) {
      errno = so_error;
      return fail("connect");
    }
  }
  return s;
}

bool raw_socket::send(std::string_view bytes, std::chrono::milliseconds timeout) {
  auto deadline = steady::now() + timeout;
  while (!bytes.empty() && fd_ >= 0) {
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EINTR) return false;
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, millis_left(deadline)) != 1) return false;
  }
  return bytes.empty();
}

long raw_socket::read_some(std::string& into, steady::time_point deadline) {
  if (fd_ < 0 || peer_closed_) return 0;
  for (;;) {
    char buffer[8192];
    auto n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0) {
      into.append(buffer, static_cast<std::size_t>(n));
      return n;
    }
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      peer_closed_ = true;
      return 0;
    }
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, millis_left(deadline)) != 1) return -1;
  }
}

std::string raw_socket::read_until_closed(std::chrono::milliseconds timeout,
                                          std::size_t max_bytes) {
  std::string out;
  auto deadline = steady::now() + timeout;
  while (out.size() < max_bytes && read_some(out, deadline) > 0) {
  }
  return out;
}

std::string raw_socket::read_bytes(std::size_t bytes, std::chrono::milliseconds timeout) {
  std::string out;
  auto deadline = steady::now() + timeout;
  while (out.size() < bytes && read_some(out, deadline) > 0) {
  }
  return out;
}

std::string raw_socket::read_head(std::chrono::milliseconds timeout) {
  std::string out;
  auto deadline = steady::now() + timeout;
  while (out.find("\r\n\r\n") == std::string::npos && read_some(out, deadline) > 0) {
  }
  return out;
}

bool raw_socket::wait_closed(std::chrono::milliseconds timeout) {
  std::string ignored;
  auto deadline = steady::now() + timeout;
  for (;;) {
    auto n = read_some(ignored, deadline);
    if (n == 0) return true;
    if (n < 0) return false;
  }
}

int http_status(std::string_view response) {
  if (response.substr(0, 5) != "HTTP/") return 0;
  auto space = response.find(' ');
  if (space == std::string_view::npos || space + 4 > response.size()) return 0;
  int status = 0;
  for (std::size_t i = space + 1; i < space + 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(response[i]))) return 0;
    status = status * 10 + (response[i] - '0');
  }
  return status;
}

std::optional<std::string> http_header(std::string_view response, std::string_view name) {
  auto end = response.find("\r\n\r\n");
  auto head = response.substr(0, end);
  std::size_t at = head.find("\r\n");
  while (at != std::string_view::npos) {
    auto line_start = at + 2;
    auto line_end = head.find("\r\n", line_start);
    auto line = head.substr(line_start,
                            line_end == std::string_view::npos ? head.npos : line_end - line_start);
    auto colon = line.find(':');
    if (colon == name.size()) {
      bool same = true;
      for (std::size_t i = 0; i < colon; ++i)
        same = same && std::tolower(static_cast<unsigned char>(line[i])) ==
                           std::tolower(static_cast<unsigned char>(name[i]));
      if (same) {
        auto value = line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ')
          value.remove_prefix(1);
        return std::string(value);
      }
    }
    at = line_end;
  }
  return std::nullopt;
}

}  // namespace colead::integration
