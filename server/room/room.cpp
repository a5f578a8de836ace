#include "room/room.hpp"

#include <algorithm>

#include "room/outbound.hpp"
#include "room/text_limits.hpp"

namespace colead::room {

// One device's connection and what the room knows of it.
struct room::connection {
  std::shared_ptr<participant> p;  // the session
  std::string member_id;           // empty until hello succeeds
  std::string client_id;           // the device's own id, from hello
};

new_room make_room(std::string title, unsigned seats, const clock& clock) {
  new_room out;
  out.model.id = make_id();
  out.model.title = std::move(title);
  out.model.created_at_ms = clock.wall_ms();
  for (unsigned n = 1; n <= seats; ++n) {
    out.tokens.push_back(make_token());
    seat_model seat;
    seat.number = n;
    seat.hash = hash_token(out.tokens.back());
    seat.member_id = "m" + std::to_string(n);
    out.model.seats.push_back(std::move(seat));
  }
  out.model.docs.push_back({purpose_doc_id, "Shared purpose", "", 0});
  out.model.docs.push_back({principles_doc_id, "Shared principles", "", 0});
  return out;
}

room::room(room_model model, const clock& clock, room_limits limits)
    : model_(std::move(model)), clock_(clock), limits_(limits) {}

room::~room() = default;

room::connection* room::find(const std::shared_ptr<participant>& p) {
  for (auto& c : connections_)
    if (c->p == p) return c.get();
  return nullptr;
}

bool room::attach(const std::shared_ptr<participant>& p) {
  if (connections_.size() >= limits_.max_connections) {
    v1::ServerMessage m;
    auto* e = m.mutable_error();
    e->set_code(v1::Error::ROOM_FULL);
    e->set_message("this room already has " + std::to_string(limits_.max_connections) +
                   " connections open, its limit; close another tab or device and try again");
    e->set_fatal(true);
    outbound out(std::move(m));
    p->deliver(out.frame(p->encoding()));
    p->close({1013, "room at its connection limit"});
    return false;
  }
  connections_.push_back(std::make_unique<connection>(connection{p, {}, {}}));
  return true;
}

void room::detach(const std::shared_ptr<participant>& p) {
  auto it = std::find_if(connections_.begin(), connections_.end(),
                         [&](const auto& c) { return c->p == p; });
  if (it == connections_.end()) return;
  std::string member = (*it)->member_id;
  connections_.erase(it);
  // Someone's last device leaving changes what everyone sees; another device leaving only
  // changes the device count, which is shown too.
  if (!member.empty()) broadcast_presence();
}

void room::reject(const std::shared_ptr<participant>& p, std::uint64_t req, v1::Error::Code code,
                  std::string message) {
  if (auto* c = find(p)) send_error(*c, req, code, std::move(message));
}

void room::handle(const std::shared_ptr<participant>& p, const v1::ClientMessage& message) {
  connection* c = find(p);
  if (c == nullptr) return;
  const auto req = message.req();
  if (message.kind_case() == v1::ClientMessage::kHello) return on_hello(*c, req, message.hello());
  if (c->member_id.empty()) {
    return send_error(*c, req, v1::Error::NOT_JOINED,
                      "send hello with your invite token before anything else");
  }
  switch (message.kind_case()) {
    case v1::ClientMessage::kPing: {
      v1::ServerMessage m;
      m.set_re(req);
      m.mutable_pong()->set_server_time_ms(clock_.wall_ms());
      outbound out(std::move(m));
      return send(*c, out);
    }
    case v1::ClientMessage::kSelection:
      return on_selection(*c, message.selection());
    case v1::ClientMessage::kEdit:
    case v1::ClientMessage::kDocument:
      return send_error(*c, req, v1::Error::NOT_ALLOWED,
                        "co-editing documents is not available on this server yet");
    case v1::ClientMessage::kMeeting:
    case v1::ClientMessage::kNote:
      return send_error(*c, req, v1::Error::NOT_ALLOWED,
                        "meetings and the learning log are not available on this server yet");
    case v1::ClientMessage::kConsult:
    case v1::ClientMessage::kQuestion:
      return send_error(*c, req, v1::Error::NOT_ALLOWED,
                        "consulting rounds are not available on this server yet");
    case v1::ClientMessage::kRoom:
      return send_error(*c, req, v1::Error::NOT_ALLOWED,
                        "room settings are not available on this server yet");
    default:
      return send_error(*c, req, v1::Error::UNKNOWN_KIND, "the message names no kind");
  }
}

void room::on_hello(connection& c, std::uint64_t req, const v1::Hello& hello) {
  if (!c.member_id.empty()) {
    return send_error(c, req, v1::Error::NOT_ALLOWED,
                      "this connection has already joined; send hello once per connection");
  }
  // Compare against every seat, in constant time each, so the time taken says nothing about
  // which seat (if any) came close.
  const token_hash h = hash_token(hello.token());
  seat_model* seat = nullptr;
  for (auto& s : model_.seats)
    if (same_hash(s.hash, h)) seat = &s;
  if (hello.token().empty() || seat == nullptr) {
    send_error(c, req, v1::Error::UNAUTHORIZED,
               "this invite link is not valid for this room; ask whoever invited you for the "
               "link of your seat",
               true);
    return c.p->close({1008, "invalid invite token"});
  }
  auto name = clean_text(hello.name());
  auto role = clean_text(hello.role());
  if (code_points(name) > limits_.max_name_chars || code_points(role) > limits_.max_name_chars) {
    return send_error(
        c, req, v1::Error::TOO_LARGE,
        "names and roles can be at most " + std::to_string(limits_.max_name_chars) + " characters");
  }
  if (!is_valid_text(hello.name()) || !is_valid_text(hello.role())) {
    return send_error(c, req, v1::Error::BAD_FRAME, "the name or role is not valid UTF-8 text");
  }
  // The same token on another device is the same member: keep what they told us before
  // unless they tell us something new.
  if (!name.empty()) seat->name = name;
  if (!role.empty()) seat->role = role;
  if (seat->name.empty()) seat->name = "Member " + std::to_string(seat->number);
  seat->taken = true;
  c.member_id = seat->member_id;
  c.client_id = hello.client_id();

  v1::ServerMessage m;
  m.set_re(req);
  auto* w = m.mutable_welcome();
  w->set_member_id(c.member_id);
  w->set_server_time_ms(clock_.wall_ms());
  *w->mutable_room() = snapshot(c.member_id);
  outbound out(std::move(m));
  send(c, out);
  broadcast_presence();
}

void room::on_selection(connection& c, const v1::Selection& selection) {
  auto doc = std::find_if(model_.docs.begin(), model_.docs.end(),
                          [&](const auto& d) { return d.id == selection.doc(); });
  if (doc == model_.docs.end()) {
    return send_error(c, 0, v1::Error::NOT_ALLOWED,
                      "there is no document '" + selection.doc().substr(0, 64) + "' in this room");
  }
  for (auto& s : model_.seats) {
    if (s.member_id != c.member_id) continue;
    s.selection = {selection.doc(), selection.anchor(), selection.head()};
  }
  broadcast_presence();
}

std::optional<std::int64_t> room::next_deadline() const {
  return std::nullopt;
}

void room::on_timer() {}

void room::close_all(const close_reason& reason) {
  for (auto& c : connections_)
    c->p->close(reason);
}

void room::send(connection& c, outbound& message) {
  c.p->deliver(message.frame(c.p->encoding()));
}

void room::send_error(connection& c, std::uint64_t req, v1::Error::Code code, std::string message,
                      bool fatal) {
  v1::ServerMessage m;
  m.set_re(req);
  auto* e = m.mutable_error();
  e->set_code(code);
  e->set_message(std::move(message));
  e->set_fatal(fatal);
  outbound out(std::move(m));
  send(c, out);
}

void room::broadcast(outbound& message, const connection* except) {
  for (auto& c : connections_) {
    if (c.get() == except || c->member_id.empty()) continue;
    send(*c, message);
  }
}

void room::broadcast_presence() {
  v1::ServerMessage m;
  *m.mutable_presence() = presence();
  outbound out(std::move(m));
  broadcast(out);
}

std::size_t room::devices_of(const std::string& member_id) const {
  return static_cast<std::size_t>(
      std::count_if(connections_.begin(), connections_.end(),
                    [&](const auto& c) { return c->member_id == member_id; }));
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

v1::RoomSnapshot room::snapshot(const std::string& /*member_id*/) const {
  v1::RoomSnapshot r;
  r.set_id(model_.id);
  r.set_title(model_.title);
  r.set_seats(static_cast<std::uint32_t>(model_.seats.size()));
  r.set_time_scale(clock_.scale());
  *r.mutable_members() = presence().members();
  for (const auto& d : model_.docs) {
    auto* doc = r.add_docs();
    doc->set_id(d.id);
    doc->set_title(d.title);
    doc->set_rev(d.rev);
    doc->set_text(d.text);
  }
  auto* s = r.mutable_settings();
  s->set_reflection_target_pct(model_.settings.reflection_target_pct);
  s->set_nudge_lead_minutes(model_.settings.nudge_lead_minutes);
  s->set_auto_reflect(model_.settings.auto_reflect);
  s->set_advance_when_ready(model_.settings.advance_when_ready);
  return r;
}

}  // namespace colead::room
