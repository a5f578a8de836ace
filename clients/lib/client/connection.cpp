#include "client/connection.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <deque>
#include <random>
#include <thread>
#include <variant>

#include "client/server_url.hpp"
#include "detail/transport.hpp"

namespace colead::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

// Large enough for the welcome of a full room with long histories; a client trusts its server
// more than the server trusts its clients, but still bounds what it buffers.
constexpr std::size_t max_message_bytes = 64 * 1024 * 1024;
// How long cleanup waits for a cancelled operation's handler.
constexpr auto cleanup_wait = std::chrono::seconds(1);

std::string random_client_id() {
  std::random_device entropy;
  std::uniform_int_distribution<int> nibble(0, 15);
  std::string id = "cli-";
  for (int i = 0; i < 24; ++i)
    id += "0123456789abcdef"[nibble(entropy)];
  return id;
}

std::string millis(milliseconds d) {
  return std::to_string(d.count()) + " ms";
}

// State shared between a blocking call and the completion handler of its operation, so the
// call can give up on a deadline without the handler touching a dead stack frame.
struct step {
  bool done = false;
  beast::error_code ec;
};

}  // namespace

// One TCP connection and its WebSocket, over plain TCP or over TLS. A read handler keeps its
// link alive, so a dropped link's last handler never touches freed memory.
struct link {
  using plain_ws = websocket::stream<beast::tcp_stream>;
  using tls_ws = websocket::stream<detail::tls_stream>;

  // Plain TCP.
  explicit link(asio::io_context& io) : ws(std::in_place_type<plain_ws>, io) {}
  // TLS with `context`'s trust, which the link keeps alive.
  link(asio::io_context& io, std::shared_ptr<ssl::context> context)
      : tls_context(std::move(context)), ws(std::in_place_type<tls_ws>, io, *tls_context) {}

  // Runs `f` on the WebSocket, whichever transport it has.
  template <class F>
  decltype(auto) visit(F&& f) {
    return std::visit(std::forward<F>(f), ws);
  }
  // The TCP stream under the WebSocket (and TLS).
  beast::tcp_stream& tcp_layer() {
    return visit([](auto& s) -> beast::tcp_stream& { return beast::get_lowest_layer(s); });
  }
  // The TLS stream, or null over plain TCP.
  detail::tls_stream* tls() {
    auto* secure = std::get_if<tls_ws>(&ws);
    return secure ? &secure->next_layer() : nullptr;
  }

  std::shared_ptr<ssl::context> tls_context;  // null over plain TCP; outlives ws
  std::variant<plain_ws, tls_ws> ws;
  beast::flat_buffer buffer;  // the message being read
  bool reading = false;       // an async_read is outstanding
};

struct connection::impl {
  asio::io_context io;
  // Keeps run_one_for waiting for interrupt() even when no socket operation is outstanding.
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::shared_ptr<link> current;     // the open (or last) link
  std::deque<raw_frame> inbound;     // frames read and not yet handed out
  bool open = false;                 // the WebSocket is open
  bool interrupted = false;          // interrupt() was called; only touched on io's thread
  std::optional<close_info> closed;  // the server's close frame
  std::string last_error;            // why the connection ended or a frame did not decode
  handshake_answer answer;           // the last upgrade's answer
  encoding subprotocol = encoding::binary;
  std::uint64_t next_req = 1;  // request numbers handed out by send
  std::string member_id;       // from the last welcome
  std::string client_id = random_client_id();
  std::map<std::string, std::uint64_t> known;  // doc id -> last revision held

  // Remembered for reconnect.
  std::string url;
  std::string room;
  connect_options options;
  std::optional<hello_params> last_hello;

  // Runs handlers on this thread until `done()` or the deadline; an interruptible wait also
  // ends when interrupt() was called. Returns done().
  template <class Done>
  bool run_until(Done done, steady::time_point deadline, bool interruptible) {
    // Take whatever is ready first, so even a zero timeout sees frames already received.
    io.poll();
    while (!done()) {
      if (interruptible && interrupted) {
        interrupted = false;
        return false;
      }
      auto now = steady::now();
      if (now >= deadline) return false;
      io.run_one_for(deadline - now);
    }
    return true;
  }

