#include "client/http_request.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <strings.h>

#include <memory>
#include <optional>

#include "client/server_url.hpp"
#include "detail/transport.hpp"

namespace colead::client {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr std::uint64_t max_response_body = 64ull * 1024 * 1024;

// The request target: the URL without scheme and authority, query kept.
std::string request_target(std::string_view url) {
  auto scheme_end = url.find("://");
  auto rest = url.substr(scheme_end == std::string_view::npos ? 0 : scheme_end + 3);
  auto start = rest.find_first_of("/?");
  if (start == std::string_view::npos) return "/";
  std::string target(rest.substr(start, rest.find('#', start) - start));
  if (target.front() == '?') target.insert(0, "/");
  return target;
}

}  // namespace

std::string http_response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
      return value;
    }
  }
  return {};
}

http_result http_request(std::string_view method, std::string_view url, std::string_view body,
                         const header_list& headers, std::chrono::milliseconds timeout) {
  http_options options;
  options.headers = headers;
  options.timeout = timeout;
  return http_request(method, url, body, options);
}

http_result http_request(std::string_view method, std::string_view url, std::string_view body,
                         const http_options& options) {
  http_result result;
  std::string error;
  auto where = parse_server_url(url, error);
  if (!where) {
    result.outcome = status::failed(error);
    return result;
  }
  auto verb = http::string_to_verb(beast::string_view(method.data(), method.size()));
  if (verb == http::verb::unknown) {
    result.outcome = status::failed("'" + std::string(method) + "' is not an HTTP method");
    return result;
  }

  http::request<http::string_body> request{verb, request_target(url), 11};
  request.set(http::field::host, where->host_header);
  request.set(http::field::user_agent, "colead-client");
  request.set(http::field::connection, "close");
  bool has_content_type = false;
  for (const auto& [name, value] : options.headers) {
    request.set(name, value);
    if (strcasecmp(name.c_str(), "content-type") == 0) has_content_type = true;
  }
  if (!body.empty() && !has_content_type)
    request.set(http::field::content_type, "application/json");
  request.body() = std::string(body);
  request.prepare_payload();

  asio::io_context io;
  std::shared_ptr<ssl::context> tls_context;
  std::optional<detail::tls_stream> secure;
  std::optional<beast::tcp_stream> plain;
  if (where->tls) {
    tls_context = detail::make_tls_context(options.ca_file, error);
    if (tls_context) secure.emplace(io, *tls_context);
    if (!tls_context || !detail::expect_server(*secure, where->host, error)) {
      result.outcome = status::failed(error);
      return result;
    }
  } else {
    plain.emplace(io);
  }
  beast::tcp_stream& tcp_layer = secure ? secure->next_layer() : *plain;

  // Every step shares one deadline; beast::tcp_stream closes the socket when it passes, so
  // each handler runs exactly once and io.run() always returns.
  tcp::resolver resolver{io};
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_response_body);
  auto timeout = options.timeout;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string failed_step;
  beast::error_code failure;

  auto fail = [&](beast::error_code ec, const char* step) {
    failure = ec;
    failed_step = step;
  };
  // The exchange itself, the same over TCP and over TLS.
  auto exchange = [&](auto& stream) {
    tcp_layer.expires_at(deadline);
    http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
      if (ec) return fail(ec, "write the request");
      tcp_layer.expires_at(deadline);
      http::async_read(stream, buffer, parser, [&](beast::error_code ec, std::size_t) {
        if (ec) return fail(ec, "read the response");
        // Connection: close was asked, so the whole answer is here; a TLS close_notify
        // would only add a round trip.
        beast::error_code ignored;
        tcp_layer.socket().shutdown(tcp::socket::shutdown_both, ignored);
      });
    });
  };
  resolver.async_resolve(detail::lookup_name(where->host), where->port,
                         [&](beast::error_code ec, tcp::resolver::results_type hosts) {
                           if (ec) return fail(ec, "resolve");
                           tcp_layer.expires_at(deadline);
                           detail::async_connect_from(
                               tcp_layer, hosts, options.local_address, [&](beast::error_code ec) {
                                 if (ec) return fail(ec, "connect");
                                 if (!secure) return exchange(tcp_layer);
                                 tcp_layer.expires_at(deadline);
                                 secure->async_handshake(
                                     ssl::stream_base::client, [&](beast::error_code ec) {
                                       if (ec) return fail(ec, "complete the TLS handshake");
                                       exchange(*secure);
                                     });
                               });
                         });
  // tcp_stream's deadline covers connect, handshake, write and read; only name resolution can
  // outlast it, so past the deadline cancel whatever is left and let its handler run.
  io.run_for(timeout);
  if (!io.stopped()) {
    resolver.cancel();
    tcp_layer.close();
    io.run_for(std::chrono::seconds(1));
    if (failed_step.empty()) fail(beast::error::timeout, "get an answer");
  }
  if (!failed_step.empty()) {
    std::string why = failure == beast::error::timeout
                          ? "timed out after " + std::to_string(timeout.count()) + " ms"
                      : failed_step == std::string("complete the TLS handshake")
                          ? detail::describe_tls_failure(*secure, failure)
                          : failure.message();
    result.outcome = status::failed("could not " + failed_step + " for " + std::string(method) +
                                    " " + std::string(url) + ": " + why);
    return result;
  }

  auto& response = parser.get();
  result.response.status = static_cast<int>(response.result_int());
  result.response.body = std::move(response.body());
  for (const auto& field : response) {
    result.response.headers.emplace_back(std::string(field.name_string()),
                                         std::string(field.value()));
  }
  return result;
}

}  // namespace colead::client
