// Plain TCP sockets for tests that must misbehave below HTTP and WebSocket: hold a connection
// open without a word, send exact bytes, read exactly what the server answered. Every call
// is bounded in time. The client may pick its local address on loopback (127.0.0.2, ...) so
// the server sees several machines.
//
// Thread-safety: one socket per thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace colead::integration {

class raw_socket {
 public:
  raw_socket() = default;
  ~raw_socket();
  raw_socket(raw_socket&& other) noexcept;
  raw_socket& operator=(raw_socket&& other) noexcept;
  raw_socket(const raw_socket&) = delete;
  raw_socket& operator=(const raw_socket&) = delete;

  // Connects to 127.0.0.1:`port` from `local_address` (empty: any) within `timeout`.
  // Returns an unconnected socket (`open()` false) on failure, with `error` set.
  static raw_socket connect(std::uint16_t port, const std::string& local_address,
                            std::chrono::milliseconds timeout, std::string* error = nullptr);

  bool open() const { return fd_ >= 0; }
  // Sends all of `bytes` within `timeout`; false on error or timeout.
  bool send(std::string_view bytes, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads what arrives until the peer closes, `max_bytes` have arrived, or `timeout` passes.
  std::string read_until_closed(std::chrono::milliseconds timeout, std::size_t max_bytes = 1 << 20);
  // Reads until `bytes` have arrived (or the peer closes, or `timeout` passes).
  std::string read_bytes(std::size_t bytes, std::chrono::milliseconds timeout);
  // Reads until "\r\n\r\n" has arrived (an HTTP head), the peer closes or `timeout` passes.
  std::string read_head(std::chrono::milliseconds timeout);
  // True when the peer closed (or reset) the connection within `timeout`.
  bool wait_closed(std::chrono::milliseconds timeout);
  void close();

 private:
  // Reads what is available into `into` within the deadline; 0 on close, -1 on timeout/error.
  long read_some(std::string& into, std::chrono::steady_clock::time_point deadline);
  int fd_ = -1;
  bool peer_closed_ = false;
};

// "HTTP/1.1 429 Too Many Requests\r\n..." -> 429; 0 when `response` is no HTTP status line.
int http_status(std::string_view response);

// The value of header `name` (case-insensitive) in an HTTP head, or nothing.
std::optional<std::string> http_header(std::string_view response, std::string_view name);

}  // namespace colead::integration
