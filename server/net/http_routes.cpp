#include "net/http_routes.hpp"

#include <cctype>

#include <spdlog/spdlog.h>

#include "codec.hpp"
#include "ot/utf8.hpp"
#include "room/script_files.hpp"
#include "room/text_limits.hpp"
#include "room/tokens.hpp"
#include "room/wire.hpp"

namespace colead::net {

namespace {

constexpr const char* content_security_policy =
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

void common_headers(response& res) {
  res.set(http::field::server, "colead");
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Referrer-Policy", "no-referrer");
}

}  // namespace

response json_response(const request& req, http::status status,
                       const google::protobuf::Message& body) {
  response res{status, req.version()};
  common_headers(res);
  res.set(http::field::content_type, "application/json");
  res.keep_alive(req.keep_alive());
  res.body() = protocol::to_json(body);
  res.prepare_payload();
  return res;
}

namespace {

std::string_view mime_type(std::string_view path) {
  auto dot = path.rfind('.');
  auto ext = dot == std::string_view::npos ? std::string_view{} : path.substr(dot);
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

// True when `path` may be served from the web root: only plain names, no "..", no hidden
// files, nothing but [A-Za-z0-9._-/].
bool safe_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return false;
  std::size_t segment_start = 1;
  for (std::size_t i = 1; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      auto segment = path.substr(segment_start, i - segment_start);
      if (segment.empty() || segment.front() == '.') return false;
      segment_start = i + 1;
      continue;
    }
    char c = path[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

response static_file(const request& req, const server_state& state, std::string_view path) {
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    return error_response(req, http::status::method_not_allowed, v1::Error::BAD_REQUEST,
                          "only GET and HEAD are allowed here");
  }
  if (!safe_path(path)) {
    return error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                          "there is nothing at this address");
  }
  auto content = state.files ? state.files->find(path) : nullptr;
  if (!content) {
    return error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                          "there is nothing at this address");
  }
  response res{http::status::ok, req.version()};
  common_headers(res);
  res.set(http::field::content_type, mime_type(path));
  res.set("Content-Security-Policy", content_security_policy);
  res.keep_alive(req.keep_alive());
  res.body() = *content;
  res.prepare_payload();
  if (req.method() == http::verb::head) res.body().clear();
  return res;
}

void create_room(const request& req, const std::shared_ptr<server_state>& shared,
                 const connection_info& info, const reply_fn& reply) {
  auto& state = *shared;
  if (!state.options.open_room_creation && !has_organiser_key(req, state.options)) {
    spdlog::info("{}room creation refused: no organiser key", log_tag(info));
    return reply(error_response(req, http::status::unauthorized, v1::Error::UNAUTHORIZED,
                                "creating a room on this server needs the organiser key: send "
                                "'Authorization: Bearer <key>'"));
  }
  if (!json_body(req)) {
    return reply(error_response(req, http::status::unsupported_media_type, v1::Error::BAD_REQUEST,
                                "send the room as JSON, with 'Content-Type: application/json'"));
  }
  v1::CreateRoomRequest body;
  std::string why;
  if (!protocol::from_json(req.body(), body, why)) {
    return reply(
        error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                       "the body must be JSON like {\"title\": \"...\", \"seats\": 2}: " + why));
  }
  auto title = room::clean_text(body.title());
  if (title.empty()) {
    return reply(error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                                "give the room a title (1 to 120 characters)"));
  }
  if (ot::utf8::count_code_points(title) > 120) {
    return reply(error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                                "the title is longer than 120 characters"));
  }
  if (body.seats() < 2 || body.seats() > 8) {
    return reply(error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                                "a room has 2 to 8 seats: one for each member of the pair, "
                                "trio or set"));
  }
  if (body.facilitator_seat() && body.seats() < room::min_seats_with_facilitator) {
    return reply(error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                                "a set with a facilitator seat has at least 3 seats: the "
                                "facilitator's and two members'"));
  }
  auto version = req.version();
  auto keep_alive = req.keep_alive();
  auto seats = body.seats();
  const std::uint32_t facilitator_seat = body.facilitator_seat() ? seats : 0;
  auto tag = log_tag(info);
  state.rooms.create(
      title, seats, facilitator_seat != 0,
      [shared, reply, version, keep_alive, title, seats, facilitator_seat, tag](
          std::shared_ptr<room_host> host, std::vector<std::string> tokens, store::status result) {
        request head;
        head.version(version);
        head.keep_alive(keep_alive);
        if (!result) {
          spdlog::error("creating a room failed: {}", result.message());
          return reply(error_response(head, http::status::service_unavailable, v1::Error::INTERNAL,
                                      "the room could not be saved; nothing was created. Try again "
                                      "in a moment."));
        }
        shared->stats.rooms_created.fetch_add(1, std::memory_order_relaxed);
        spdlog::info("{}room {} created with {} seats{}", tag, host->id(), seats,
                     facilitator_seat != 0 ? ", the last a facilitator's" : "");
        v1::CreateRoomResponse out;
        out.set_id(host->id());
        out.set_title(title);
        for (std::size_t i = 0; i < tokens.size(); ++i) {
          const auto seat = static_cast<std::uint32_t>(i + 1);
          *out.add_invites() = room::invite_to_wire(shared->options.public_url, host->id(), seat,
                                                    tokens[i], seat == facilitator_seat);
        }
        reply(json_response(head, http::status::created, out));
      });
}

}  // namespace

