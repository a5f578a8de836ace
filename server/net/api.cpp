// The room API: a document's revisions and its text at any revision, the learning record,
// and the versions of a learning-log note. Every request carries
// a member's invite token as `Authorization: Bearer <token>` (never in the path or query, so
// it stays out of logs), checked on the room's strand.
#include <charconv>

#include <spdlog/spdlog.h>

#include "net/http_routes.hpp"
#include "ot/text_operation.hpp"
#include "room/learning_record.hpp"
#include "room/room_records.hpp"
#include "room/tokens.hpp"
#include "room/wire.hpp"

namespace colead::net {

namespace {

constexpr std::uint64_t max_revisions_per_page = 5000;

bool parse_u64(const std::optional<std::string>& text, std::uint64_t& out) {
  if (!text) return true;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), out);
  return ec == std::errc() && end == text->data() + text->size();
}

response revisions(const request& req, store::store& store, const std::string& room_id,
                   const std::string& doc_id, std::uint64_t current) {
  std::uint64_t from = 1, limit = 500;
  if (!parse_u64(query_param(req.target(), "from"), from) ||
      !parse_u64(query_param(req.target(), "limit"), limit) || limit == 0) {
    return error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                          "from and limit must be whole numbers (limit at least 1)");
  }
  limit = std::min(limit, max_revisions_per_page);
  v1::RevisionList out;
  out.set_doc(doc_id);
  if (from <= current) {
    auto ops = store.read_ops(room_id, doc_id, from, std::min(current, from + limit - 1));
    if (!ops) {
      return error_response(req, http::status::internal_server_error, v1::Error::INTERNAL,
                            "the history could not be read: " + ops.error().message());
    }
    for (const auto& record : ops.value()) {
      ot::applied_edit edit;
      if (!room::applied_from_record(record, edit)) continue;
      auto* r = out.add_revisions();
      r->set_rev(record.rev);
      r->set_author(record.author);
      r->set_edit_id(record.edit_id);
      r->set_at_ms(record.at_ms);
      std::uint32_t inserted = 0, deleted = 0;
      for (const auto& c : edit.op.components()) {
        if (c.kind == ot::component_kind::insert) inserted += static_cast<std::uint32_t>(c.count);
        if (c.kind == ot::component_kind::remove) deleted += static_cast<std::uint32_t>(c.count);
      }
      r->set_inserted(inserted);
      r->set_deleted(deleted);
    }
  }
  return json_response(req, http::status::ok, out);
}

response text_at(const request& req, store::store& store, const std::string& room_id,
                 const std::string& doc_id, std::uint64_t current) {
  std::uint64_t rev = current;
  if (!parse_u64(query_param(req.target(), "rev"), rev)) {
    return error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                          "rev must be a whole number");
  }
  if (rev > current) {
    return error_response(req, http::status::not_found, v1::Error::BAD_REVISION,
                          "the document is at revision " + std::to_string(current) +
                              "; there is no revision " + std::to_string(rev) + " yet");
  }
  // The nearest stored snapshot plus at most snapshot_every edits: fast at any depth.
  auto snap = store.snapshot_at_or_before(room_id, doc_id, rev);
  if (!snap) {
    return error_response(req, http::status::internal_server_error, v1::Error::INTERNAL,
                          "the history could not be read: " + snap.error().message());
  }
  std::string text = snap.value() ? snap.value()->text : std::string{};
  std::uint64_t at = snap.value() ? snap.value()->rev : 0;
  std::uint64_t reached = at;
  if (at < rev) {
    auto ops = store.read_ops(room_id, doc_id, at + 1, rev);
    if (!ops) {
      return error_response(req, http::status::internal_server_error, v1::Error::INTERNAL,
                            "the history could not be read: " + ops.error().message());
    }
    for (const auto& record : ops.value()) {
      ot::applied_edit edit;
      auto next = room::applied_from_record(record, edit)
                      ? edit.op.apply(text)
                      : ot::result<std::string>(ot::status::invalid_op("unreadable"));
      if (!next) {
        return error_response(req, http::status::internal_server_error, v1::Error::INTERNAL,
                              "revision " + std::to_string(record.rev) + " could not be replayed");
      }
      text = std::move(next.value());
      reached = record.rev;
    }
  }
  if (reached != rev) {
    return error_response(req, http::status::conflict, v1::Error::BAD_REVISION,
                          "revision " + std::to_string(rev) + " is still being saved; ask again");
  }
  v1::TextAtRevision out;
  out.set_doc(doc_id);
  out.set_rev(rev);
  out.set_text(std::move(text));
  return json_response(req, http::status::ok, out);
}

}  // namespace

