// The cohort API: creating a cohort with its rooms and facilitators, adding a facilitator,
// replacing a facilitator's token (organiser key), and the cohort's learning record (a
// facilitator's token). Keys and tokens travel as `Authorization: Bearer <...>`, never in a
// path or a query, and are never logged.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <mutex>

#include <spdlog/spdlog.h>

#include "codec.hpp"
#include "net/cohort_host.hpp"
#include "net/http_routes.hpp"
#include "room/cohort_creation.hpp"
#include "room/cohort_record.hpp"
#include "room/tokens.hpp"

namespace colead::net {

namespace {

std::int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Tells the cohort, if loaded, that its facilitators or rooms changed in the store. Called
// from the store's writer thread once the change is durable.
void notify_cohort_changed(server_state& state, const std::string& cohort_id) {
  if (state.cohorts != nullptr) state.cohorts->facilitators_changed(cohort_id);
}

// A request's version and keep-alive, enough to answer it from another thread later.
request answer_head(const request& req) {
  request head;
  head.version(req.version());
  head.keep_alive(req.keep_alive());
  return head;
}

response organiser_key_needed(const request& req, const connection_info& info,
                              const std::string& what) {
  spdlog::info("{}{} refused: no organiser key", log_tag(info), what);
  return error_response(req, http::status::unauthorized, v1::Error::UNAUTHORIZED,
                        what + " needs the organiser key: send 'Authorization: Bearer <key>'");
}

response not_saved(const request& req, const store::status& why, const std::string& what) {
  spdlog::error("{} failed: {}", what, why.message());
  return error_response(req, http::status::service_unavailable, v1::Error::INTERNAL,
                        "it could not be saved; nothing was changed. Try again in a moment.");
}

// Facilitator numbers handed out but perhaps not stored yet, per cohort, so two facilitators
// added at once never get the same number (a put of an existing number replaces it).
class facilitator_numbers {
 public:
  // The next number for a cohort whose greatest stored number is `stored`.
  std::uint32_t next(const std::string& cohort_id, std::uint32_t stored) {
    std::lock_guard lock(mutex_);
    auto& last = last_[cohort_id];
    last = std::max(last, stored) + 1;
    return last;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::uint32_t> last_;  // guarded by mutex_
};

facilitator_numbers& handed_out() {
  static facilitator_numbers numbers;
  return numbers;
}

// The cohort, or the response saying why not.
std::optional<response> load(const request& req, store::store& store, const std::string& id,
                             store::cohort_image& out) {
  auto image = store.load_cohort(id);
  if (image) {
    out = std::move(image.value());
    return std::nullopt;
  }
  if (image.error().code() == store::error_code::not_found) {
    return error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                          "there is no cohort with this id");
  }
  spdlog::error("loading cohort {}: {}", id, image.error().message());
  return error_response(req, http::status::internal_server_error, v1::Error::INTERNAL,
                        "the cohort could not be read");
}

// POST /api/cohorts/<id>/facilitators {"name"}: one more facilitator, with a new link.
void add_facilitator(const request& req, const std::shared_ptr<server_state>& state,
                     const std::string& cohort_id, const connection_info& info,
                     const reply_fn& reply) {
  if (!has_organiser_key(req, state->options)) {
    return reply(organiser_key_needed(req, info, "adding a facilitator"));
  }
  if (!json_body(req)) {
    return reply(error_response(req, http::status::unsupported_media_type, v1::Error::BAD_REQUEST,
                                "send the facilitator as JSON, with 'Content-Type: "
                                "application/json'"));
  }
  v1::FacilitatorInvite body;
  std::string why;
  if (!protocol::from_json(req.body(), body, why) || body.number() != 0 || !body.token().empty() ||
      !body.url().empty()) {
    return reply(error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                                "the body must be JSON like {\"name\": \"...\"}" +
                                    (why.empty() ? std::string() : ": " + why)));
  }
  const room::cohort_creation_limits limits;
  auto name = room::facilitator_name(body.name(), limits);
  if (!name) {
    return reply(error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                                name.error().message()));
  }
  auto& store = state->rooms.store();
  store::cohort_image cohort;
  if (auto refused = load(req, store, cohort_id, cohort)) return reply(std::move(*refused));
  if (cohort.facilitators.size() >= limits.max_facilitators) {
    return reply(error_response(
        req, http::status::conflict, v1::Error::NOT_ALLOWED,
        "a cohort has at most " + std::to_string(limits.max_facilitators) + " facilitators"));
  }
  const std::uint32_t stored = cohort.facilitators.empty() ? 0 : cohort.facilitators.back().number;
  auto made = std::make_shared<room::facilitator_token>(room::make_facilitator(
      cohort_id, handed_out().next(cohort_id, stored), std::move(name.value())));
  store::write_batch batch;
  batch.put_facilitator(made->record);
  auto head = answer_head(req);
  auto tag = log_tag(info);
  auto status = store.submit(
      std::move(batch), [state, made, head, reply, cohort_id, tag](store::status result) {
        if (!result) return reply(not_saved(head, result, "adding a facilitator"));
        spdlog::info("{}cohort {}: facilitator {} added", tag, cohort_id, made->record.number);
        notify_cohort_changed(*state, cohort_id);
        reply(json_response(head, http::status::created,
                            room::facilitator_invite(state->options.public_url, cohort_id, *made)));
      });
  if (!status) return reply(not_saved(req, status, "adding a facilitator"));
}