  void start_read() {
    if (!open || !current || current->reading || inbound.size() >= max_queued_frames) return;
    auto l = current;
    l->reading = true;
    l->visit([this, l](auto& ws) {
      ws.async_read(l->buffer, [this, l, &ws](beast::error_code ec, std::size_t) {
        l->reading = false;
        if (l != current) return;
        if (ec) return on_read_end(ec);
        inbound.push_back({ws.got_binary(), beast::buffers_to_string(l->buffer.data())});
        l->buffer.consume(l->buffer.size());
        start_read();
      });
    });
  }

  void on_read_end(beast::error_code ec) {
    open = false;
    auto reason = current->visit([](auto& ws) { return ws.reason(); });
    if (reason.code != websocket::close_code::none) {
      closed = close_info{static_cast<std::uint16_t>(reason.code),
                          std::string(reason.reason.data(), reason.reason.size())};
      last_error = "the server closed the connection with code " + std::to_string(closed->code) +
                   (closed->reason.empty() ? "" : " (" + closed->reason + ")");
    } else if (ec == asio::error::operation_aborted) {
      last_error = "the connection was dropped";
    } else {
      last_error = "the connection ended without a close frame: " + ec.message();
    }
  }

  // Closes the socket without a close frame and waits for the outstanding read to end.
  void drop_link() {
    if (!current) return;
    auto l = current;
    l->tcp_layer().close();
    run_until([&] { return !l->reading; }, steady::now() + cleanup_wait, false);
    open = false;
    current.reset();
  }

  status write(std::string_view payload, bool binary, milliseconds timeout) {
    if (!open) {
      return status::failed("the connection is not open" +
                            (last_error.empty() ? std::string{} : ": " + last_error));
    }
    auto l = current;
    auto st = std::make_shared<step>();
    auto data = std::make_shared<std::string>(payload);
    l->visit([&](auto& ws) {
      ws.binary(binary);
      ws.async_write(asio::buffer(*data), [st, data](beast::error_code ec, std::size_t) {
        st->done = true;
        st->ec = ec;
      });
    });
    if (!run_until([&] { return st->done; }, steady::now() + timeout, false)) {
      // A write that cannot finish means the server stopped reading; the stream cannot be
      // used after an abandoned write, so the connection goes.
      drop_link();
      last_error =
          "a frame could not be sent within " + millis(timeout) + "; the connection was dropped";
      return status::failed(last_error);
    }
    if (st->ec) return status::failed("could not send a frame: " + st->ec.message());
    return status::ok();
  }

  void note_received(const v1::ServerMessage& message) {
    switch (message.kind_case()) {
      case v1::ServerMessage::kWelcome:
        member_id = message.welcome().member_id();
        known.clear();
        for (const auto& doc : message.welcome().room().docs())
          known[doc.id()] = doc.rev();
        break;
      case v1::ServerMessage::kApplied: {
        auto& rev = known[message.applied().doc()];
        rev = std::max(rev, message.applied().rev());
        break;
      }
      case v1::ServerMessage::kAck:
        if (!message.ack().doc().empty()) {
          auto& rev = known[message.ack().doc()];
          rev = std::max(rev, message.ack().rev());
        }
        break;
      default:
        break;
    }
  }

  // A frame that does not decode never matches; receive() reports it when it reaches it.
  bool decode_quietly(const raw_frame& frame, v1::ServerMessage& out) const {
    protocol::decode_error error;
    return protocol::decode(frame.payload, subprotocol, out, error);
  }

  bool decode(const raw_frame& frame, v1::ServerMessage& out) {
    protocol::decode_error error;
    if (protocol::decode(frame.payload, subprotocol, out, error)) return true;
    last_error = "a frame from the server did not decode: " + error.message;
    return false;
  }
};

connection::connection() : impl_(std::make_unique<impl>()) {}

connection::~connection() {
  if (impl_->open) close();
  impl_->drop_link();
  impl_->work.reset();
}

status connection::connect(std::string_view server_url, std::string_view room_id,
                           encoding subprotocol, milliseconds timeout) {
  connect_options options;
  options.subprotocol = subprotocol;
  options.timeout = timeout;
  return connect(server_url, room_id, options);
}