// A cross-site form can only send text/plain, form-urlencoded or multipart without the
// browser asking first, so this also keeps other sites' pages from creating rooms.
bool json_body(const request& req) {
  std::string_view type(req[http::field::content_type]);
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ')
    type.remove_suffix(1);
  return beast::iequals(type, "application/json");
}

response error_response(const request& req, http::status status, v1::Error::Code code,
                        std::string message) {
  v1::HttpError body;
  body.mutable_error()->set_code(code);
  body.mutable_error()->set_message(std::move(message));
  return json_response(req, status, body);
}

response text_response(const request& req, http::status status, std::string text) {
  response res{status, req.version()};
  common_headers(res);
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.keep_alive(false);
  res.body() = std::move(text);
  res.prepare_payload();
  return res;
}

// True when the request carries the organiser key.
bool has_organiser_key(const request& req, const server_options& options) {
  if (!options.organiser_key_hash) return false;
  auto key = bearer_token(req);
  return !key.empty() && room::same_hash(room::hash_token(key), *options.organiser_key_hash);
}

std::optional<std::string> query_param(std::string_view target, std::string_view name) {
  auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  auto query = target.substr(q + 1);
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      return std::string(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

std::string bearer_token(const request& req) {
  auto header = req[http::field::authorization];
  constexpr std::string_view bearer = "Bearer ";
  if (header.size() <= bearer.size() || header.substr(0, bearer.size()) != bearer) return {};
  return std::string(header.substr(bearer.size()));
}

namespace {

// "Example.org:8080" -> "example.org", "[::1]:80" -> "::1".
std::string host_name(std::string_view host) {
  std::string out;
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    out = std::string(host.substr(1, close == std::string_view::npos ? host.npos : close - 1));
  } else {
    auto colon = host.find(':');
    out = std::string(host.substr(0, colon));
  }
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

bool host_allowed(const request& req, const server_options& options,
                  std::string_view local_address) {
  auto field = req[http::field::host];
  if (field.empty()) return true;
  auto name = host_name(field);
  if (name == "localhost" ||
      (name.size() > 10 && name.compare(name.size() - 10, 10, ".localhost") == 0)) {
    return true;
  }
  beast::error_code ec;
  auto address = asio::ip::make_address(name, ec);
  if (!ec) {
    // An address cannot be rebound to another machine by anyone's DNS.
    if (address.is_loopback()) return true;
    if (address.is_v6() && address.to_v6().is_v4_mapped() &&
        asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback()) {
      return true;
    }
    if (name == options.host || name == local_address) return true;
  }
  if (!options.public_url.empty()) {
    auto scheme_end = options.public_url.find("://");
    if (scheme_end != std::string::npos &&
        host_name(std::string_view(options.public_url).substr(scheme_end + 3)) == name) {
      return true;
    }
  }
  for (const auto& allowed : options.allowed_hosts)
    if (host_name(allowed) == name) return true;
  return false;
}

bool origin_allowed(const request& req, const server_options& options) {
  auto origin_field = req[http::field::origin];
  if (origin_field.empty()) return true;
  std::string origin(origin_field);
  std::string host(req[http::field::host]);
  if (!host.empty() && (origin == "http://" + host || origin == "https://" + host)) return true;
  if (!options.public_url.empty() && origin == options.public_url) return true;
  for (const auto& allowed : options.allowed_origins)
    if (origin == allowed) return true;
  return false;
}

void handle_http(request req_in, std::shared_ptr<server_state> shared, const connection_info& info,
                 reply_fn reply) {
  const request& req = req_in;
  auto& state = *shared;
  state.stats.http_requests.fetch_add(1, std::memory_order_relaxed);
  std::string_view target(req.target().data(), req.target().size());
  auto path = target.substr(0, target.find('?'));
  try {
    // Anything that changes state refuses another site's page outright.
    const bool reads = req.method() == http::verb::get || req.method() == http::verb::head;
    if (!reads && !origin_allowed(req, state.options)) {
      spdlog::info("{}{} {} refused: Origin {} is not this server's", log_tag(info),
                   std::string(req.method_string()), std::string(path).substr(0, 100),
                   std::string(req[http::field::origin]).substr(0, 200));
      return reply(error_response(req, http::status::forbidden, v1::Error::NOT_ALLOWED,
                                  "requests from another site's page are not accepted here"));
    }
    if (path == "/api/server") {
      v1::ServerInfo server_info;
      server_info.set_version(COLEAD_VERSION);
      server_info.set_room_creation(state.options.open_room_creation ? "open" : "key");
      return reply(json_response(req, http::status::ok, server_info));
    }
    if (path == "/healthz") {
      v1::Health health;
      health.set_status(state.stopping.load() ? "stopping" : "ok");
      health.set_version(COLEAD_VERSION);
      health.set_rooms_loaded(state.rooms.size());
      health.set_connections(static_cast<std::uint64_t>(
          state.stats.websocket_sessions.load(std::memory_order_relaxed)));
      // A store that cannot save makes the server unhealthy: nothing members do is kept.
      const auto store = state.rooms.store().health();
      health.set_store(store.ok ? "ok" : "failing");
      health.set_store_error(store.last_error);
      if (store.ms_since_commit) health.set_store_last_commit_ms_ago(*store.ms_since_commit);
      return reply(json_response(
          req, store.ok ? http::status::ok : http::status::service_unavailable, health));
    }
    if (path == "/metrics") {
      response res{http::status::ok, req.version()};
      common_headers(res);
      res.set(http::field::content_type, "text/plain; version=0.0.4");
      res.keep_alive(req.keep_alive());
      res.body() = state.stats.render(state.rooms.size(), state.rooms.store().stats());
      res.prepare_payload();
      return reply(std::move(res));
    }
    if (path == "/api/scripts") {
      if (req.method() != http::verb::get) {
        return reply(error_response(req, http::status::method_not_allowed, v1::Error::BAD_REQUEST,
                                    "use GET to list the consulting scripts"));
      }
      v1::ConsultScriptList list;
      const auto& scripts =
          state.options.scripts ? state.options.scripts->scripts() : room::built_in_scripts();
      for (const auto& script : scripts)
        *list.add_scripts() = room::to_proto(script);
      return reply(json_response(req, http::status::ok, list));
    }
    if (path == "/api/rooms") {
      if (req.method() != http::verb::post) {
        return reply(error_response(req, http::status::method_not_allowed, v1::Error::BAD_REQUEST,
                                    "use POST to create a room"));
      }
      return create_room(req, shared, info, reply);
    }
    constexpr std::string_view rooms_prefix = "/api/rooms/";
    if (path.substr(0, rooms_prefix.size()) == rooms_prefix) {
      auto rest = path.substr(rooms_prefix.size());
      auto slash = rest.find('/');
      auto room_id = std::string(rest.substr(0, slash));
      if (!room::is_valid_id(room_id)) {
        return reply(error_response(req, http::status::not_found, v1::Error::ROOM_NOT_FOUND,
                                    "this is not a room address"));
      }
      return handle_room_api(
          req, shared, room_id,
          slash == std::string_view::npos ? std::string_view{} : rest.substr(slash), info, reply);
    }
    if (path == "/api/cohorts") {
      if (req.method() != http::verb::post) {
        return reply(error_response(req, http::status::method_not_allowed, v1::Error::BAD_REQUEST,
                                    "use POST to create a cohort"));
      }
      return create_cohort(req, shared, info, reply);
    }
    constexpr std::string_view cohorts_prefix = "/api/cohorts/";
    if (path.substr(0, cohorts_prefix.size()) == cohorts_prefix) {
      auto rest = path.substr(cohorts_prefix.size());
      auto slash = rest.find('/');
      auto cohort_id = std::string(rest.substr(0, slash));
      if (!room::is_valid_id(cohort_id)) {
        return reply(error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                                    "this is not a cohort address"));
      }
      return handle_cohort_api(
          req, shared, cohort_id,
          slash == std::string_view::npos ? std::string_view{} : rest.substr(slash), info, reply);
    }
    if (path.substr(0, 5) == "/api/") {
      return reply(error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                                  "there is no API at this address"));
    }
    if (path == "/" || path == "/index.html") {
      return reply(static_file(req, state, "/index.html"));
    }
    if (path.substr(0, 3) == "/r/") {
      if (!room::is_valid_id(path.substr(3))) {
        return reply(error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                                    "this is not a room address"));
      }
      return reply(static_file(req, state, "/room.html"));
    }
    if (path.substr(0, 3) == "/c/") {
      if (!room::is_valid_id(path.substr(3))) {
        return reply(error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                                    "this is not a cohort address"));
      }
      return reply(static_file(req, state, "/cohort.html"));
    }
    return reply(static_file(req, state, path));
  } catch (const std::exception& e) {
    spdlog::error("HTTP handler failed: {}", e.what());
    return reply(error_response(req, http::status::internal_server_error, v1::Error::INTERNAL,
                                "the server failed to answer; nothing was changed"));
  }
}

}  // namespace colead::net
