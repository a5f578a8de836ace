#include "room/room.hpp"

#include <algorithm>

#include "room/outbound.hpp"
#include "room/room_records.hpp"
#include "room/text_limits.hpp"
#include "room/wire.hpp"

namespace colead::room {

new_room make_room(std::string title, unsigned seats, const clock& clock,
                   const ot::server_options& doc_options) {
  new_room out;
  out.model.id = make_id();
  out.model.title = std::move(title);
  out.model.created_at_ms = clock.wall_ms();
  for (unsigned n = 1; n <= seats; ++n) {
    out.tokens.push_back(make_token());
    seat_model seat;
    seat.number = n;
    seat.hash = hash_token(out.tokens.back());
    // Appended to a new string: GCC 12 at -O3 sees a false overlap in "m" + std::to_string(n).
    seat.member_id = std::string("m").append(std::to_string(n));
    out.model.seats.push_back(std::move(seat));
  }
  out.model.docs.push_back(
      {purpose_doc_id, "Shared purpose", 0, false, ot::server(doc_options), 0, {}, {}});
  out.model.docs.push_back(
      {principles_doc_id, "Shared principles", 1, false, ot::server(doc_options), 0, {}, {}});
  return out;
}

ot::server_options room::document_options(const room_options& options) {
  ot::server_options out;
  out.limits.max_code_points = options.limits.max_doc_chars;
  // UTF-8 needs at most four bytes a code point.
  out.limits.max_bytes = options.limits.max_doc_chars * 4;
  out.history_limit = options.history_limit;
  out.history_bytes = options.history_bytes;
  return out;
}

room::room(room_model model, const clock& clock, journal& journal, room_options options)
    : model_(std::move(model)), clock_(clock), journal_(journal), options_(options) {
  // Removed documents are never edited again; only their text is kept in memory.
  for (auto& doc : model_.docs)
    if (doc.removed) doc.text.forget_history();
  restore_meeting_items();
  restore_consult_items();
  observe_running();
}

room::~room() {
  if (options_.observer == nullptr) return;
  if (meeting_observed_) options_.observer->meeting_stopped();
  if (consult_observed_) options_.observer->consult_stopped();
}

room::connection* room::find(const participant_ptr& p) {
  for (auto& c : connections_)
    if (c->p == p) return c.get();
  return nullptr;
}

const seat_model* room::seat_of(const std::string& member_id) const {
  for (const auto& s : model_.seats)
    if (s.member_id == member_id) return &s;
  return nullptr;
}

seat_model* room::seat_of(const std::string& member_id) {
  for (auto& s : model_.seats)
    if (s.member_id == member_id) return &s;
  return nullptr;
}

document_state* room::find_doc(const std::string& id) {
  for (auto& d : model_.docs)
    if (d.id == id && !d.removed) return &d;
  return nullptr;
}

std::string room::member_for_token(std::string_view token) const {
  if (token.empty()) return {};
  const token_hash h = hash_token(token);
  std::string member;
  // Compare against every seat so the time taken says nothing about which seat matched.
  for (const auto& s : model_.seats)
    if (same_hash(s.hash, h)) member = s.member_id;
  return member;
}

// ---- outbox ----------------------------------------------------------------------------

void room::persist(store::write_batch batch, std::function<void()> on_durable,
                   std::function<void(const store::status&)> on_failed) {
  const std::uint64_t seq = outbox_base_ + outbox_.size();
  outbox_.push_back({false, {}, std::move(on_durable), std::move(on_failed)});
  journal_.save(std::move(batch),
                [this, seq](store::status result) { complete(seq, std::move(result)); });
}

void room::emit(std::function<void()> then) {
  outbox_.push_back({true, {}, std::move(then), {}});
  flush();
}

void room::after_writes(std::function<void()> then) {
  outbox_.push_back({true, {}, std::move(then), {}, true});
  flush();
}

void room::complete(std::uint64_t seq, store::status result) {
  if (seq < outbox_base_ || seq >= outbox_base_ + outbox_.size()) return;
  auto& entry = outbox_[seq - outbox_base_];
  entry.done = true;
  entry.result = std::move(result);
  flush();
  observe_running();
}

void room::flush() {
  // Outputs may emit more outputs; the outer call drains them in order.
  if (flushing_) return;
  flushing_ = true;
  while (!outbox_.empty() && outbox_.front().done) {
    auto entry = std::move(outbox_.front());
    outbox_.pop_front();
    ++outbox_base_;
    if (broken_ && !entry.even_when_broken) continue;
    if (entry.result.is_ok()) {
      if (entry.on_durable) entry.on_durable();
    } else if (entry.on_failed) {
      entry.on_failed(entry.result);
    }
  }
  flushing_ = false;
}

void room::fail_room(const participant_ptr& author, std::uint64_t req, const store::status& why) {
  if (broken_) return;
  if (author) {
    v1::ServerMessage m;
    m.set_re(req);
    auto* e = m.mutable_error();
    e->set_code(v1::Error::INTERNAL);
    e->set_message("the server could not save this change (" + why.message() +
                   "); it was not applied. Reconnect and try again.");
    e->set_fatal(true);
    if (options_.observer) options_.observer->error_sent(v1::Error::INTERNAL);
    outbound out(std::move(m));
    author->deliver(out.frame(author->encoding()));
  }
  // The room's memory now holds a change the store does not: drop it all and let clients
  // reconnect to a room reloaded from what is durable.
  broken_ = true;
  close_all({1011, "the server could not save a change; reconnect"});
}

// ---- connections -----------------------------------------------------------------------

bool room::attach(const participant_ptr& p) {
  if (erase_due_) {
    v1::ServerMessage m;
    auto* e = m.mutable_error();
    e->set_code(v1::Error::ROOM_NOT_FOUND);
    e->set_message("this room has been erased");
    e->set_fatal(true);
    if (options_.observer) options_.observer->error_sent(v1::Error::ROOM_NOT_FOUND);
    outbound out(std::move(m));
    p->deliver(out.frame(p->encoding()));
    p->close({1008, "room erased"});
    return false;
  }
  if (broken_) {
    refuse_full(p, 0);
    return false;
  }
  // Only members count against the room's limit (at hello): a connection that never says
  // hello is closed by its session at the hello deadline and cannot keep members out.
  connections_.push_back(std::make_unique<connection>(connection{p, {}, {}}));
  return true;
}

void room::refuse_full(const participant_ptr& p, std::uint64_t req) {
  v1::ServerMessage m;
  m.set_re(req);
  auto* e = m.mutable_error();
  e->set_code(v1::Error::ROOM_FULL);
  e->set_message("this room already has " + std::to_string(options_.limits.max_connections) +
                 " devices connected, its limit; close another tab or device and try again");
  e->set_fatal(true);
  if (options_.observer) options_.observer->error_sent(v1::Error::ROOM_FULL);
  outbound out(std::move(m));
  p->deliver(out.frame(p->encoding()));
  p->close({1013, "room at its connection limit"});
}

std::size_t room::member_connection_count() const {
  return static_cast<std::size_t>(
      std::count_if(connections_.begin(), connections_.end(),
                    [](const auto& c) { return !c->member_id.empty(); }));
}

void room::detach(const participant_ptr& p) {
  auto it = std::find_if(connections_.begin(), connections_.end(),
                         [&](const auto& c) { return c->p == p; });
  if (it == connections_.end()) return;
  bool joined = !(*it)->member_id.empty();
  const std::string member_id = (*it)->member_id;
  connections_.erase(it);
  if (joined) {
    emit([this] { broadcast_presence(); });
    on_consult_presence(member_id);
  }
  observe_running();
}

void room::reject(const participant_ptr& p, std::uint64_t req, v1::Error::Code code,
                  std::string message) {
  if (options_.observer) options_.observer->message_refused();
  send_error(p, req, code, std::move(message));
}

void room::handle(const participant_ptr& p, const v1::ClientMessage& message) {
  connection* c = find(p);
  if (c == nullptr || broken_) return;
  if (options_.observer) options_.observer->message_received(message.kind_case());
  dispatch(*c, message);
  observe_running();
}

void room::dispatch(connection& c, const v1::ClientMessage& message) {
  const auto p = c.p;
  const auto req = message.req();
  if (message.kind_case() == v1::ClientMessage::kHello) return on_hello(c, req, message.hello());
  if (c.member_id.empty()) {
    return send_error(p, req, v1::Error::NOT_JOINED,
                      "send hello with your invite token before anything else");
  }
  switch (message.kind_case()) {
    case v1::ClientMessage::kPing:
      return emit([this, p, req] {
        v1::ServerMessage m;
        m.set_re(req);
        m.mutable_pong()->set_server_time_ms(clock_.wall_ms());
        send_to(p, std::move(m));
      });
    case v1::ClientMessage::kSelection:
      return on_selection(c, message.selection());
    case v1::ClientMessage::kEdit:
      return on_edit(c, req, message.edit());
    case v1::ClientMessage::kDocument:
      return on_document(c, req, message.document());
    case v1::ClientMessage::kMeeting:
      return on_meeting(c, req, message.meeting());
    case v1::ClientMessage::kNote:
      return on_note(c, req, message.note());
    case v1::ClientMessage::kRoom:
      if (message.room().has_erase() || message.room().has_keep()) {
        return on_erase(c, req, message.room());
      }
      return on_room_command(c, req, message.room());
    case v1::ClientMessage::kConsult:
      return on_consult(c, req, message.consult());
    case v1::ClientMessage::kQuestion:
      return on_question(c, req, message.question());
    default:
      return send_error(p, req, v1::Error::UNKNOWN_KIND, "the message names no kind");
  }
}

void room::on_hello(connection& c, std::uint64_t req, const v1::Hello& hello) {
  auto p = c.p;
  if (!c.member_id.empty()) {
    return send_error(p, req, v1::Error::NOT_ALLOWED,
                      "this connection has already joined; send hello once per connection");
  }
  auto member_id = member_for_token(hello.token());
  if (member_id.empty()) {
    return emit([this, p, req] {
      send_error(p, req, v1::Error::UNAUTHORIZED,
                 "this invite link is not valid for this room; ask whoever invited you for "
                 "the link of your seat",
                 true);
      p->close({1008, "invalid invite token"});
    });
  }
  if (!is_valid_text(hello.name()) || !is_valid_text(hello.role()) ||
      !is_valid_text(hello.client_id())) {
    return send_error(p, req, v1::Error::BAD_FRAME,
                      "the name, role or client id is not valid UTF-8 text");
  }
  auto name = clean_text(hello.name());
  auto role = clean_text(hello.role());
  const auto max = options_.limits.max_name_chars;
  if (code_points(name) > max || code_points(role) > max) {
    return send_error(p, req, v1::Error::TOO_LARGE,
                      "names and roles can be at most " + std::to_string(max) + " characters");
  }
  for (const auto& [doc, rev] : hello.known_revisions()) {
    (void)rev;
    if (!is_valid_id(doc)) {
      return send_error(p, req, v1::Error::BAD_FRAME,
                        "knownRevisions names a document id that is not valid");
    }
  }
  if (member_connection_count() >= options_.limits.max_connections) {
    return emit([this, p, req] { refuse_full(p, req); });
  }
  // The same token on another device is the same member: keep what they told us before
  // unless they tell us something new.
  auto* seat = seat_of(member_id);
  seat_model updated = *seat;
  if (!name.empty()) updated.name = name;
  if (!role.empty()) updated.role = role;
  if (updated.name.empty()) updated.name = "Member " + std::to_string(updated.number);
  updated.taken = true;
  c.member_id = member_id;
  c.client_id = hello.client_id().substr(0, 64);

  auto welcome = [this, p, req, member_id, hello] {
    v1::ServerMessage m;
    m.set_re(req);
    auto* w = m.mutable_welcome();
    w->set_member_id(member_id);
    w->set_server_time_ms(clock_.wall_ms());
    *w->mutable_room() = snapshot(member_id);
    // Tell the client, per document, whether the edits it missed follow (catching up) or it
    // must take the text as it stands.
    for (auto& doc : *w->mutable_room()->mutable_docs()) {
      auto known = hello.known_revisions().find(doc.id());
      if (known == hello.known_revisions().end()) continue;
      auto* state = find_doc(doc.id());
      if (state && known->second <= state->announced_rev && state->text.ops_since(known->second)) {
        doc.set_catching_up(true);
      }
    }
    send_to(p, std::move(m));
    p->joined(member_id);
    if (auto* joined = find(p)) joined->welcomed = true;
    catch_up(p, hello);
    broadcast_presence();
    on_consult_presence(member_id);
  };
  bool changed = updated.name != seat->name || updated.role != seat->role || !seat->taken;
  *seat = updated;
  if (!changed) return emit(std::move(welcome));
  store::write_batch batch;
  batch.put_seat(seat_record_of(model_.id, *seat));
  batch.touch_room(model_.id, clock_.wall_ms());
  persist(std::move(batch), std::move(welcome),
          [this, p, req](const store::status& why) { fail_room(p, req, why); });
}

void room::catch_up(const participant_ptr& p, const v1::Hello& hello) {
  for (const auto& [doc_id, known] : hello.known_revisions()) {
    auto* doc = find_doc(doc_id);
    if (doc == nullptr) continue;
    auto edits = doc->text.ops_since(known);
    if (!edits) continue;  // too old: the welcome's text stands instead
    for (const auto& edit : *edits) {
      if (edit.rev > doc->announced_rev) break;  // the rest arrive as broadcasts
      v1::ServerMessage m;
      auto* a = m.mutable_applied();
      a->set_doc(doc_id);
      a->set_rev(edit.rev);
      op_to_wire(edit.op, a->mutable_op());
      a->set_author(edit.author);
      a->set_edit_id(edit.edit_id);
      a->set_at_ms(edit.at_ms);
      send_to(p, std::move(m));
    }
  }
}

void room::on_selection(connection& c, const v1::Selection& selection) {
  auto* doc = find_doc(selection.doc());
  if (doc == nullptr) {
    return send_error(c.p, 0, v1::Error::NOT_ALLOWED,
                      "there is no document with that id in this room");
  }
  auto* seat = seat_of(c.member_id);
  auto length = static_cast<std::uint32_t>(doc->text.length());
  seat->selection = {selection.doc(), std::min(selection.anchor(), length),
                     std::min(selection.head(), length)};
  emit([this] { broadcast_presence(); });
}

std::optional<std::int64_t> room::next_deadline() const {
  auto meeting = meeting_deadline();
  auto consult = consult_deadline();
  if (meeting && consult) return std::min(*meeting, *consult);
  return meeting ? meeting : consult;
}

void room::on_timer() {
  on_meeting_timer();
  on_consult_timer();
  observe_running();
}

void room::close_all(const close_reason& reason) {
  for (auto& c : connections_)
    c->p->close(reason);
}

// ---- monitoring ------------------------------------------------------------------------

void room::observe_running() {
  auto* o = options_.observer.get();
  if (o == nullptr) return;
  const auto mode = meeting_.mode();
  const bool meeting_running = mode == meeting_mode::task || mode == meeting_mode::reflection ||
                               mode == meeting_mode::paused;
  if (const bool now = meeting_running; now != meeting_observed_) {
    meeting_observed_ = now;
    now ? o->meeting_started() : o->meeting_stopped();
  }
  if (const bool now = consult_.is_active(); now != consult_observed_) {
    consult_observed_ = now;
    now ? o->consult_started() : o->consult_stopped();
  }
}

void room::observe_ack(std::int64_t received_ms) {
  if (options_.observer == nullptr) return;
  // Room time runs `scale` times faster than real time; the observer wants real seconds.
  const auto waited_ms = std::max<std::int64_t>(0, clock_.now_ms() - received_ms);
  options_.observer->edit_acknowledged(static_cast<double>(waited_ms) / clock_.scale() / 1000.0);
}

// ---- sending ---------------------------------------------------------------------------

void room::send_to(const participant_ptr& p, outbound& message) {
  p->deliver(message.frame(p->encoding()));
}

void room::send_to(const participant_ptr& p, v1::ServerMessage message) {
  outbound out(std::move(message));
  send_to(p, out);
}

void room::send_error(const participant_ptr& p, std::uint64_t req, v1::Error::Code code,
                      std::string message, bool fatal) {
  auto send = [this, p, req, code, message = std::move(message), fatal] {
    v1::ServerMessage m;
    m.set_re(req);
    auto* e = m.mutable_error();
    e->set_code(code);
    e->set_message(message);
    e->set_fatal(fatal);
    // Counted before it leaves, so whoever reads the error finds it counted.
    if (options_.observer) options_.observer->error_sent(code);
    send_to(p, std::move(m));
  };
  // Inside a flush (an output deciding to answer with an error) send at once; otherwise
  // queue behind earlier outputs so the order stays the order of events.
  if (flushing_) return send();
  emit(std::move(send));
}

void room::send_ack(const participant_ptr& p, std::uint64_t req, v1::Ack ack) {
  v1::ServerMessage m;
  m.set_re(req);
  *m.mutable_ack() = std::move(ack);
  send_to(p, std::move(m));
}

void room::broadcast(outbound& message, const participant* except) {
  for (auto& c : connections_) {
    if (c->p.get() == except || !c->welcomed) continue;
    send_to(c->p, message);
  }
}

void room::broadcast(v1::ServerMessage message, const participant* except) {
  outbound out(std::move(message));
  broadcast(out, except);
}

void room::broadcast_presence() {
  v1::ServerMessage m;
  *m.mutable_presence() = presence();
  broadcast(std::move(m));
}

std::size_t room::devices_of(const std::string& member_id) const {
  return static_cast<std::size_t>(
      std::count_if(connections_.begin(), connections_.end(),
                    [&](const auto& c) { return c->member_id == member_id; }));
}

std::size_t room::members_count() const {
  return static_cast<std::size_t>(std::count_if(model_.seats.begin(), model_.seats.end(),
                                                [](const auto& s) { return s.taken; }));
}

v1::Presence room::presence() const {
  v1::Presence p;
  for (const auto& s : model_.seats) {
    if (!s.taken) continue;
    auto* m = p.add_members();
    m->set_member_id(s.member_id);
    m->set_name(s.name);
    m->set_role(s.role);
    m->set_seat(s.number);
    auto devices = devices_of(s.member_id);
    m->set_online(devices > 0);
    m->set_devices(static_cast<std::uint32_t>(devices));
    if (!s.selection.doc.empty()) {
      auto* sel = m->mutable_selection();
      sel->set_doc(s.selection.doc);
      sel->set_anchor(s.selection.anchor);
      sel->set_head(s.selection.head);
    }
  }
  return p;
}

v1::RoomSnapshot room::snapshot(const std::string& member_id) const {
  v1::RoomSnapshot r;
  r.set_id(model_.id);
  r.set_title(model_.title);
  r.set_seats(static_cast<std::uint32_t>(model_.seats.size()));
  r.set_time_scale(clock_.scale());
  *r.mutable_members() = presence().members();
  for (const auto& d : model_.docs) {
    if (d.removed) continue;
    auto* doc = r.add_docs();
    *doc = document_to_wire(d, true);
    if (d.announced_rev < d.text.revision()) {
      // Later edits are still being saved; they follow as `applied` once durable.
      doc->set_rev(d.announced_rev);
      auto text = d.text.text_at(d.announced_rev);
      if (text) doc->set_text(text.value());
      doc->clear_authorship();
    }
  }
  for (const auto& m : model_.erase_confirmed_by)
    r.add_erase_confirmed_by(m);
  fill_meeting(r, member_id);
  fill_consult(r, member_id);
  settings_to_wire(model_.settings, r.mutable_settings());
  return r;
}

}  // namespace colead::room
