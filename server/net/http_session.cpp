#include "net/http_session.hpp"

#include <spdlog/spdlog.h>

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

// Browsers send Origin with every WebSocket handshake and apply no CORS to it, so this check
// is the only thing stopping another site's page from joining a room in a member's name.
// Programs that send no Origin (the CLI, tests) are allowed.
bool origin_allowed(const http::request<http::string_body>& req, const server_options& options) {
  auto origin_field = req[http::field::origin];
  if (origin_field.empty()) return true;
  std::string origin(origin_field);
  std::string host(req[http::field::host]);
  if (!host.empty() && (origin == "http://" + host || origin == "https://" + host)) return true;
  for (const auto& allowed : options.allowed_origins)
    if (origin == allowed) return true;
  return false;
}

}  // namespace

http_session::http_session(tcp::socket&& socket, std::shared_ptr<server_state> state)
    : stream_(std::move(socket)), state_(std::move(state)) {
  state_->stats.tcp_connections.fetch_add(1, std::memory_order_relaxed);
}

http_session::~http_session() {
  if (counted_) state_->stats.tcp_connections.fetch_sub(1, std::memory_order_relaxed);
}

void http_session::run() {
  asio::dispatch(stream_.get_executor(),
                 beast::bind_front_handler(&http_session::do_read, shared_from_this()));
}

void http_session::do_read() {
  parser_.emplace();
  parser_->body_limit(state_->options.max_body_bytes);
  parser_->header_limit(16 * 1024);
  stream_.expires_after(std::chrono::seconds(30));
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t) {
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
      spdlog::debug("http read: {}", ec.message());
    }
    return;
  }
  auto req = parser_->release();
  if (websocket::is_upgrade(req)) return upgrade(std::move(req));
  if (state_->stopping.load()) {
    auto res = error_response(req, http::status::service_unavailable, v1::Error::INTERNAL,
                              "the server is shutting down");
    res.keep_alive(false);
    return send(std::move(res));
  }
  // The handler may answer later from another thread (a room's strand, the store's
  // writer); the answer comes back to this session's strand to be written.
  handle_http(std::move(req), state_,
              [self = shared_from_this()](http::response<http::string_body> res) {
                asio::post(self->stream_.get_executor(),
                           [self, res = std::move(res)]() mutable { self->send(std::move(res)); });
              });
}

void http_session::upgrade(http::request<http::string_body> req) {
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
    return send(text_response(req, http::status::forbidden,
                              "this page's origin may not open a Colead room here\n"));
  }
  stream_.expires_never();
  // The WebSocket session counts itself; this connection leaves the HTTP gauge.
  counted_ = false;
  state_->stats.tcp_connections.fetch_sub(1, std::memory_order_relaxed);
  std::string load_error;
  auto host = state_->rooms.find(room_id, &load_error);
  if (!host && !load_error.empty()) {
    return send(text_response(req, http::status::service_unavailable,
                              "this room cannot be opened right now; try again later\n"));
  }
  std::make_shared<websocket_session>(stream_.release_socket(), state_, std::move(host), *encoding)
      ->run(std::move(req));
}

void http_session::send(http::response<http::string_body> res) {
  bool close = res.need_eof();
  response_ = std::make_shared<http::response<http::string_body>>(std::move(res));
  http::async_write(stream_, *response_,
                    beast::bind_front_handler(&http_session::on_write, shared_from_this(), close));
}

void http_session::on_write(bool close, beast::error_code ec, std::size_t) {
  response_.reset();
  if (ec) return;
  if (close || state_->stopping.load()) return do_shutdown();
  do_read();
}

void http_session::do_shutdown() {
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
}

}  // namespace colead::net
