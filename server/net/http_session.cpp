#include "net/http_session.hpp"

#include <array>

#include <spdlog/spdlog.h>

#include "codec.hpp"
#include "net/cohort_session.hpp"
#include "net/http_routes.hpp"
#include "net/websocket_session.hpp"
#include "room/tokens.hpp"

namespace colead::net {

namespace {

// The subprotocol a handshake offers that we speak, preferring the client's order.
std::optional<protocol::encoding> pick_subprotocol(std::string_view offered) {
  while (!offered.empty()) {
    auto comma = offered.find(',');
    auto item = offered.substr(0, comma);
    while (!item.empty() && item.front() == ' ')
      item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ')
      item.remove_suffix(1);
    if (item == protocol::binary_subprotocol) return protocol::encoding::binary;
    if (item == protocol::json_subprotocol) return protocol::encoding::json;
    if (comma == std::string_view::npos) break;
    offered.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

// Where a redirected request goes: the public URL when set, else the same host on HTTPS.
std::string https_location(const request& req, const server_options& options) {
  std::string target(req.target());
  if (target.empty() || target.front() != '/') target = "/";
  if (!options.public_url.empty() && options.public_url.rfind("https://", 0) == 0) {
    return options.public_url + target;
  }
  std::string host(req[http::field::host]);
  if (auto colon = host.rfind(':');
      colon != std::string::npos && host.find(']', colon) == std::string::npos) {
    host.resize(colon);
  }
  return "https://" + (host.empty() ? std::string("localhost") : host) + target;
}

}  // namespace

template <class Stream>
http_session<Stream>::http_session(Stream&& stream, std::shared_ptr<server_state> state,
                                   connection_info info, std::shared_ptr<void> tls_context,
                                   bool redirect_only, address_lease lease)
    : stream_(std::move(stream)),
      state_(std::move(state)),
      info_(std::move(info)),
      tls_context_(std::move(tls_context)),
      redirect_only_(redirect_only),
      lease_(std::move(lease)),
      deadline_(std::chrono::steady_clock::now() + state_->options.handshake_timeout) {
  state_->stats.tcp_connections.fetch_add(1, std::memory_order_relaxed);
}

template <class Stream>
http_session<Stream>::~http_session() {
  if (counted_) state_->stats.tcp_connections.fetch_sub(1, std::memory_order_relaxed);
}

template <class Stream>
void http_session<Stream>::run() {
  auto self = this->shared_from_this();
  asio::dispatch(stream_.get_executor(), [self] {
    if constexpr (std::is_same_v<Stream, tls_stream>) {
      beast::get_lowest_layer(self->stream_).expires_at(self->deadline_);
      self->stream_.async_handshake(asio::ssl::stream_base::server,
                                    beast::bind_front_handler(&http_session::on_handshake, self));
    } else {
      self->do_read();
    }
  });
}

template <class Stream>
void http_session<Stream>::on_handshake(beast::error_code ec) {
  // A failed TLS handshake (a scanner, plain HTTP on the HTTPS port, an old client) is the
  // client's business; it costs one debug line.
  if (ec) return spdlog::debug("{}TLS handshake: {}", log_tag(info_), ec.message());
  do_read();
}

template <class Stream>
void http_session<Stream>::do_read() {
  parser_.emplace();
  parser_->body_limit(state_->options.max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(state_->options.max_header_bytes));
  // The first request must arrive within the handshake deadline counted from accept (TLS
  // included), so a connection that trickles bytes or says nothing is closed; each later
  // request on a kept-alive connection gets the same time from the end of the previous answer.
  if (!first_request_)
    deadline_ = std::chrono::steady_clock::now() + state_->options.handshake_timeout;
  first_request_ = false;
  beast::get_lowest_layer(stream_).expires_at(deadline_);
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&http_session::on_read, this->shared_from_this()));
}

template <class Stream>
void http_session<Stream>::on_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return do_shutdown();
  if (ec == http::error::body_limit) {
    http::request<http::string_body> head;
    head.version(11);
    auto res = error_response(head, http::status::payload_too_large, v1::Error::TOO_LARGE,
                              "the request body is larger than " +
                                  std::to_string(state_->options.max_body_bytes) + " bytes");
    res.keep_alive(false);
    return send(std::move(res));
  }
  if (ec == http::error::header_limit) {
    // The request line alone did not fit: the URL is too long (414); else the headers (431).
    auto data = buffer_.data();
    std::string_view head(static_cast<const char*>(data.data()), data.size());
    const bool long_url = head.find("\r\n") == std::string_view::npos;
    http::request<http::string_body> res_head;
    res_head.version(11);
    auto limit = std::to_string(state_->options.max_header_bytes);
    auto res = long_url
                   ? error_response(res_head, http::status::uri_too_long, v1::Error::BAD_REQUEST,
                                    "the URL is longer than this server accepts (" + limit +
                                        " bytes with the request line)")
                   : error_response(res_head, http::status::request_header_fields_too_large,
                                    v1::Error::BAD_REQUEST,
                                    "the request headers are larger than " + limit + " bytes");
    res.keep_alive(false);
    buffer_.consume(buffer_.size());
    return send(std::move(res));
  }
  if (ec) {
    if (ec != beast::error::timeout && ec != asio::error::operation_aborted &&
        ec != asio::error::connection_reset) {
      spdlog::debug("{}http read: {}", log_tag(info_), ec.message());
    }
    return;
  }
  auto req = parser_->release();
  // Behind a trusted proxy, the client is who the proxy says it heard from.
  const auto& options = state_->options;
  info_.client = client_address(info_.peer, req["X-Forwarded-For"], options.trusted_proxies);
  if (!std::is_same_v<Stream, tls_stream> && is_trusted(info_.peer, options.trusted_proxies)) {
    info_.secure = req["X-Forwarded-Proto"] == "https";
  }
  if (!host_allowed(req, options, local_address_)) {
    state_->refused_log.count("Host " + std::string(req[http::field::host]).substr(0, 100) +
                              " is not one this server answers to");
    auto res = text_response(req, http::status::misdirected_request,
                             "this server does not answer to that host name\n");
    return send(std::move(res));
  }
  if (!admit_client(req)) return;
  if (redirect_only_) {
    response res{http::status::permanent_redirect, req.version()};
    res.set(http::field::server, "colead");
    res.set(http::field::location, https_location(req, options));
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = "Colead is served over HTTPS.\n";
    res.keep_alive(false);
    res.prepare_payload();
    return send(std::move(res));
  }
  if (websocket::is_upgrade(req)) return upgrade(std::move(req));
  if (state_->stopping.load()) {
    auto res = error_response(req, http::status::service_unavailable, v1::Error::INTERNAL,
                              "the server is shutting down");
    res.keep_alive(false);
    return send(std::move(res));
  }
  // The handler may answer later from another thread (a room's strand, the store's
  // writer); the answer comes back to this session's strand to be written.
  handle_http(std::move(req), state_, info_,
              [self = this->shared_from_this()](http::response<http::string_body> res) {
                asio::post(self->stream_.get_executor(),
                           [self, res = std::move(res)]() mutable { self->send(std::move(res)); });
              });
}