namespace {

// DELETE /api/rooms/<id> with the organiser key: erases the room at once.
void erase_room(const request& req, const std::shared_ptr<server_state>& state,
                const std::string& room_id, const reply_fn& reply) {
  if (!has_organiser_key(req, state->options)) {
    return reply(error_response(req, http::status::unauthorized, v1::Error::UNAUTHORIZED,
                                "erasing a room at once needs the organiser key; members erase "
                                "a room together from inside it"));
  }
  auto host = state->rooms.find(room_id);
  if (!host) {
    return reply(error_response(req, http::status::not_found, v1::Error::ROOM_NOT_FOUND,
                                "there is no room with this id"));
  }
  host->post([](room::room& r) { r.erase(); });
  // Runs after the erasure above has been carried out on the same strand.
  host->post([req, reply, room_id](room::room&) {
    v1::Ack done;
    done.set_id(room_id);
    reply(json_response(req, http::status::ok, done));
  });
}

// POST /api/rooms/<id>/seats/<n>/invite with the organiser key: a new invite link for seat n.
// The old token stops working at once and the devices holding it are closed; the answer
// comes once the new token's hash is durable.
void reissue_invite(const request& req, const std::shared_ptr<server_state>& state,
                    const std::string& room_id, std::string_view seat_text,
                    const connection_info& info, const reply_fn& reply) {
  if (!has_organiser_key(req, state->options)) {
    spdlog::info("{}invite reissue refused: no organiser key", log_tag(info));
    return reply(error_response(req, http::status::unauthorized, v1::Error::UNAUTHORIZED,
                                "making a new invite link needs the organiser key: send "
                                "'Authorization: Bearer <key>'"));
  }
  std::uint32_t seat = 0;
  auto [end, ec] = std::from_chars(seat_text.data(), seat_text.data() + seat_text.size(), seat);
  if (ec != std::errc() || end != seat_text.data() + seat_text.size() || seat == 0) {
    return reply(error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                                "name the seat by its number, from 1"));
  }
  auto host = state->rooms.find(room_id);
  if (!host) {
    return reply(error_response(req, http::status::not_found, v1::Error::ROOM_NOT_FOUND,
                                "there is no room with this id"));
  }
  auto tag = log_tag(info);
  host->post([req, reply, host, room_id, seat, state, tag](room::room& r) {
    auto token = r.reissue_invite(seat);
    if (!token) {
      return reply(error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                                  token.error().message()));
    }
    r.after_writes(
        [req, reply, host, room_id, seat, state, tag, &r, token = std::move(token.value())] {
          if (r.state().broken) {
            return reply(error_response(req, http::status::service_unavailable, v1::Error::INTERNAL,
                                        "the new link could not be saved; the old one still works. "
                                        "Try again in a moment."));
          }
          spdlog::info("{}room {} seat {}: invite link replaced", tag, room_id, seat);
          reply(json_response(req, http::status::ok,
                              room::invite_to_wire(state->options.public_url, room_id, seat, token,
                                                   seat == r.model().facilitator_seat)));
        });
  });
}