status connection::connect(std::string_view server_url, std::string_view room_id,
                           const connect_options& options) {
  auto& d = *impl_;
  d.drop_link();
  d.inbound.clear();
  d.closed.reset();
  d.last_error.clear();
  d.answer = {};
  d.url = std::string(server_url);
  d.room = std::string(room_id);
  d.options = options;
  d.subprotocol = options.subprotocol;

  std::string error;
  auto where = parse_server_url(server_url, error);
  if (!where) return status::failed(d.last_error = error);
  std::string offered = options.offered_subprotocol.value_or(
      std::string(protocol::subprotocol_name(options.subprotocol)));
  std::string target = join_path(where->path, "ws/" + std::string(room_id));
  auto deadline = steady::now() + options.timeout;
  auto fail = [&](std::string why) {
    d.drop_link();
    d.last_error = "could not connect to " + std::string(server_url) + target + ": " + why;
    return status::failed(d.last_error);
  };

  std::shared_ptr<link> l;
  if (where->tls) {
    std::string why;
    auto context = detail::make_tls_context(options.ca_file, why);
    if (!context) return fail(why);
    l = std::make_shared<link>(d.io, std::move(context));
    if (!detail::expect_server(*l->tls(), where->host, why)) return fail(why);
  } else {
    l = std::make_shared<link>(d.io);
  }
  d.current = l;

  // Resolve.
  struct resolve_step : step {
    tcp::resolver::results_type endpoints;
  };
  auto resolved = std::make_shared<resolve_step>();
  tcp::resolver resolver{d.io};
  resolver.async_resolve(detail::lookup_name(where->host), where->port,
                         [resolved](beast::error_code ec, tcp::resolver::results_type r) {
                           resolved->done = true;
                           resolved->ec = ec;
                           resolved->endpoints = std::move(r);
                         });
  if (!d.run_until([&] { return resolved->done; }, deadline, false)) {
    resolver.cancel();
    d.run_until([&] { return resolved->done; }, steady::now() + cleanup_wait, false);
    return fail("resolving " + where->host + " took longer than " + millis(options.timeout));
  }
  if (resolved->ec) return fail("cannot resolve " + where->host + ": " + resolved->ec.message());

  // TCP connect, TLS handshake and WebSocket handshake; tcp_stream's deadline closes the
  // socket if any of them outlasts the timeout, so each handler runs.
  auto connected = std::make_shared<step>();
  auto& tcp_layer = l->tcp_layer();
  tcp_layer.expires_at(deadline);
  detail::async_connect_from(tcp_layer, resolved->endpoints, options.local_address,
                             [connected](beast::error_code ec) {
                               connected->done = true;
                               connected->ec = ec;
                             });
  d.run_until([&] { return connected->done; }, deadline + cleanup_wait, false);
  if (!connected->done || connected->ec) {
    auto why = !connected->done || connected->ec == beast::error::timeout
                   ? "no TCP connection within " + millis(options.timeout)
               : options.local_address.empty()
                   ? connected->ec.message()
                   : connected->ec.message() + " (from " + options.local_address + ")";
    return fail(why);
  }

  if (auto* secure = l->tls()) {
    auto secured = std::make_shared<step>();
    secure->async_handshake(ssl::stream_base::client, [secured](beast::error_code ec) {
      secured->done = true;
      secured->ec = ec;
    });
    d.run_until([&] { return secured->done; }, deadline + cleanup_wait, false);
    if (!secured->done || secured->ec == beast::error::timeout) {
      return fail("no TLS handshake within " + millis(options.timeout));
    }
    if (secured->ec) return fail(detail::describe_tls_failure(*secure, secured->ec));
  }

  struct handshake_step : step {
    websocket::response_type response;
  };
  auto shaken = std::make_shared<handshake_step>();
  auto extra = options.headers;
  l->visit([&](auto& ws) {
    websocket::stream_base::timeout timeouts;
    timeouts.handshake_timeout = websocket::stream_base::none();
    timeouts.idle_timeout = websocket::stream_base::none();
    timeouts.keep_alive_pings = false;
    ws.set_option(timeouts);
    ws.read_message_max(max_message_bytes);
    ws.set_option(websocket::stream_base::decorator([offered, extra](websocket::request_type& req) {
      req.set(http::field::user_agent, "colead-client");
      if (!offered.empty()) req.set(http::field::sec_websocket_protocol, offered);
      for (const auto& [name, value] : extra)
        req.set(name, value);
    }));
    ws.async_handshake(shaken->response, where->host_header, target,
                       [shaken](beast::error_code ec) {
                         shaken->done = true;
                         shaken->ec = ec;
                       });
  });
  d.run_until([&] { return shaken->done; }, deadline + cleanup_wait, false);
  tcp_layer.expires_never();
  if (!shaken->done) return fail("no handshake answer within " + millis(options.timeout));
  auto& response = shaken->response;
  d.answer.status = static_cast<int>(response.result_int());
  d.answer.subprotocol = std::string(response[http::field::sec_websocket_protocol]);
  if (shaken->ec) {
    d.answer.body = response.body();
    d.answer.content_type = std::string(response[http::field::content_type]);
    if (shaken->ec == websocket::error::upgrade_declined) {
      return fail("the server refused the upgrade with HTTP " + std::to_string(d.answer.status) +
                  (d.answer.body.empty() ? std::string{} : ": " + d.answer.body));
    }
    if (shaken->ec == beast::error::timeout) {
      return fail("no handshake answer within " + millis(options.timeout));
    }
    return fail("the handshake failed: " + shaken->ec.message());
  }
  if (d.answer.subprotocol != offered) {
    return fail("the server chose subprotocol '" + d.answer.subprotocol + "' instead of '" +
                offered + "'");
  }

  d.open = true;
  d.start_read();
  return status::ok();
}

