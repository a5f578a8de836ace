#include "net/http_session.hpp"

#include <spdlog/spdlog.h>

#include "net/http_routes.hpp"
#include "net/websocket_session.hpp"
#include "room/tokens.hpp"

namespace colead::net {

namespace {

constexpr auto handshake_timeout = std::chrono::seconds(10);
constexpr auto request_timeout = std::chrono::seconds(30);

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
                                   bool redirect_only)
    : stream_(std::move(stream)),
      state_(std::move(state)),
      info_(std::move(info)),
      tls_context_(std::move(tls_context)),
      redirect_only_(redirect_only) {
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
      beast::get_lowest_layer(self->stream_).expires_after(handshake_timeout);
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
  parser_->header_limit(16 * 1024);
  beast::get_lowest_layer(stream_).expires_after(request_timeout);
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
void http_session<Stream>::upgrade(http::request<http::string_body> req) {
  std::string_view target(req.target().data(), req.target().size());
  auto path = target.substr(0, target.find('?'));
  constexpr std::string_view prefix = "/ws/";
  if (path.substr(0, prefix.size()) != prefix) {
    return send(
        text_response(req, http::status::not_found, "WebSockets are served at /ws/<room id>\n"));
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
                                                 *encoding, info_, tls_context_)
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
  }
}

template class http_session<plain_stream>;
template class http_session<tls_stream>;

void start_http_session(tcp::socket&& socket, const std::shared_ptr<server_state>& state,
                        bool redirect_only) {
  connection_info info;
  info.id = state->next_connection.fetch_add(1, std::memory_order_relaxed);
  beast::error_code ec;
  auto peer = socket.remote_endpoint(ec);
  info.peer = ec ? std::string("unknown") : peer.address().to_string();
  info.client = info.peer;
  if (state->tls && !redirect_only) {
    info.secure = true;
    auto context = state->tls->current();
    std::make_shared<http_session<tls_stream>>(tls_stream(std::move(socket), *context), state,
                                               std::move(info), context)
        ->run();
  } else {
    std::make_shared<http_session<plain_stream>>(plain_stream(std::move(socket)), state,
                                                 std::move(info), nullptr, redirect_only)
        ->run();
  }
}

}  // namespace colead::net