// POST /api/cohorts/<id>/facilitators/<n>/token: a new token for facilitator n. The old one
// stops working once the new one is durable, and the overview connections holding it close.
void replace_token(const request& req, const std::shared_ptr<server_state>& state,
                   const std::string& cohort_id, std::string_view number_text,
                   const connection_info& info, const reply_fn& reply) {
  if (!has_organiser_key(req, state->options)) {
    return reply(organiser_key_needed(req, info, "replacing a facilitator's link"));
  }
  std::uint32_t number = 0;
  auto [end, ec] =
      std::from_chars(number_text.data(), number_text.data() + number_text.size(), number);
  if (ec != std::errc() || end != number_text.data() + number_text.size() || number == 0) {
    return reply(error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                                "name the facilitator by their number, from 1"));
  }
  auto& store = state->rooms.store();
  store::cohort_image cohort;
  if (auto refused = load(req, store, cohort_id, cohort)) return reply(std::move(*refused));
  auto it = std::find_if(cohort.facilitators.begin(), cohort.facilitators.end(),
                         [&](const auto& f) { return f.number == number; });
  if (it == cohort.facilitators.end()) {
    return reply(error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                                "this cohort has no facilitator " + std::to_string(number)));
  }
  auto made = std::make_shared<room::facilitator_token>(
      room::make_facilitator(cohort_id, number, it->name));
  store::write_batch batch;
  batch.put_facilitator(made->record);
  auto head = answer_head(req);
  auto tag = log_tag(info);
  auto status = store.submit(
      std::move(batch), [state, made, head, reply, cohort_id, tag](store::status result) {
        if (!result) {
          spdlog::error("replacing a facilitator's link failed: {}", result.message());
          return reply(error_response(head, http::status::service_unavailable, v1::Error::INTERNAL,
                                      "the new link could not be saved; the old one still works. "
                                      "Try again in a moment."));
        }
        spdlog::info("{}cohort {}: facilitator {}'s link replaced", tag, cohort_id,
                     made->record.number);
        notify_cohort_changed(*state, cohort_id);
        reply(json_response(head, http::status::ok,
                            room::facilitator_invite(state->options.public_url, cohort_id, *made)));
      });
  if (!status) return reply(not_saved(req, status, "replacing a facilitator's link"));
}

