// Answers plain HTTP requests: the API under /api, /healthz, /metrics and the browser
// client's static files. Bodies are protobuf messages in the JSON mapping; errors are
// `{ "error": { "code", "message" } }` with a proper status.
//
// Thread safety: may be called from any thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>

#include "net/beast.hpp"
#include "net/server_state.hpp"

namespace colead::net {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// Answers `req` by calling `reply` exactly once, possibly later and from another thread
// (requests that wait for the store or a room's strand). Never throws.
// `info` says who asked, for logs.
using reply_fn = std::function<void(response)>;
void handle_http(request req, std::shared_ptr<server_state> state, const connection_info& info,
                 reply_fn reply);

// True when the request's Host names this server: no Host, a loopback name or address
// ("localhost", "127.0.0.1", "[::1]"), the listen address, `local_address` (where the
// connection arrived), the --public-url's host, or an --allowed-host. Anything else is a
// name someone else pointed at us (DNS rebinding) and gets 421.
bool host_allowed(const request& req, const server_options& options,
                  std::string_view local_address);

// True when the request's Origin may act here: none (programs, not browsers), this server's
// own (the Host it was asked for, over http or https, or the public URL), or one allowed with
// --allow-origin. Browsers apply no CORS to WebSockets and send simple cross-site POSTs
// without asking, so this check is what stops another site's page from acting here.
bool origin_allowed(const request& req, const server_options& options);

// A JSON response carrying `body` (a protobuf message in the JSON mapping).
response json_response(const request& req, http::status status,
                       const google::protobuf::Message& body);

// The API under /api/rooms/<id>/... (api.cpp). `rest` is the path after the room id.
void handle_room_api(const request& req, std::shared_ptr<server_state> state,
                     const std::string& room_id, std::string_view rest, const connection_info& info,
                     reply_fn reply);

// POST /api/cohorts: a new cohort with its rooms and facilitators (cohort_api.cpp).
void create_cohort(const request& req, const std::shared_ptr<server_state>& state,
                   const connection_info& info, const reply_fn& reply);

// The API under /api/cohorts/<id>/... (cohort_api.cpp). `rest` is the path after the id.
void handle_cohort_api(const request& req, const std::shared_ptr<server_state>& state,
                       const std::string& cohort_id, std::string_view rest,
                       const connection_info& info, const reply_fn& reply);

// True when the body is declared JSON (Content-Type: application/json). A cross-site form
// cannot send that without the browser asking first.
bool json_body(const request& req);

// The value of query parameter `name` in `target`, if present.
std::optional<std::string> query_param(std::string_view target, std::string_view name);

// True when the request carries the organiser key (compared as a hash, in constant time).
bool has_organiser_key(const request& req, const server_options& options);

// The bearer token of an Authorization header, or empty.
std::string bearer_token(const request& req);

// A JSON error response in the API's shape.
response error_response(const request& req, http::status status, v1::Error::Code code,
                        std::string message);

// A plain-text response (used where the client is not an API client, e.g. a refused
// WebSocket handshake).
response text_response(const request& req, http::status status, std::string text);

}  // namespace colead::net
