// The layer under a WebSocket stream that keeps the server from echoing a close code nobody
// may send. RFC 6455 lets a peer close with 1000-1003, 1007-1014 or 3000-4999; Beast 1.74
// answers codes it thinks invalid (below 1000, 1004-1006, 1015-2999) with 1002 itself, but
// echoes 5000 and above as it received them. When the session sees such a close frame
// arrive (`arm`), the echo Beast writes next (two bytes of code, no reason) leaves as 1002
// "protocol error" instead.
//
// It sits above TLS, so it works on plain and TLS connections alike: the frame is patched
// before it is encrypted.
//
// Thread safety: that of the stream below (one strand).
#pragma once

#include <array>
#include <cstdint>
#include <utility>

#include "net/beast.hpp"

namespace colead::net {

// True for a close code a peer may send (RFC 6455 section 7.4).
inline bool valid_peer_close_code(std::uint16_t code) {
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1014) return true;
  return code >= 3000 && code <= 4999;
}

template <class NextLayer>
class close_code_guard {
 public:
  using executor_type = typename NextLayer::executor_type;
  using next_layer_type = NextLayer;

  template <class... Args>
  explicit close_code_guard(Args&&... args) : next_(std::forward<Args>(args)...) {}

  executor_type get_executor() noexcept { return next_.get_executor(); }
  NextLayer& next_layer() noexcept { return next_; }
  const NextLayer& next_layer() const noexcept { return next_; }

  // The peer closed with `code`, which may not be echoed: the next close frame written with
  // that code says 1002 instead.
  void arm(std::uint16_t code) {
    armed_ = true;
    code_ = code;
  }

  template <class MutableBuffers, class ReadHandler>
  void async_read_some(const MutableBuffers& buffers, ReadHandler&& handler) {
    next_.async_read_some(buffers, std::forward<ReadHandler>(handler));
  }

  template <class ConstBuffers, class WriteHandler>
  void async_write_some(const ConstBuffers& buffers, WriteHandler&& handler) {
    if (armed_ && asio::buffer_size(buffers) == frame_.size()) {
      std::array<unsigned char, 4> bytes{};
      asio::buffer_copy(asio::buffer(bytes), buffers);
      // An unmasked close frame of two payload bytes: 0x88 0x02 and the code, big-endian.
      if (bytes[0] == 0x88 && bytes[1] == 0x02 && ((bytes[2] << 8) | bytes[3]) == code_) {
        armed_ = false;
        frame_ = {0x88, 0x02, 0x03, 0xEA};  // 1002
        return next_.async_write_some(asio::buffer(frame_), std::forward<WriteHandler>(handler));
      }
    }
    next_.async_write_some(buffers, std::forward<WriteHandler>(handler));
  }

 private:
  NextLayer next_;
  bool armed_ = false;
  std::uint16_t code_ = 0;
  std::array<unsigned char, 4> frame_{};  // the patched frame while it is written
};

template <class NextLayer>
void teardown(beast::role_type role, close_code_guard<NextLayer>& stream, beast::error_code& ec) {
  using beast::websocket::teardown;
  teardown(role, stream.next_layer(), ec);
}

template <class NextLayer, class TeardownHandler>
void async_teardown(beast::role_type role, close_code_guard<NextLayer>& stream,
                    TeardownHandler&& handler) {
  using beast::websocket::async_teardown;
  async_teardown(role, stream.next_layer(), std::forward<TeardownHandler>(handler));
}

}  // namespace colead::net