template <class Stream>
bool http_session<Stream>::admit_client(const request& req) {
  // Connections from anyone but a trusted proxy were counted at accept by their own address.
  if (!is_trusted(info_.peer, state_->options.trusted_proxies)) return true;
  if (lease_.held() && lease_.address() == info_.client) return true;
  lease_.reset();
  auto decision = state_->addresses.admit(info_.client);
  if (decision.admitted()) {
    lease_ = address_lease(state_->addresses, info_.client);
    return true;
  }
  state_->refused_log.count(info_.client + " (through a proxy) is over its limits");
  auto res =
      text_response(req, http::status::too_many_requests, state_->addresses.explain(decision));
  res.set(http::field::retry_after, std::to_string(decision.retry_after.count()));
  send(std::move(res));
  return false;
}

template <class Stream>
void http_session<Stream>::upgrade(http::request<http::string_body> req) {
  std::string_view target(req.target().data(), req.target().size());
  auto path = target.substr(0, target.find('?'));
  constexpr std::string_view prefix = "/ws/";
  if (path.substr(0, prefix.size()) != prefix) {
    return send(
        text_response(req, http::status::not_found, "WebSockets are served at /ws/<room id>\n"));
  }
  constexpr std::string_view cohort_prefix = "/ws/cohort/";
  if (path.substr(0, cohort_prefix.size()) == cohort_prefix) {
    return upgrade_cohort(std::move(req), std::string(path.substr(cohort_prefix.size())));
  }
  auto room_id = std::string(path.substr(prefix.size()));
  if (!room::is_valid_id(room_id)) {
    return send(text_response(req, http::status::not_found, "this is not a room address\n"));
  }
  auto encoding = pick_subprotocol(req[http::field::sec_websocket_protocol]);
  if (!encoding) {
    return send(text_response(req, http::status::bad_request,
                              "offer the WebSocket subprotocol colead.v1.proto (binary) or "
                              "colead.v1.json (text)\n"));
  }
  if (!origin_allowed(req, state_->options)) {
    spdlog::info("{}WebSocket refused: Origin {} is not this server's", log_tag(info_),
                 std::string(req[http::field::origin]).substr(0, 200));
    return send(text_response(req, http::status::forbidden,
                              "this page's origin may not open a Colead room here\n"));
  }
  beast::get_lowest_layer(stream_).expires_never();
  // The WebSocket session counts itself; this connection leaves the HTTP gauge.
  counted_ = false;
  state_->stats.tcp_connections.fetch_sub(1, std::memory_order_relaxed);
  std::string load_error;
  auto host = state_->rooms.find(room_id, &load_error);
  if (!host && !load_error.empty()) {
    return send(text_response(req, http::status::service_unavailable,
                              "this room cannot be opened right now; try again later\n"));
  }
  spdlog::info("{}WebSocket to room {} ({})", log_tag(info_), room_id,
               protocol::subprotocol_name(*encoding));
  std::make_shared<websocket_session_of<Stream>>(std::move(stream_), state_, std::move(host),
                                                 *encoding, info_, tls_context_, std::move(lease_))
      ->run(std::move(req));
}

