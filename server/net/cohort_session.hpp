// One facilitator's WebSocket to a cohort's live overview (GET /ws/cohort/<id>), plain or
// TLS.
//
// Like a member's session (websocket_session.hpp) it only decodes, forwards and writes:
// CohortClientMessages go to the cohort's strand, what the cohort sends is queued and written
// in order. The same limits apply: the subprotocols, --max-frame-bytes (TOO_LARGE, and close
// 1009 above four times it), the per-connection rate (RATE_LIMITED), the hello deadline
// (close 1008), the outbound queue bound (close 1008 "too slow"), keep-alive pings, and
// close codes nobody may send answered with 1002.
//
// Thread safety: public members may be called from any thread; they hand the work to the
// session's own strand.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "codec.hpp"
#include "net/beast.hpp"
#include "net/close_code_guard.hpp"
#include "net/cohort_host.hpp"
#include "net/rate_bucket.hpp"
#include "net/server_state.hpp"
#include "net/websocket_session.hpp"

namespace colead::net {

template <class Stream>
class cohort_session final : public websocket_session,
                             public cohort_viewer,
                             public std::enable_shared_from_this<cohort_session<Stream>> {
 public:
  cohort_session(Stream&& stream, std::shared_ptr<server_state> state,
                 std::shared_ptr<cohort_host> host, protocol::encoding encoding,
                 connection_info info, std::shared_ptr<void> tls_context, address_lease lease);
  ~cohort_session() override;

  // Completes the WebSocket handshake for `req` and starts reading.
  void run(http::request<http::string_body> req);

  // cohort_viewer
  void send(std::shared_ptr<const v1::CohortServerMessage> message) override;
  void close(room::close_reason reason) override;
  void joined() override;
  // room::participant (a cohort session is never a room's): nothing to deliver.
  void deliver(room::outbound&) override {}

 private:
  void on_accept(beast::error_code ec);
  void do_read();
  void on_read(beast::error_code ec, std::size_t bytes);
  void reject(std::uint64_t req, v1::Error::Code code, std::string message, bool fatal = false);
  void close_now(room::close_reason reason);
  void queue(std::shared_ptr<const std::string> frame);
  void do_write();
  void on_write(beast::error_code ec, std::size_t bytes);
  void do_close();
  void finish();
  void fail(beast::error_code ec, const char* what);
  std::string_view buffers_view() const {
    return {static_cast<const char*>(buffer_.data().data()), buffer_.size()};
  }

  // The most bytes one read takes off the socket.
  static constexpr std::size_t read_chunk = 16 * 1024;

  websocket::stream<close_code_guard<Stream>> ws_;
  beast::flat_buffer buffer_;
  std::shared_ptr<server_state> state_;
  std::shared_ptr<cohort_host> host_;  // null when the cohort does not exist
  const protocol::encoding encoding_;
  const connection_info info_;
  std::shared_ptr<void> tls_context_;
  address_lease lease_;

  // Below: used on the session's strand only.
  std::deque<std::shared_ptr<const std::string>> queue_;  // frames waiting to be written
  std::size_t queued_bytes_ = 0;                          // bytes in queue_
  bool accepted_ = false;                                 // handshake done
  bool reading_ = false;                                  // a read is pending
  bool attached_ = false;                                 // the cohort knows us
  bool closing_ = false;                                  // a close is pending or under way
  bool finished_ = false;                                 // detached and forgotten
  bool joined_ = false;                                   // a hello succeeded
  asio::steady_timer hello_timer_;                        // closes a silent connection
  room::close_reason close_reason_;                       // what the close frame will say
  std::size_t message_bytes_ = 0;                         // of the message being read
  bool oversize_ = false;                                 // that message is over the limit
  std::uint64_t oversize_req_ = 0;                        // its req, from its first bytes
  rate_bucket bucket_;                                    // this connection's rate limit
};

}  // namespace colead::net