// GET /api/rooms/<id>/export?format=md|json: the learning record, as durable in the store.
response export_room(const request& req, store::store& store, const std::string& room_id,
                     const std::string& member, std::int64_t now_ms) {
  auto format = query_param(req.target(), "format").value_or("md");
  if (format != "md" && format != "json") {
    return error_response(req, http::status::bad_request, v1::Error::BAD_REQUEST,
                          "format must be md or json");
  }
  auto image = store.load_room(room_id);
  if (!image) {
    return error_response(req, http::status::not_found, v1::Error::ROOM_NOT_FOUND,
                          "there is no room with this id");
  }
  std::map<std::string, room::revision_counts> revisions;
  for (const auto& doc : image.value().documents) {
    if (doc.document.removed) continue;
    std::uint64_t last =
        doc.ops.empty() ? (doc.snapshot ? doc.snapshot->rev : 0) : doc.ops.back().rev;
    auto ops = store.read_ops(room_id, doc.document.doc_id, 1, last);
    if (!ops) continue;
    auto& counts = revisions[doc.document.doc_id];
    for (const auto& op : ops.value())
      ++counts[op.author];
  }
  v1::RoomExport record;
  std::string error;
  if (!room::build_learning_record(image.value(), revisions, member, now_ms, record, error)) {
    return error_response(req, http::status::internal_server_error, v1::Error::INTERNAL,
                          "the record could not be read: " + error);
  }
  if (format == "json") return json_response(req, http::status::ok, record);
  response res{http::status::ok, req.version()};
  res.set(http::field::server, "colead");
  res.set(http::field::cache_control, "no-store");
  res.set(http::field::content_type, "text/markdown; charset=utf-8");
  res.set(http::field::content_disposition, "attachment; filename=\"colead-" + room_id + ".md\"");
  // Saved, never shown in place: no type guessing, and if a browser renders it anyway it
  // runs nothing and loads nothing.
  res.set("X-Content-Type-Options", "nosniff");
  res.set("Content-Security-Policy", "default-src 'none'; sandbox");
  res.set("Referrer-Policy", "no-referrer");
  res.keep_alive(req.keep_alive());
  res.body() = room::render_markdown(record);
  res.prepare_payload();
  return res;
}

// GET /api/rooms/<id>/notes/<note>/history: every version of a note, oldest first. A
// personal note is its author's alone: to anyone else it does not exist.
response note_history(const request& req, store::store& store, const std::string& room_id,
                      const std::string& note_id, const std::string& member) {
  auto versions = store.item_history(room_id, "note", note_id);
  if (!versions) {
    return error_response(req, http::status::internal_server_error, v1::Error::INTERNAL,
                          "the history could not be read: " + versions.error().message());
  }
  v1::NoteHistory out;
  out.set_note_id(note_id);
  for (const auto& record : versions.value()) {
    v1::LearningNote note;
    if (room::note_from_stored(record.payload, note)) *out.add_versions() = std::move(note);
  }
  const bool hidden = out.versions().empty() || (out.versions().rbegin()->personal() &&
                                                 out.versions().rbegin()->author() != member);
  if (hidden) {
    return error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                          "this room has no such note");
  }
  return json_response(req, http::status::ok, out);
}

}  // namespace

