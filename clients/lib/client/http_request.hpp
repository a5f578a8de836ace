// One HTTP/1.1 request to a Colead server over plain TCP or TLS (https://), with a bounded
// wait: what the command-line client and the integration tests use for /api and /healthz.
//
// Over TLS the server's certificate must chain to an authority in the system's store (or in
// `ca_file`) and be valid for the URL's host name or address; there is no switch to skip the
// check.
//
// Each call owns its own I/O context and socket, so calls are independent and may run on
// any threads at the same time.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "client/status.hpp"

namespace colead::client {

// Header fields as name/value pairs, in the order they are sent.
using header_list = std::vector<std::pair<std::string, std::string>>;

// A response as the server sent it.
struct http_response {
  int status = 0;       // the status code, e.g. 201
  std::string body;     // the whole body
  header_list headers;  // every header field, in the order received

  // The value of the first header named `name` (case-insensitive), or "" if there is none.
  std::string header(std::string_view name) const;
};

// What an HTTP request came to: `outcome` fails when no complete response arrived
// (connection refused, timeout, malformed response); an HTTP error status is not a failure.
struct http_result {
  status outcome;
  http_response response;
};

// How to send a request. Not an aggregate on purpose: a braced header list passed to
// `http_request` then means the headers overload only.
struct http_options {
  http_options() = default;

  // Extra header fields, sent after Host, User-Agent and Connection (a name given here
  // replaces the default).
  header_list headers;
  // Bound on the whole exchange: resolve, connect, TLS handshake, request and response.
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
  // For https: a PEM file of certificate authorities to trust instead of the system's store.
  std::string ca_file;
  // When set, the connection starts from this local IP address (e.g. "127.0.0.5").
  std::string local_address;
};

// Sends `method` (GET, POST, ...) to `url` (`http://host:port/path?query` or `https://...`)
// with `body`, and reads the whole response, all within `options.timeout`.
// A non-empty body without a Content-Type header is sent as application/json.
// Responses larger than 64 MiB are refused.
http_result http_request(std::string_view method, std::string_view url, std::string_view body,
                         const http_options& options);

// The same with only the headers and the timeout chosen.
http_result http_request(std::string_view method, std::string_view url, std::string_view body = {},
                         const header_list& headers = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace colead::client