template <class Stream>
void http_session<Stream>::upgrade_cohort(http::request<http::string_body> req,
                                          std::string cohort_id) {
  if (!room::is_valid_id(cohort_id)) {
    return send(text_response(req, http::status::not_found, "this is not a cohort address\n"));
  }
  auto encoding = pick_subprotocol(req[http::field::sec_websocket_protocol]);
  if (!encoding) {
    return send(text_response(req, http::status::bad_request,
                              "offer the WebSocket subprotocol colead.v1.proto (binary) or "
                              "colead.v1.json (text)\n"));
  }
  if (!origin_allowed(req, state_->options)) {
    spdlog::info("{}WebSocket refused: Origin {} is not this server's", log_tag(info_),
                 std::string(req[http::field::origin]).substr(0, 200));
    return send(text_response(req, http::status::forbidden,
                              "this page's origin may not open a Colead cohort here\n"));
  }
  if (state_->cohorts == nullptr) {
    return send(text_response(req, http::status::not_found, "this server has no cohorts\n"));
  }
  beast::get_lowest_layer(stream_).expires_never();
  counted_ = false;
  state_->stats.tcp_connections.fetch_sub(1, std::memory_order_relaxed);
  std::string load_error;
  auto host = state_->cohorts->find(cohort_id, &load_error);
  if (!host && !load_error.empty()) {
    return send(text_response(req, http::status::service_unavailable,
                              "this cohort cannot be opened right now; try again later\n"));
  }
  spdlog::info("{}WebSocket to cohort {} ({})", log_tag(info_), cohort_id,
               protocol::subprotocol_name(*encoding));
  std::make_shared<cohort_session<Stream>>(std::move(stream_), state_, std::move(host), *encoding,
                                           info_, tls_context_, std::move(lease_))
      ->run(std::move(req));
}

template <class Stream>
void http_session<Stream>::send(http::response<http::string_body> res) {
  if constexpr (std::is_same_v<Stream, tls_stream>) {
    if (state_->options.hsts_seconds > 0) {
      res.set(http::field::strict_transport_security,
              "max-age=" + std::to_string(state_->options.hsts_seconds));
    }
  }
  bool close = res.need_eof();
  response_ = std::make_shared<http::response<http::string_body>>(std::move(res));
  http::async_write(
      stream_, *response_,
      beast::bind_front_handler(&http_session::on_write, this->shared_from_this(), close));
}

template <class Stream>
void http_session<Stream>::on_write(bool close, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return;
  if (close || state_->stopping.load()) return do_shutdown();
  do_read();
}

