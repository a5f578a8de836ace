// One WebSocket connection of a member's device, plain or TLS.
//
// The session only decodes, forwards and writes: frames become ClientMessages posted to the
// room's strand; what the room delivers is queued and written in order.
//
// Slow members: the outbound queue is bounded in bytes (--outbound-queue-bytes). A member
// whose device stops reading while the room keeps talking is closed with code 1008 and the
// reason "too slow: ..." rather than letting the queue grow without end or slowing the
// others (the output-buffer policy Redis applies to its clients).
//
// Hello deadline: a connection that has not joined with hello within --hello-timeout is
// closed with 1008 and a reason saying so; only joined devices count against a room's limit.
//
// Close codes: a peer closing with a code nobody may send (5000 and above; Beast itself
// answers the other invalid ones) is answered with 1002, not an echo (close_code_guard.hpp).
//
// Persistent abuse: more than --abuse-close-after messages refused for rate within 10 s
// closes the connection with 1008 and a reason.
//
// Inbound limits (docs/security.md): a message over --max-frame-bytes gets TOO_LARGE and is
// dropped unread, the connection stays usable; one over four times that gets TOO_LARGE and
// then close 1009. Messages beyond the rate limit get RATE_LIMITED. Every such answer carries
// the message's req (protocol::peek_req) and is made here, costing the room nothing. At most
// `max_in_room` messages wait for the room at a time; the next frame is read after that.
//
// Thread safety: public members may be called from any thread; they hand the work to the
// session's own strand.
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "codec.hpp"
#include "net/beast.hpp"
#include "net/close_code_guard.hpp"
#include "net/member_limits.hpp"
#include "net/server_state.hpp"
#include "room/participant.hpp"

namespace colead::net {

// What the server and its shutdown see of a session, whatever its stream.
class websocket_session : public room::participant {};

// `Stream` is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>, the stream the
// HTTP session read the upgrade request from.
template <class Stream>
class websocket_session_of final
    : public websocket_session,
      public std::enable_shared_from_this<websocket_session_of<Stream>> {
 public:
  // `tls_context` keeps a TLS stream's context alive (null for plain streams).
  websocket_session_of(Stream&& stream, std::shared_ptr<server_state> state,
                       std::shared_ptr<room_host> host, protocol::encoding encoding,
                       connection_info info, std::shared_ptr<void> tls_context,
                       address_lease lease);
  ~websocket_session_of() override;

  // Completes the WebSocket handshake for `req` and starts reading.
  void run(http::request<http::string_body> req);

  // Encodes `message` in this connection's subprotocol (once per encoding: the frame is kept
  // in `message` for the other recipients) and queues the frame.
  void deliver(room::outbound& message) override;
  void close(room::close_reason reason) override;
  void joined(const std::string& member_id) override;

 private:
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void room_took();
  void reject(std::uint64_t req, v1::Error::Code code, std::string message, bool fatal = false);
  void close_now(room::close_reason reason);
  std::size_t hard_cap() const { return state_->options.max_frame_bytes * 4; }
  std::string_view buffers_view() const {
    return {static_cast<const char*>(buffer_.data().data()), buffer_.size()};
  }
  void queue(std::shared_ptr<const std::string> frame);
  void do_write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void do_close();
  void finish();
  void start_hello_timer();
  bool take_token();
  bool abusive();
  void fail(beast::error_code ec, const char* what);

  // Messages handed to the room and not yet taken by it before reading stops: a small
  // number, so a connection cannot queue work on the room's strand faster than it runs.
  static constexpr std::size_t max_in_room = 4;
  // The most bytes one read takes off the socket.
  static constexpr std::size_t read_chunk = 16 * 1024;

  websocket::stream<close_code_guard<Stream>> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server_state> state_;
  std::shared_ptr<room_host> host_;  // null when the room does not exist
  const protocol::encoding encoding_;
  const connection_info info_;
  std::shared_ptr<void> tls_context_;
  address_lease lease_;  // this connection's place in its client address's count

  // Below: used on the session's strand only.
  std::deque<std::shared_ptr<const std::string>> queue_;  // frames waiting to be written
  std::size_t queued_bytes_ = 0;                          // bytes in queue_
  bool accepted_ = false;                                 // handshake done
  bool reading_ = false;                                  // a read is pending
  bool attached_ = false;                                 // the room knows us
  bool closing_ = false;                                  // a close is pending or under way
  bool finished_ = false;                                 // detached and forgotten
  bool joined_ = false;                                   // a hello succeeded
  asio::steady_timer hello_timer_;                        // closes a silent connection
  room::close_reason close_reason_;                       // what the close frame will say
  std::size_t message_bytes_ = 0;                         // of the message being read
  bool oversize_ = false;           // the message being read is over the limit
  std::uint64_t oversize_req_ = 0;  // its req, from its first bytes
  // Messages posted to the room and not yet taken by it: raised here, lowered on the room's
  // strand, which wakes a waiting read only when the count leaves max_in_room.
  std::atomic<std::size_t> in_room_{0};
  bool read_waits_ = false;                      // reading paused until the room takes one
  rate_bucket own_bucket_;                       // this connection's rate limit
  std::shared_ptr<token_bucket> member_bucket_;  // the member's shared bucket, after hello
  limit_clock::time_point refused_since_;        // start of the window refusals count in
  unsigned refused_ = 0;                         // messages refused for rate in that window
};

}  // namespace colead::net