// GET /api/cohorts/<id>/export?format=md|json with a facilitator's token: the cohort's
// learning record, as durable in the store.
void export_cohort(const request& req, const std::shared_ptr<server_state>& state,
                   const std::string& cohort_id, const connection_info& info,
                   const reply_fn& reply) {
  auto format = query_param(req.target(), "format").value_or("md");
  if (format != "md" && format != "json") {
    return reply(error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                                "format must be md or json"));
  }
  const auto token = bearer_token(req);
  if (token.empty()) {
    return reply(error_response(req, http::status::unauthorized, v1::Error::UNAUTHORIZED,
                                "send your facilitator token as 'Authorization: Bearer <token>'"));
  }
  auto& store = state->rooms.store();
  store::cohort_image cohort;
  if (auto refused = load(req, store, cohort_id, cohort)) return reply(std::move(*refused));
  if (!room::is_facilitator(cohort, token)) {
    spdlog::info("{}cohort {} export refused: not a facilitator's token", log_tag(info), cohort_id);
    return reply(error_response(req, http::status::unauthorized, v1::Error::UNAUTHORIZED,
                                "this token is not a facilitator's token for this cohort"));
  }
  std::vector<store::room_image> rooms;
  for (const auto& r : cohort.rooms) {
    auto image = store.load_room(r.room_id);
    if (!image) {
      // Erased meanwhile: it has left the cohort.
      if (image.error().code() == store::error_code::not_found) continue;
      spdlog::error("cohort {} export: room {}: {}", cohort_id, r.room_id, image.error().message());
      return reply(error_response(req, http::status::internal_server_error, v1::Error::INTERNAL,
                                  "a room of the cohort could not be read"));
    }
    rooms.push_back(std::move(image.value()));
  }
  v1::CohortExport record;
  std::string error;
  if (!room::build_cohort_record(cohort, rooms, wall_now_ms(), record, error)) {
    spdlog::error("cohort {} export: {}", cohort_id, error);
    return reply(error_response(req, http::status::internal_server_error, v1::Error::INTERNAL,
                                "the record could not be read: " + error));
  }
  if (format == "json") return reply(json_response(req, http::status::ok, record));
  response res{http::status::ok, req.version()};
  res.set(http::field::server, "colead");
  res.set(http::field::cache_control, "no-store");
  res.set(http::field::content_type, "text/markdown; charset=utf-8");
  res.set(http::field::content_disposition,
          "attachment; filename=\"colead-cohort-" + cohort_id + ".md\"");
  // Saved, never shown in place: no type guessing, and if a browser renders it anyway it
  // runs nothing and loads nothing.
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Content-Security-Policy", "default-src 'none'; sandbox");
  res.set("Referrer-Policy", "no-referrer");
  res.keep_alive(req.keep_alive());
  res.body() = room::render_cohort_markdown(record);
  res.prepare_payload();
  reply(std::move(res));
}

}  // namespace