template <class Stream>
void http_session<Stream>::do_shutdown() {
  if constexpr (std::is_same_v<Stream, tls_stream>) {
    // The TLS close_notify, bounded: a peer that never answers it is simply dropped.
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
  } else {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    linger();
  }
}

template <class Stream>
void http_session<Stream>::linger() {
  // Read what the client still sends until it closes (at most 2 s): closing a socket with
  // unread bytes makes the kernel send a reset, which can destroy the answer just written
  // (a 413, 414 or 431) before the client reads it.
  beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
  buffer_.consume(buffer_.size());
  stream_.async_read_some(buffer_.prepare(4096),
                          [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                            if (!ec) self->linger();
                          });
}

template class http_session<plain_stream>;
template class http_session<tls_stream>;

void start_http_session(tcp::socket&& socket, const std::shared_ptr<server_state>& state,
                        bool redirect_only, address_lease lease) {
  connection_info info;
  info.id = state->next_connection.fetch_add(1, std::memory_order_relaxed);
  beast::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  info.peer = ec ? std::string("unknown") : peer.address().to_string();
  info.client = info.peer;
  auto local = socket.local_endpoint(ec);
  std::string local_address = ec ? std::string() : local.address().to_string();
  if (state->tls && !redirect_only) {
    info.secure = true;
    auto context = state->tls->current();
    auto session = std::make_shared<http_session<tls_stream>>(
        tls_stream(std::move(socket), *context), state, std::move(info), context, false,
        std::move(lease));
    session->set_local_address(std::move(local_address));
    session->run();
  } else {
    auto session = std::make_shared<http_session<plain_stream>>(plain_stream(std::move(socket)),
                                                                state, std::move(info), nullptr,
                                                                redirect_only, std::move(lease));
    session->set_local_address(std::move(local_address));
    session->run();
  }
}

namespace {

// A refused connection being answered: writes the answer, stops sending, reads what the
// client still sends until it closes or 2 s pass, and goes.
class refusal : public std::enable_shared_from_this<refusal> {
 public:
  refusal(tcp::socket&& socket, std::shared_ptr<server_state> state, std::string bytes)
      : stream_(std::move(socket)), state_(std::move(state)), bytes_(std::move(bytes)) {}
  ~refusal() { state_->refusals_in_flight.fetch_sub(1, std::memory_order_relaxed); }

  void run() {
    stream_.expires_after(std::chrono::seconds(2));
    asio::async_write(stream_, asio::buffer(bytes_),
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec) return;
                        beast::error_code ignored;
                        self->stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
                        self->drain();
                      });
  }

 private:
  void drain() {
    stream_.async_read_some(asio::buffer(sink_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (!ec) self->drain();
                            });
  }

  beast::tcp_stream stream_;
  std::shared_ptr<server_state> state_;
  std::string bytes_;
  std::array<char, 2048> sink_{};
};

// Refusals answered at once; more are closed without an answer. Each holds a descriptor for
// up to 2 s, inside the headroom kept below the descriptor limit.
constexpr int max_refusals_in_flight = 8;

}  // namespace

void refuse_connection(tcp::socket&& socket, const std::shared_ptr<server_state>& state,
                       http::status status, std::chrono::seconds retry_after, std::string text,
                       bool tls) {
  // Over TLS an answer would first need a handshake, which is what we cannot afford now.
  const bool answer = !tls && state->refusals_in_flight.fetch_add(1, std::memory_order_relaxed) <
                                  max_refusals_in_flight;
  if (!answer) {
    if (!tls) state->refusals_in_flight.fetch_sub(1, std::memory_order_relaxed);
    beast::error_code ignored;
    socket.close(ignored);
    return;
  }
  std::string bytes = "HTTP/1.1 " + std::to_string(static_cast<unsigned>(status)) + " " +
                      std::string(http::obsolete_reason(status)) +
                      "\r\nServer: colead\r\nContent-Type: text/plain; charset=utf-8\r\n"
                      "Retry-After: " +
                      std::to_string(retry_after.count()) +
                      "\r\nConnection: close\r\nContent-Length: " + std::to_string(text.size()) +
                      "\r\n\r\n" + text;
  std::make_shared<refusal>(std::move(socket), state, std::move(bytes))->run();
}

}  // namespace colead::net
