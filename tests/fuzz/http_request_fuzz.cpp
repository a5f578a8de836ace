// Fuzzes the HTTP request path without sockets: bytes go through a Beast request parser with
// the limits http_session sets, then through what http_session does with a request (client
// address from a trusted proxy, the WebSocket upgrade test) and handle_http's routing, the
// API and the static files, against a fresh in-memory server for every input.
//
// Every input starts with one room of three seats. Room ids and invite tokens are random, so
// the input names them by placeholder: "@ROOM@" becomes the room's id, "@TOKEN@" the first
// seat's invite token and "@KEY@" the organiser key, letting seeds reach the room API.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "fuzz_support.hpp"
#include "net/beast.hpp"
#include "net/client_address.hpp"
#include "net/http_routes.hpp"
#include "net/server_state.hpp"
#include "room/tokens.hpp"
#include "store/memory_store.hpp"

using namespace colead;
namespace asio = net::asio;
namespace beast = net::beast;
namespace http = net::http;
namespace websocket = net::websocket;

namespace {

constexpr std::string_view organiser_key = "fuzz-organiser-key";

std::shared_ptr<const net::static_files> web_files;
net::server_options base_options;

void replace_all(std::string& text, std::string_view from, std::string_view to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// One server's worth of state, on an io_context that only this input's calls run.
struct fuzz_server {
  asio::io_context ioc;
  net::server_clock clock{1.0};
  store::memory_store store;
  net::room_registry rooms{ioc, clock, store, {}};
  std::shared_ptr<net::server_state> state;
  std::string room_id;
  std::string token;

  fuzz_server() {
    state = std::make_shared<net::server_state>(base_options, rooms);
    state->files = web_files;
    rooms.create("Fuzz room", 3, false,
                 [this](std::shared_ptr<net::room_host> host, std::vector<std::string> tokens,
                        store::status result) {
                   fuzz::check(result.is_ok(), "a room is created in memory");
                   room_id = host->id();
                   token = tokens.at(0);
                 });
    fuzz::check(!room_id.empty(), "the memory store creates rooms at once");
  }
  ~fuzz_server() {
    // Let queued room work finish (rooms hold their connections weakly: nothing to unlink).
    ioc.restart();
    ioc.poll();
  }
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::silence_protobuf();
  spdlog::set_level(spdlog::level::off);
  web_files = std::make_shared<const net::static_files>(COLEAD_WEB_ROOT);
  base_options.public_url = "https://colead.example";
  base_options.allowed_origins = {"https://partner.example"};
  base_options.organiser_key_hash = room::hash_token(organiser_key);
  base_options.trusted_proxies = {*net::parse_address_range("127.0.0.0/8")};
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  fuzz_server server;
  std::string bytes(reinterpret_cast<const char*>(data), size);
  replace_all(bytes, "@ROOM@", server.room_id);
  replace_all(bytes, "@TOKEN@", server.token);
  replace_all(bytes, "@KEY@", organiser_key);

  // What http_session::do_read sets up, fed the bytes as if they arrived in one read.
  http::request_parser<http::string_body> parser;
  parser.body_limit(server.state->options.max_body_bytes);
  parser.header_limit(16 * 1024);
  parser.eager(true);
  beast::error_code ec;
  auto buffer = asio::buffer(bytes.data(), bytes.size());
  while (!ec && !parser.is_done() && buffer.size() > 0) {
    auto used = parser.put(buffer, ec);
    if (ec == http::error::need_more) ec = {};
    if (used == 0) break;
    buffer += used;
  }
  if (!ec && !parser.is_done()) parser.put_eof(ec);
  if (ec || !parser.is_done()) return 0;

  auto req = parser.release();
  net::connection_info info;
  info.id = 1;
  info.peer = "127.0.0.1";
  info.client =
      net::client_address(info.peer, req["X-Forwarded-For"], server.state->options.trusted_proxies);
  if (websocket::is_upgrade(req)) {
    (void)net::origin_allowed(req, server.state->options);
    return 0;
  }
  std::optional<net::response> answer;
  int replies = 0;
  net::handle_http(std::move(req), server.state, info, [&](net::response res) {
    ++replies;
    answer = std::move(res);
  });
  // Answers that wait for the room's strand come back once the io_context runs.
  for (int i = 0; i < 100 && replies == 0; ++i) {
    server.ioc.restart();
    if (server.ioc.poll() == 0) break;
  }
  fuzz::check(replies == 1, "every request gets exactly one answer");
  // The answer must be writable: serialise it as http_session would.
  http::response_serializer<http::string_body> serializer(*answer);
  std::size_t written = 0;
  do {
    serializer.next(ec, [&](beast::error_code&, const auto& buffers) {
      written += asio::buffer_size(buffers);
      serializer.consume(asio::buffer_size(buffers));
    });
  } while (!ec && !serializer.is_done());
  fuzz::check(!ec && written > 0, "the answer serialises");
  return 0;
}