void create_cohort(const request& req, const std::shared_ptr<server_state>& state,
                   const connection_info& info, const reply_fn& reply) {
  if (!state->options.open_room_creation && !has_organiser_key(req, state->options)) {
    return reply(organiser_key_needed(req, info, "creating a cohort"));
  }
  if (!json_body(req)) {
    return reply(error_response(req, http::status::unsupported_media_type, v1::Error::BAD_REQUEST,
                                "send the cohort as JSON, with 'Content-Type: application/json'"));
  }
  v1::CreateCohortRequest body;
  std::string why;
  if (!protocol::from_json(req.body(), body, why)) {
    return reply(error_response(
        req, http::status::bad_request, v1::Error::BAD_REQUEST,
        "the body must be JSON like {\"title\": \"...\", \"rooms\": 12, \"seatsPerRoom\": 2}: " +
            why));
  }
  auto made = room::make_cohort(body, wall_now_ms());
  if (!made) {
    return reply(error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                                made.error().message()));
  }
  auto& store = state->rooms.store();
  for (const auto& id : made.value().attached_room_ids) {
    auto exists = store.room_exists(id);
    if (!exists) return reply(not_saved(req, exists.error(), "creating a cohort"));
    if (!exists.value()) {
      return reply(error_response(req, http::status::bad_request, v1::Error::ROOM_NOT_FOUND,
                                  "there is no room " + id + " to attach"));
    }
    auto in = store.cohort_of_room(id);
    if (!in) return reply(not_saved(req, in.error(), "creating a cohort"));
    if (in.value()) {
      return reply(error_response(req, http::status::conflict, v1::Error::NOT_ALLOWED,
                                  "room " + id + " is already in another cohort"));
    }
  }
  auto cohort = std::make_shared<room::new_cohort>(std::move(made.value()));
  auto batch = std::move(cohort->batch);
  auto head = answer_head(req);
  auto tag = log_tag(info);
  auto status =
      store.submit(std::move(batch), [state, cohort, head, reply, tag](store::status result) {
        if (result.code() == store::error_code::already_exists) {
          // Another cohort took one of the rooms since they were checked.
          return reply(error_response(head, http::status::conflict, v1::Error::NOT_ALLOWED,
                                      "a room to attach is already in another cohort; nothing was "
                                      "created"));
        }
        if (result.code() == store::error_code::not_found) {
          return reply(error_response(head, http::status::bad_request, v1::Error::ROOM_NOT_FOUND,
                                      "a room to attach no longer exists; nothing was created"));
        }
        if (!result) return reply(not_saved(head, result, "creating a cohort"));
        state->stats.rooms_created.fetch_add(cohort->rooms.size(), std::memory_order_relaxed);
        spdlog::info("{}cohort {} created with {} new and {} attached rooms, {} facilitators", tag,
                     cohort->cohort.id, cohort->rooms.size(), cohort->attached_room_ids.size(),
                     cohort->facilitators.size());
        if (!cohort->attached_room_ids.empty() && state->cohorts != nullptr) {
          state->cohorts->rooms_attached(cohort->cohort.id, cohort->attached_room_ids);
        }
        reply(json_response(head, http::status::created,
                            room::creation_response(*cohort, state->options.public_url)));
      });
  if (!status) return reply(not_saved(req, status, "creating a cohort"));
}

void handle_cohort_api(const request& req, const std::shared_ptr<server_state>& state,
                       const std::string& cohort_id, std::string_view rest,
                       const connection_info& info, const reply_fn& reply) {
  const auto path = rest.substr(0, rest.find('?'));
  constexpr std::string_view facilitators = "/facilitators";
  constexpr std::string_view token = "/token";
  if (path == facilitators) {
    if (req.method() != http::verb::post) {
      return reply(error_response(req, http::status::method_not_allowed, v1::Error::BAD_REQUEST,
                                  "use POST to add a facilitator"));
    }
    return add_facilitator(req, state, cohort_id, info, reply);
  }
  if (path.substr(0, facilitators.size() + 1) == "/facilitators/" &&
      path.size() > facilitators.size() + 1 + token.size() &&
      path.substr(path.size() - token.size()) == token) {
    if (req.method() != http::verb::post) {
      return reply(error_response(req, http::status::method_not_allowed, v1::Error::BAD_REQUEST,
                                  "use POST to replace a facilitator's link"));
    }
    return replace_token(
        req, state, cohort_id,
        path.substr(facilitators.size() + 1, path.size() - facilitators.size() - 1 - token.size()),
        info, reply);
  }
  if (path == "/export") {
    if (req.method() != http::verb::get) {
      return reply(error_response(req, http::status::method_not_allowed, v1::Error::BAD_REQUEST,
                                  "use GET to export the cohort's learning record"));
    }
    return export_cohort(req, state, cohort_id, info, reply);
  }
  return reply(error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                              "there is no API at this address"));
}

}  // namespace colead::net