const handshake_answer& connection::handshake() const {
  return impl_->answer;
}

encoding connection::subprotocol() const {
  return impl_->subprotocol;
}

status connection::send(v1::ClientMessage& message, milliseconds timeout) {
  if (message.req() == 0) message.set_req(impl_->next_req++);
  bool binary = impl_->subprotocol == encoding::binary;
  return impl_->write(protocol::encode(message, impl_->subprotocol), binary, timeout);
}

status connection::send_raw_text(std::string_view payload, milliseconds timeout) {
  return impl_->write(payload, false, timeout);
}

status connection::send_raw_binary(std::string_view payload, milliseconds timeout) {
  return impl_->write(payload, true, timeout);
}

std::optional<v1::ServerMessage> connection::request(v1::ClientMessage& message,
                                                     const request_policy& policy) {
  auto backoff = policy.first_backoff;
  const int sends = std::max(policy.max_sends, 1);
  std::optional<v1::ServerMessage> answer;
  for (int attempt = 1; attempt <= sends; ++attempt) {
    if (attempt > 1) {
      // The server dropped the message for coming too fast: wait, then send the same one.
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, policy.max_backoff);
    }
    if (!send(message, policy.answer_timeout).is_ok()) return std::nullopt;
    const auto req = message.req();
    answer = receive_matching([req](const v1::ServerMessage& m) { return m.re() == req; },
                              policy.answer_timeout);
    if (!answer) return std::nullopt;
    if (!answer->has_error() || answer->error().code() != v1::Error::RATE_LIMITED) break;
  }
  return answer;
}

join_result connection::hello(const hello_params& params, milliseconds timeout) {
  auto& d = *impl_;
  join_result result;
  d.last_hello = params;
  if (d.last_hello->client_id.empty()) d.last_hello->client_id = d.client_id;

  v1::ClientMessage message;
  auto* hello = message.mutable_hello();
  hello->set_token(params.token);
  hello->set_name(params.name);
  hello->set_role(params.role);
  hello->set_client_id(d.last_hello->client_id);
  for (const auto& [doc, rev] : d.known)
    (*hello->mutable_known_revisions())[doc] = rev;
  auto deadline = steady::now() + timeout;
  result.outcome = send(message, timeout);
  if (!result.outcome.is_ok()) return result;

  auto req = message.req();
  auto left = std::chrono::duration_cast<milliseconds>(deadline - steady::now());
  auto answer = receive_matching(
      [req](const v1::ServerMessage& m) {
        return m.has_welcome() || (m.has_error() && (m.re() == req || m.error().fatal()));
      },
      std::max(left, milliseconds(0)));
  if (!answer) {
    result.outcome = status::failed("no welcome within " + millis(timeout) +
                                    (d.open ? std::string{} : ": " + d.last_error));
    return result;
  }
  result.answer = std::move(answer);
  if (const auto* refusal = result.error()) {
    result.outcome =
        status::failed("the server refused hello: " + v1::Error::Code_Name(refusal->code()) + ": " +
                       refusal->message());
  }
  return result;
}

