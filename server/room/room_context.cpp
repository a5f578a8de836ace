#include "room/room_context.hpp"

#include <algorithm>

#include "room/outbound.hpp"

namespace colead::room {

room_context::room_context(room_model model, const clock& clock, journal& journal,
                           room_options options)
    : model_(std::move(model)), clock_(clock), journal_(journal), options_(std::move(options)) {}

// ---- connections -----------------------------------------------------------------------

room_context::connection* room_context::find(const participant* p) {
  for (auto& c : connections_)
    if (c->key == p) return c.get();
  return nullptr;
}

std::size_t room_context::devices_of(const std::string& member) const {
  return static_cast<std::size_t>(
      std::count_if(connections_.begin(), connections_.end(),
                    [&](const auto& c) { return c->member_id == member; }));
}

std::size_t room_context::members_count() const {
  return static_cast<std::size_t>(std::count_if(model_.seats.begin(), model_.seats.end(),
                                                [](const auto& s) { return s.taken; }));
}

seat_model* room_context::seat_of(const std::string& member) {
  for (auto& s : model_.seats)
    if (s.member_id == member) return &s;
  return nullptr;
}

void room_context::close_all(const close_reason& reason) {
  for (auto& c : connections_)
    if (auto p = c->p.lock()) p->close(reason);
}

// ---- outbox ----------------------------------------------------------------------------

void room_context::commit(store::write_batch batch, const request& by,
                          std::function<void()> on_durable) {
  const std::uint64_t seq = outbox_base_ + outbox_.size();
  outbox_.push_back(
      {false, {}, std::move(on_durable), [this, by](const store::status& why) { fail(by, why); }});
  journal_.save(std::move(batch),
                [this, seq](store::status result) { complete(seq, std::move(result)); });
}

void room_context::emit(std::function<void()> then) {
  outbox_.push_back({true, {}, std::move(then), {}});
  flush();
}

void room_context::after_writes(std::function<void()> then) {
  outbox_.push_back({true, {}, std::move(then), {}, true});
  flush();
}

void room_context::complete(std::uint64_t seq, store::status result) {
  if (seq < outbox_base_ || seq >= outbox_base_ + outbox_.size()) return;
  auto& entry = outbox_[seq - outbox_base_];
  entry.done = true;
  entry.result = std::move(result);
  flush();
  if (after_write_) after_write_();
}

void room_context::flush() {
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

void room_context::fail(const request& by, const store::status& why) {
  if (broken_) return;
  if (auto author = by.from.lock()) {
    v1::ServerMessage m;
    m.set_re(by.req);
    auto* e = m.mutable_error();
    e->set_code(v1::Error::INTERNAL);
    e->set_message("the server could not save this change (" + why.message() +
                   "); it was not applied. Reconnect and try again.");
    e->set_fatal(true);
    if (observer()) observer()->error_sent(v1::Error::INTERNAL);
    send_to(*author, std::move(m));
  }
  // The room's memory now holds a change the store does not: drop it all and let clients
  // reconnect to a room reloaded from what is durable.
  broken_ = true;
  close_all({1011, "the server could not save a change; reconnect"});
}

// ---- sending ---------------------------------------------------------------------------

void room_context::send_to(participant& p, outbound& message) {
  p.deliver(message);
}

void room_context::send_to(participant& p, v1::ServerMessage message) {
  outbound out(std::move(message));
  send_to(p, out);
}

void room_context::send_error(const request& to, v1::Error::Code code, std::string message,
                              bool fatal) {
  auto send = [this, to = to.from, req = to.req, code, message = std::move(message), fatal] {
    auto p = to.lock();
    if (!p) return;
    v1::ServerMessage m;
    m.set_re(req);
    auto* e = m.mutable_error();
    e->set_code(code);
    e->set_message(message);
    e->set_fatal(fatal);
    // Counted before it leaves, so whoever reads the error finds it counted.
    if (observer()) observer()->error_sent(code);
    send_to(*p, std::move(m));
  };
  // Inside a flush (an output deciding to answer with an error) send at once; otherwise
  // queue behind earlier outputs so the order stays the order of events.
  if (flushing_) return send();
  emit(std::move(send));
}

void room_context::send_ack(const request& to, v1::Ack ack) {
  auto p = to.from.lock();
  if (!p) return;
  v1::ServerMessage m;
  m.set_re(to.req);
  *m.mutable_ack() = std::move(ack);
  send_to(*p, std::move(m));
}

void room_context::broadcast(outbound& message, const participant* except) {
  for (auto& c : connections_) {
    if (c->key == except || !c->welcomed) continue;
    if (auto p = c->p.lock()) send_to(*p, message);
  }
}

void room_context::broadcast(v1::ServerMessage message, const participant* except) {
  outbound out(std::move(message));
  broadcast(out, except);
}

void room_context::send_to_member(const std::string& member, v1::ServerMessage message) {
  outbound out(std::move(message));
  for (auto& c : connections_)
    if (c->welcomed && c->member_id == member) {
      if (auto p = c->p.lock()) send_to(*p, out);
    }
}

void room_context::broadcast_presence() {
  v1::ServerMessage m;
  *m.mutable_presence() = presence();
  broadcast(std::move(m));
}

v1::Presence room_context::presence() const {
  v1::Presence p;
  for (const auto& s : model_.seats) {
    if (!s.taken) continue;
    auto* m = p.add_members();
    m->set_member_id(s.member_id);
    m->set_name(s.name);
    m->set_role(s.role);
    m->set_seat(s.number);
    m->set_facilitator(s.number == model_.facilitator_seat);
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

void room_context::observe_ack(std::int64_t received_ms) const {
  if (observer() == nullptr) return;
  // Room time runs `scale` times faster than real time; the observer wants real seconds.
  const auto waited_ms = std::max<std::int64_t>(0, clock_.now_ms() - received_ms);
  observer()->edit_acknowledged(static_cast<double>(waited_ms) / clock_.scale() / 1000.0);
}

bool room_context::activity_due(std::int64_t wall_ms) {
  if (activity_saved_ms_ && wall_ms >= *activity_saved_ms_ &&
      wall_ms - *activity_saved_ms_ < activity_resolution_ms) {
    return false;
  }
  activity_saved_ms_ = wall_ms;
  return true;
}

}  // namespace colead::room
