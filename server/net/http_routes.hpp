// Answers plain HTTP requests: the API under /api, /healthz, /metrics and the browser
// client's static files. Bodies are protobuf messages in the JSON mapping; errors are
// `{ "error": { "code", "message" } }` with a proper status.
//
// Thread safety: may be called from any thread.
#pragma once

#include "net/beast.hpp"
#include "net/server_state.hpp"

namespace colead::net {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

// The response to `req`. Never throws.
response handle_http(const request& req, server_state& state);

// A JSON error response in the API's shape.
response error_response(const request& req, http::status status, v1::Error::Code code,
                        std::string message);

// A plain-text response (used where the client is not an API client, e.g. a refused
// WebSocket handshake).
response text_response(const request& req, http::status status, std::string text);

}  // namespace colead::net