join_result connection::reconnect(const reconnect_policy& policy) {
  auto& d = *impl_;
  join_result result;
  if (!d.last_hello) {
    result.outcome = status::failed("reconnect needs an earlier hello on this connection");
    return result;
  }
  auto backoff = policy.first_backoff;
  int attempts = std::max(policy.max_attempts, 1);
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    if (attempt > 1) {
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, policy.max_backoff);
    }
    auto options = d.options;
    options.timeout = policy.attempt_timeout;
    auto url = d.url;
    auto room = d.room;
    auto connected = connect(url, room, options);
    if (!connected.is_ok()) {
      result.outcome = connected;
      continue;
    }
    auto params = *d.last_hello;
    result = hello(params, policy.attempt_timeout);
    if (result.outcome.is_ok() || (result.error() && result.error()->fatal())) return result;
  }
  result.outcome = status::failed("gave up after " + std::to_string(attempts) +
                                  " attempts: " + result.outcome.message());
  return result;
}

std::optional<raw_frame> connection::receive_raw(milliseconds timeout) {
  auto& d = *impl_;
  d.run_until([&] { return !d.inbound.empty() || !d.open; }, steady::now() + timeout, true);
  if (d.inbound.empty()) return std::nullopt;
  raw_frame frame = std::move(d.inbound.front());
  d.inbound.pop_front();
  d.start_read();
  return frame;
}

std::optional<v1::ServerMessage> connection::receive(milliseconds timeout) {
  auto frame = receive_raw(timeout);
  if (!frame) return std::nullopt;
  v1::ServerMessage message;
  if (!impl_->decode(*frame, message)) return std::nullopt;
  impl_->note_received(message);
  return message;
}

std::optional<v1::ServerMessage> connection::receive_matching(
    const std::function<bool(const v1::ServerMessage&)>& wanted, milliseconds timeout) {
  auto& d = *impl_;
  auto deadline = steady::now() + timeout;
  std::size_t scanned = 0;
  for (;;) {
    for (; scanned < d.inbound.size(); ++scanned) {
      v1::ServerMessage message;
      if (!d.decode_quietly(d.inbound[scanned], message)) continue;
      if (!wanted(message)) continue;
      d.inbound.erase(d.inbound.begin() + static_cast<std::ptrdiff_t>(scanned));
      d.start_read();
      d.note_received(message);
      return message;
    }
    if (!d.open) return std::nullopt;
    if (!d.run_until([&] { return d.inbound.size() > scanned || !d.open; }, deadline, true)) {
      return std::nullopt;
    }
  }
}

std::optional<close_info> connection::wait_closed(milliseconds timeout) {
  auto& d = *impl_;
  d.run_until([&] { return !d.open; }, steady::now() + timeout, true);
  return d.closed;
}

void connection::interrupt() {
  auto* d = impl_.get();
  asio::post(d->io, [d] { d->interrupted = true; });
}

bool connection::is_open() const {
  return impl_->open;
}

std::optional<close_info> connection::close_reason() const {
  return impl_->closed;
}

const std::string& connection::last_error() const {
  return impl_->last_error;
}

std::size_t connection::queued() const {
  return impl_->inbound.size();
}

const std::string& connection::member_id() const {
  return impl_->member_id;
}

const std::string& connection::client_id() const {
  return impl_->client_id;
}

const std::map<std::string, std::uint64_t>& connection::known_revisions() const {
  return impl_->known;
}

void connection::close(milliseconds timeout) {
  auto& d = *impl_;
  if (!d.current) return;
  if (d.open) {
    auto l = d.current;
    auto st = std::make_shared<step>();
    l->visit([&](auto& ws) {
      ws.async_close(websocket::close_code::normal, [st](beast::error_code ec) {
        st->done = true;
        st->ec = ec;
      });
    });
    // The outstanding read takes the server's close frame and ends; then the close finishes.
    d.run_until([&] { return st->done && !l->reading; }, steady::now() + timeout, false);
  }
  d.drop_link();
  d.last_error = "the client closed the connection";
}

void connection::drop() {
  impl_->drop_link();
  impl_->last_error = "the client dropped the connection";
}

}  // namespace colead::client