void handle_room_api(const request& req, std::shared_ptr<server_state> state,
                     const std::string& room_id, std::string_view rest, const connection_info& info,
                     reply_fn reply) {
  if (rest.empty() && req.method() == http::verb::delete_) {
    return erase_room(req, state, room_id, reply);
  }
  // /seats/<n>/invite
  constexpr std::string_view seats = "/seats/";
  constexpr std::string_view invite = "/invite";
  if (const auto path = rest.substr(0, rest.find('?'));
      path.substr(0, seats.size()) == seats && path.size() > seats.size() + invite.size() &&
      path.substr(path.size() - invite.size()) == invite) {
    if (req.method() != http::verb::post) {
      return reply(error_response(req, http::status::method_not_allowed, v1::Error::BAD_REQUEST,
                                  "use POST to make a new invite link"));
    }
    return reissue_invite(req, state, room_id,
                          path.substr(seats.size(), path.size() - seats.size() - invite.size()),
                          info, reply);
  }
  if (req.method() != http::verb::get) {
    return reply(error_response(req, http::status::method_not_allowed, v1::Error::BAD_REQUEST,
                                "use GET here"));
  }
  // /docs/<doc>/revisions or /docs/<doc>/text
  constexpr std::string_view docs = "/docs/";
  std::string doc_id, what;
  if (rest.substr(0, docs.size()) == docs) {
    auto tail = rest.substr(docs.size());
    auto slash = tail.find('/');
    if (slash != std::string_view::npos) {
      doc_id = std::string(tail.substr(0, slash));
      what = std::string(tail.substr(slash + 1));
      what = what.substr(0, what.find('?'));
    }
  }
  // /notes/<note>/history
  constexpr std::string_view notes = "/notes/";
  constexpr std::string_view history = "/history";
  std::string note_id;
  const auto path = rest.substr(0, rest.find('?'));
  if (path.substr(0, notes.size()) == notes && path.size() > notes.size() + history.size() &&
      path.substr(path.size() - history.size()) == history) {
    note_id = std::string(path.substr(notes.size(), path.size() - notes.size() - history.size()));
    if (!room::is_valid_id(note_id)) note_id.clear();
  }
  const bool is_export = path == "/export";
  const bool is_history = !note_id.empty();
  const bool is_seat = path == "/seat";
  if (!is_export && !is_history && !is_seat &&
      (!room::is_valid_id(doc_id) || (what != "revisions" && what != "text"))) {
    return reply(error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                                "there is no API at this address"));
  }
  auto token = bearer_token(req);
  if (token.empty()) {
    return reply(error_response(req, http::status::unauthorized, v1::Error::UNAUTHORIZED,
                                "send your invite token as 'Authorization: Bearer <token>'"));
  }
  auto host = state->rooms.find(room_id);
  if (!host) {
    return reply(error_response(req, http::status::not_found, v1::Error::ROOM_NOT_FOUND,
                                "there is no room with this id"));
  }
  auto store = &state->rooms.store();
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  host->post([req, token, room_id, doc_id, what, note_id, reply, store, host, is_export, is_history,
              is_seat, now](room::room& r) {
    auto member = room::member_for_token(r.model(), token);
    if (member.empty()) {
      return reply(error_response(req, http::status::unauthorized, v1::Error::UNAUTHORIZED,
                                  "this token is not a member's invite token for this room"));
    }
    if (is_seat) {
      // What the room knows of the seat: a device opening the invite link for the first time
      // shows it instead of asking again. Name and role are empty until the seat is taken.
      for (const auto& s : r.model().seats) {
        if (s.member_id != member) continue;
        v1::Member out;
        out.set_member_id(s.member_id);
        out.set_seat(s.number);
        out.set_facilitator(s.number == r.model().facilitator_seat);
        if (s.taken) {
          out.set_name(s.name);
          out.set_role(s.role);
        }
        return reply(json_response(req, http::status::ok, out));
      }
    }
    if (is_export || is_history) {
      // Read the store once the room's writes so far are durable (a meeting that loading
      // ended, a note's newest version), so the answer holds everything the room has told
      // its members. The lease (host) keeps the room loaded until then.
      return r.after_writes([req, store, room_id, note_id, member, now, reply, host, is_export] {
        reply(is_export ? export_room(req, *store, room_id, member, now)
                        : note_history(req, *store, room_id, note_id, member));
      });
    }
    const auto& docs = r.model().docs;
    auto doc =
        std::find_if(docs.begin(), docs.end(), [&](const auto& d) { return d.id == doc_id; });
    if (doc == docs.end()) {
      return reply(error_response(req, http::status::not_found, v1::Error::NOT_FOUND,
                                  "this room has no such document"));
    }
    // Reads see every durable batch; the room's revision may be ahead by edits still being
    // written, so read up to the durable end only.
    auto current = doc->text.revision();
    reply(what == "revisions" ? revisions(req, *store, room_id, doc_id, current)
                              : text_at(req, *store, room_id, doc_id, current));
  });
}

}  // namespace colead::net
