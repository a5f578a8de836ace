// One WebSocket connection to a Colead room, driven synchronously with bounded waits, over
// plain TCP (http://, ws://) or TLS (https://, wss://).
//
// A connection speaks either subprotocol (`colead.v1.proto` binary frames by default, or
// `colead.v1.json` text frames), joins a room with `hello`, sends ClientMessages and receives
// ServerMessages. It also exposes raw frames and the server's close code and reason, which the
// integration tests use to send garbage and watch the server close.
//
// Design: each connection owns one I/O context that runs only inside its member functions,
// on the calling thread. A read is kept outstanding whenever the connection is open, so
// frames (and the server's pings and close frame) are taken off the socket whenever any call
// runs the context, and queue in arrival order until `receive*` hands them out. The queue is
// bounded (`max_queued_frames`); while it is full no further frame is read, so the server's
// own outbound limit applies to a client that never receives.
//
// Thread-safety: a connection is used by one thread at a time (it may move between threads
// between calls). The one exception is `interrupt()`, which any thread may call at any time to
// make a waiting `receive*` return early. Distinct connections are independent.
//
// Known revisions: every message handed out by `receive`/`receive_matching` (welcome,
// applied, ack of an edit) updates the revision the client holds of each document, and
// `reconnect` sends them in its hello so the server replays what was missed. Raw frames do
// not count: a test reading raw frames holds nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "client/http_request.hpp"
#include "client/status.hpp"
#include "codec.hpp"

namespace colead::client {

namespace v1 = colead::v1;
using encoding = colead::protocol::encoding;
using std::chrono::milliseconds;

// One WebSocket message as it arrived.
struct raw_frame {
  bool binary = false;  // binary frame (else text)
  std::string payload;  // the whole message
};

// The close frame the server sent: its code (1000 normal, 1001 going away, 1008 policy,
// 1009 too big, ...) and reason text.
struct close_info {
  std::uint16_t code = 0;
  std::string reason;
};

// How to open a connection.
struct connect_options {
  // The subprotocol to offer and speak.
  encoding subprotocol = encoding::binary;
  // When set, offered instead of the encoding's name (an empty string offers none); used to
  // check that the server refuses a handshake it cannot speak.
  std::optional<std::string> offered_subprotocol;
  // Extra handshake header fields, e.g. {"Origin", "http://example.org"}. A non-browser
  // client sends no Origin unless given one here.
  header_list headers;
  // Bound on resolve + TCP connect + TLS handshake + WebSocket handshake.
  milliseconds timeout{5000};
  // Over TLS: a PEM file of certificate authorities to trust instead of the system's store.
  // The certificate must also be valid for the URL's host name or address; there is no switch
  // to skip either check.
  std::string ca_file;
  // When set, the connection starts from this local IP address (e.g. "127.0.0.5", to be seen
  // by the server as another machine on loopback).
  std::string local_address;
};

// What the HTTP upgrade answered: 101 on success, or the refusal's status and body.
struct handshake_answer {
  int status = 0;            // 0 when no HTTP response arrived at all
  std::string body;          // the refusal's body (empty on success)
  std::string content_type;  // the refusal's Content-Type
  std::string subprotocol;   // the Sec-WebSocket-Protocol the server chose
};

// Who joins with `hello`.
struct hello_params {
  std::string token;      // the seat's invite token
  std::string name;       // display name
  std::string role;       // context role (optional)
  std::string client_id;  // device id; empty to use the connection's own (stable per object)
};

// What a hello came to.
struct join_result {
  status outcome;                           // ok once a welcome arrived
  std::optional<v1::ServerMessage> answer;  // the welcome or the refusing error, as received

  // The welcome (an empty one when there is none).
  const v1::Welcome& welcome() const {
    return answer ? answer->welcome() : v1::Welcome::default_instance();
  }
  // The server's refusal, or null when it sent none.
  const v1::Error* error() const {
    return answer && answer->has_error() ? &answer->error() : nullptr;
  }
};

// How `reconnect` retries.
struct reconnect_policy {
  int max_attempts = 5;                // attempts before giving up (at least 1)
  milliseconds first_backoff{100};     // wait before the second attempt
  milliseconds max_backoff{2000};      // the wait doubles up to this
  milliseconds attempt_timeout{5000};  // bound on connect + hello, per attempt
};

// How `request` waits and sends again when the server answers RATE_LIMITED.
struct request_policy {
  int max_sends = 8;                  // sends of the same message before giving up (at least 1)
  milliseconds first_backoff{250};    // wait before the first resend
  milliseconds max_backoff{4000};     // the wait doubles up to this
  milliseconds answer_timeout{5000};  // bound on waiting for each answer
};

class connection {
 public:
  // The most frames queued before the connection stops reading.
  static constexpr std::size_t max_queued_frames = 10000;

