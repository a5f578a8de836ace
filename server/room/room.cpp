#include "room/room.hpp"

#include <algorithm>
#include <cassert>

#include "ot/utf8.hpp"
#include "room/call_feature.hpp"
#include "room/consult_feature.hpp"
#include "room/documents_feature.hpp"
#include "room/learning_log.hpp"
#include "room/meeting_feature.hpp"
#include "room/outbound.hpp"
#include "room/programme_feature.hpp"
#include "room/room_records.hpp"
#include "room/settings_feature.hpp"
#include "room/text_limits.hpp"

namespace colead::room {

new_room make_room(std::string title, unsigned seats, const clock& clock,
                   const ot::server_options& doc_options, bool facilitator_seat) {
  new_room out;
  if (facilitator_seat) out.model.facilitator_seat = seats;
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

std::string facilitator_member(const room_model& model) {
  for (const auto& s : model.seats)
    if (s.number == model.facilitator_seat && s.taken) return s.member_id;
  return {};
}

std::string member_for_token(const room_model& model, std::string_view token) {
  if (token.empty()) return {};
  const token_hash h = hash_token(token);
  std::string member;
  // Compare against every seat so the time taken says nothing about which seat matched.
  for (const auto& s : model.seats)
    if (same_hash(s.hash, h)) member = s.member_id;
  return member;
}

room::room(room_model model, const clock& clock, journal& journal, room_options options)
    : context_(std::move(model), clock, journal, std::move(options)),
      consult_(std::make_unique<consult_feature>(context_)),
      meeting_(std::make_unique<meeting_feature>(context_)),
      log_(std::make_unique<learning_log>(context_, *meeting_, *consult_)),
      documents_(std::make_unique<documents_feature>(context_, *consult_)),
      settings_(std::make_unique<settings_feature>(context_, [this] { erase(); })),
      call_(std::make_unique<call_feature>(context_)),
      programme_(std::make_unique<programme_feature>(context_, *consult_)) {
  // The calls features make to each other.
  consult_->follow_with(*meeting_);
  meeting_->notes_from(*log_);
  features_ = {documents_.get(), meeting_.get(), log_.get(),      consult_.get(),
               settings_.get(),  call_.get(),    programme_.get()};
  for (auto* f : features_) {
    for (const auto kind : f->kinds()) {
      const bool first = by_kind_.emplace(kind, f).second;
      assert(first && "two features name the same message kind");
      (void)first;
    }
    f->restore(context_.model().items, restored_writes_);
    f->observe();
  }
  context_.after_each_write([this] {
    for (auto* f : features_)
      f->observe();
  });
  last_activity_ms_ = context_.model().created_at_ms;
  for (const auto& item : context_.model().items)
    last_activity_ms_ = std::max(last_activity_ms_, item.at_ms);
}

v1::RoomOverview room::overview() const {
  const auto& model = context_.model();
  v1::RoomOverview o;
  o.set_room_id(model.id);
  o.set_title(model.title);
  o.set_seats(static_cast<std::uint32_t>(model.seats.size()));
  o.set_members(static_cast<std::uint32_t>(context_.members_count()));
  for (const auto& seat : model.seats)
    if (seat.taken && context_.devices_of(seat.member_id) > 0) o.add_present(seat.name);
  o.set_last_activity_ms(last_activity_ms_);
  o.set_shares_learning(model.settings.share_with_cohort);
  for (const auto* f : features_)
    f->fill_overview(o);
  o.set_server_time_ms(context_.time().wall_ms());
  return o;
}

// Features tell the observer that a meeting or consult still running stops with the room.
room::~room() = default;

room_state room::state() const {
  room_state s;
  s.idle = context_.connections().empty() && context_.outbox_empty();
  s.broken = context_.broken();
  s.erase_due = erase_due_;
  return s;
}

std::size_t room::connection_count(bool members_only) const {
  const auto& all = context_.connections();
  if (!members_only) return all.size();
  return static_cast<std::size_t>(
      std::count_if(all.begin(), all.end(), [](const auto& c) { return !c->member_id.empty(); }));
}

void room::save_restored_items() {
  if (restored_writes_.empty()) return;
  store::write_batch batch;
  for (auto& item : restored_writes_)
    batch.put_item(std::move(item));
  restored_writes_.clear();
  context_.commit(std::move(batch), {}, {});
}

// ---- connections -----------------------------------------------------------------------

namespace {

// A fatal error, at once, and the connection closed.
void refuse(room_context& room, participant& p, std::uint64_t req, v1::Error::Code code,
            std::string message, close_reason close) {
  v1::ServerMessage m;
  m.set_re(req);
  auto* e = m.mutable_error();
  e->set_code(code);
  e->set_message(std::move(message));
  e->set_fatal(true);
  if (room.observer()) room.observer()->error_sent(code);
  room.send_to(p, std::move(m));
  p.close(std::move(close));
}

void refuse_full(room_context& room, participant& p, std::uint64_t req) {
  refuse(room, p, req, v1::Error::ROOM_FULL,
         "this room already has " + std::to_string(room.options().limits.max_connections) +
             " devices connected, its limit; close another tab or device and try again",
         {1013, "room at its connection limit"});
}

}  // namespace

bool room::attach(const std::shared_ptr<participant>& p) {
  if (erase_due_) {
    refuse(context_, *p, 0, v1::Error::ROOM_NOT_FOUND, "this room has been erased",
           {1008, "room erased"});
    return false;
  }
  if (context_.broken()) {
    refuse_full(context_, *p, 0);
    return false;
  }
  // Only members count against the room's limit (at hello): a connection that never says
  // hello is closed by its session at the hello deadline and cannot keep members out.
  context_.connections().push_back(
      std::make_unique<room_context::connection>(room_context::connection{p, p.get(), {}}));
  return true;
}

void room::detach(const std::shared_ptr<participant>& p) {
  auto& all = context_.connections();
  auto it = std::find_if(all.begin(), all.end(), [&](const auto& c) { return c->key == p.get(); });
  if (it == all.end()) return;
  const std::string member = (*it)->member_id;
  all.erase(it);
  ++overview_generation_;
  if (!member.empty()) {
    context_.emit([this] { context_.broadcast_presence(); });
    presence_changed(member);
  }
  for (auto* f : features_)
    f->observe();
}

void room::presence_changed(const std::string& member) {
  for (auto* f : features_)
    f->presence_changed(member);
}

void room::reject(const std::shared_ptr<participant>& p, std::uint64_t req, v1::Error::Code code,
                  std::string message) {
  if (context_.observer()) context_.observer()->message_refused();
  context_.send_error({p, {}, req}, code, std::move(message));
}

void room::handle(const std::shared_ptr<participant>& p, const v1::ClientMessage& message) {
  auto* c = context_.find(p.get());
  if (c == nullptr || context_.broken()) return;
  if (context_.observer()) context_.observer()->message_received(message.kind_case());
  const request r{p, c->member_id, message.req()};
  const auto kind = message.kind_case();
  if (!c->member_id.empty()) {
    // Edits and carets change nothing a facilitator sees but the activity, which the
    // overview shows to the minute.
    const auto now = context_.time().wall_ms();
    const bool quiet = kind == v1::ClientMessage::kEdit || kind == v1::ClientMessage::kSelection ||
                       kind == v1::ClientMessage::kPing;
    if (!quiet || now / 60'000 != last_activity_ms_ / 60'000) ++overview_generation_;
    last_activity_ms_ = now;
  } else {
    ++overview_generation_;
  }
  if (kind == v1::ClientMessage::kHello) {
    on_hello(r, *c, message.hello());
  } else if (c->member_id.empty()) {
    context_.send_error(r, v1::Error::NOT_JOINED,
                        "send hello with your invite token before anything else");
  } else if (kind == v1::ClientMessage::kPing) {
    context_.emit([this, r] {
      v1::ServerMessage m;
      m.set_re(r.req);
      m.mutable_pong()->set_server_time_ms(context_.time().wall_ms());
      if (auto to = r.from.lock()) context_.send_to(*to, std::move(m));
    });
  } else if (kind == v1::ClientMessage::kSelection) {
    on_selection(r, message.selection());
  } else {
    const auto it = by_kind_.find(kind);
    if (it == by_kind_.end()) {
      context_.send_error(r, v1::Error::UNKNOWN_KIND, "the message names no kind");
    } else {
      it->second->handle(r, message);
    }
  }
  for (auto* f : features_)
    f->observe();
}

void room::on_hello(const request& r, room_context::connection& c, const v1::Hello& hello) {
  if (!c.member_id.empty()) {
    return context_.send_error(
        r, v1::Error::NOT_ALLOWED,
        "this connection has already joined; send hello once per connection");
  }
  auto member_id = member_for_token(context_.model(), hello.token());
  if (member_id.empty()) {
    return context_.emit([this, r] {
      context_.send_error(r, v1::Error::UNAUTHORIZED,
                          "this invite link is not valid for this room; ask whoever invited you "
                          "for the link of your seat",
                          true);
      if (auto p = r.from.lock()) p->close({1008, "invalid invite token"});
    });
  }
  if (!is_valid_text(hello.name()) || !is_valid_text(hello.role()) ||
      !is_valid_text(hello.client_id())) {
    return context_.send_error(r, v1::Error::BAD_FRAME,
                               "the name, role or client id is not valid UTF-8 text");
  }
  auto name = clean_text(hello.name());
  auto role = clean_text(hello.role());
  const auto& limits = context_.options().limits;
  const auto max = limits.max_name_chars;
  if (ot::utf8::count_code_points(name) > max || ot::utf8::count_code_points(role) > max) {
    return context_.send_error(
        r, v1::Error::TOO_LARGE,
        "names and roles can be at most " + std::to_string(max) + " characters");
  }
  for (const auto& [doc, rev] : hello.known_revisions()) {
    (void)rev;
    if (!is_valid_id(doc)) {
      return context_.send_error(r, v1::Error::BAD_FRAME,
                                 "knownRevisions names a document id that is not valid");
    }
  }
  if (connection_count(true) >= limits.max_connections) {
    return context_.emit([this, r] {
      if (auto p = r.from.lock()) refuse_full(context_, *p, r.req);
    });
  }
  // The same token on another device is the same member: keep what they told us before
  // unless they tell us something new.
  auto* seat = context_.seat_of(member_id);
  seat_model updated = *seat;
  if (!name.empty()) updated.name = name;
  if (!role.empty()) updated.role = role;
  if (updated.name.empty()) updated.name = "Member " + std::to_string(updated.number);
  updated.taken = true;
  c.member_id = member_id;

  auto welcome = [this, r, member_id, hello] {
    const auto& model = context_.model();
    v1::ServerMessage m;
    m.set_re(r.req);
    auto* w = m.mutable_welcome();
    w->set_member_id(member_id);
    w->set_server_time_ms(context_.time().wall_ms());
    auto* room = w->mutable_room();
    room->set_id(model.id);
    room->set_title(model.title);
    room->set_seats(static_cast<std::uint32_t>(model.seats.size()));
    room->set_time_scale(context_.time().scale());
    *room->mutable_members() = context_.presence().members();
    for (const auto* f : features_)
      f->fill_welcome(*room, member_id, hello);
    if (const auto& ice = context_.options().ice_servers) {
      for (auto& server : ice(member_id))
        *w->add_ice_servers() = std::move(server);
    }
    if (auto p = r.from.lock()) {
      context_.send_to(*p, std::move(m));
      p->joined(member_id);
      if (auto* joined = context_.find(p.get())) joined->welcomed = true;
      for (auto* f : features_)
        f->after_welcome(p, hello);
    }
    context_.broadcast_presence();
    presence_changed(member_id);
  };
  const bool changed = updated.name != seat->name || updated.role != seat->role || !seat->taken;
  *seat = updated;
  if (!changed) return context_.emit(std::move(welcome));
  store::write_batch batch;
  batch.put_seat(seat_record_of(context_.model().id, *seat));
  batch.touch_room(context_.model().id, context_.time().wall_ms());
  context_.commit(std::move(batch), {r.from, member_id, r.req}, std::move(welcome));
}

void room::on_selection(const request& r, const v1::Selection& selection) {
  const document_state* doc = nullptr;
  for (const auto& d : context_.model().docs)
    if (d.id == selection.doc() && !d.removed) doc = &d;
  if (doc == nullptr) {
    return context_.send_error({r.from, r.member, 0}, v1::Error::NOT_ALLOWED,
                               "there is no document with that id in this room");
  }
  auto* seat = context_.seat_of(r.member);
  auto length = static_cast<std::uint32_t>(doc->text.length());
  seat->selection = {selection.doc(), std::min(selection.anchor(), length),
                     std::min(selection.head(), length)};
  context_.emit([this] { context_.broadcast_presence(); });
}

std::optional<std::int64_t> room::next_deadline() const {
  std::optional<std::int64_t> first;
  for (const auto* f : features_) {
    const auto at = f->next_deadline();
    if (at && (!first || *at < *first)) first = at;
  }
  return first;
}

void room::on_timer() {
  ++overview_generation_;
  for (auto* f : features_)
    f->on_timer();
  for (auto* f : features_)
    f->observe();
}

void room::close_all(const close_reason& reason) {
  context_.close_all(reason);
}

result<std::string> room::reissue_invite(std::uint32_t number) {
  auto& seats = context_.model().seats;
  auto seat =
      std::find_if(seats.begin(), seats.end(), [&](const auto& s) { return s.number == number; });
  if (seat == seats.end()) {
    return status::not_found("this room has seats 1 to " + std::to_string(seats.size()) +
                             "; there is no seat " + std::to_string(number));
  }
  auto token = make_token();
  seat->hash = hash_token(token);
  store::write_batch batch;
  batch.put_seat(seat_record_of(context_.model().id, *seat));
  batch.touch_room(context_.model().id, context_.time().wall_ms());
  context_.commit(std::move(batch), {}, [this, member = seat->member_id] {
    // Every device that joined with the old token leaves the room now.
    std::vector<std::shared_ptr<participant>> holding;
    auto& all = context_.connections();
    for (auto it = all.begin(); it != all.end();) {
      if ((*it)->member_id != member) {
        ++it;
        continue;
      }
      if (auto p = (*it)->p.lock()) holding.push_back(std::move(p));
      it = all.erase(it);
    }
    for (const auto& p : holding) {
      refuse(context_, *p, 0, v1::Error::UNAUTHORIZED,
             "your invite link has been replaced by a new one, so this device has left the "
             "room; ask the person who created the room for your new link",
             {1008, "invite link replaced"});
    }
    if (holding.empty()) return;
    context_.broadcast_presence();
    presence_changed(member);
    for (auto* f : features_)
      f->observe();
  });
  return token;
}

void room::erase() {
  erase_due_ = true;
  context_.close_all({1000, "this room has been erased"});
}

}  // namespace colead::room