  connection();
  // Closes gracefully within a second if still open.
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Opens a WebSocket to `<server_url>/ws/<room_id>` (server_url: http://host:port or
  // ws://host:port, https:// or wss:// for TLS, optionally with a base path). Fails with a
  // message when the server cannot be reached, its certificate is not trusted, it refuses the
  // upgrade (see `handshake()`), picks another subprotocol than the one offered, or
  // `options.timeout` passes. A connection already open is dropped first.
  status connect(std::string_view server_url, std::string_view room_id,
                 const connect_options& options = {});
  // The same with only the subprotocol and the timeout chosen.
  status connect(std::string_view server_url, std::string_view room_id, encoding subprotocol,
                 milliseconds timeout = milliseconds(5000));

  // The HTTP answer to the last upgrade attempt.
  const handshake_answer& handshake() const;
  // The subprotocol spoken on this connection.
  encoding subprotocol() const;

  // Sends `message` in the connection's subprotocol. Assigns `message.req` the next request
  // number when it is 0 (so the caller can match the answer by `re`). Fails when the
  // connection is not open or the write does not finish within `timeout` (which drops it).
  status send(v1::ClientMessage& message, milliseconds timeout = milliseconds(5000));
  // Sends one text or binary frame with these exact bytes.
  status send_raw_text(std::string_view payload, milliseconds timeout = milliseconds(5000));
  status send_raw_binary(std::string_view payload, milliseconds timeout = milliseconds(5000));

  // Sends `message` (assigning its req like `send`) and waits for its answer: the first
  // message whose `re` is its req. An error RATE_LIMITED is not the end: the same message,
  // same req, goes again after a wait that doubles from policy.first_backoff, up to
  // policy.max_sends sends, and the last answer is returned. Nothing when no answer arrives
  // within policy.answer_timeout or the connection ends (see `last_error()`).
  std::optional<v1::ServerMessage> request(v1::ClientMessage& message,
                                           const request_policy& policy = {});

  // Sends hello and waits up to `timeout` for the welcome. Messages that arrive meanwhile
  // and are not the answer stay queued for `receive`. Remembers `params` for `reconnect`.
  join_result hello(const hello_params& params, milliseconds timeout = milliseconds(5000));

  // Drops the connection if open, then connects again to the same room with the same options
  // and says hello with the same token, name, role and client id, and the known revisions.
  // Retries up to policy.max_attempts times with doubling backoff; stops early when the
  // server refuses with a fatal error (a retry cannot help). Needs an earlier `hello`.
  join_result reconnect(const reconnect_policy& policy = {});

  // The next message, decoded in the connection's subprotocol, waiting up to `timeout`.
  // Returns nothing on timeout, on `interrupt()`, or when the connection has closed and
  // nothing is queued. A frame that does not decode is dropped and reported through
  // `last_error()`; receive then returns nothing.
  std::optional<v1::ServerMessage> receive(milliseconds timeout);
  // The first queued or arriving message for which `wanted` is true, waiting up to
  // `timeout`; messages that do not match stay queued, in order, for later calls.
  std::optional<v1::ServerMessage> receive_matching(
      const std::function<bool(const v1::ServerMessage&)>& wanted, milliseconds timeout);
  // The next frame as it arrived, waiting up to `timeout`.
  std::optional<raw_frame> receive_raw(milliseconds timeout);

  // Waits up to `timeout` for the server to close the connection (queued frames are kept);
  // returns the close frame's code and reason if the server sent one.
  std::optional<close_info> wait_closed(milliseconds timeout);

  // Makes a `receive*` or `wait_closed` that is waiting, or the next one to start, return
  // early with nothing. Safe to call from any thread.
  void interrupt();

  // True while the WebSocket is open (the server has not closed it, nor has `close`/`drop`).
  bool is_open() const;
  // The close frame the server sent, once it closed the connection with one.
  std::optional<close_info> close_reason() const;
  // Why the connection last failed or ended, or why the last frame did not decode.
  const std::string& last_error() const;
  // Frames received and not yet handed out.
  std::size_t queued() const;

  // The member id the last welcome gave, or "" before one.
  const std::string& member_id() const;
  // The client id sent in hello (stable for the life of this object).
  const std::string& client_id() const;
  // The last revision held of each document, as `reconnect` will send it.
  const std::map<std::string, std::uint64_t>& known_revisions() const;

  // Closes with a close frame (code 1000) and waits up to `timeout` for the server's answer.
  void close(milliseconds timeout = milliseconds(1000));
  // Drops the TCP connection without a close frame, as a lost network would.
  void drop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace colead::client
