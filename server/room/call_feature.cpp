#include "room/call_feature.hpp"

#include <algorithm>

namespace colead::room {

call_feature::call_feature(room_context& room) : room_(room) {}

std::vector<v1::ClientMessage::KindCase> call_feature::kinds() const {
  return {v1::ClientMessage::kCall, v1::ClientMessage::kSignal};
}

bool call_feature::valid_session(std::string_view session) {
  if (session.size() < 8 || session.size() > 64) return false;
  return std::all_of(session.begin(), session.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

v1::CallState call_feature::state() const {
  v1::CallState s;
  for (const auto& m : members_) {
    auto* out = s.add_members();
    out->set_member_id(m.member);
    out->set_session(m.session);
    out->set_muted(m.muted);
    out->set_camera_on(m.camera_on);
    out->set_no_microphone(m.no_microphone);
    out->set_joined_at_ms(m.joined_at_ms);
  }
  s.set_video_limit(static_cast<std::uint32_t>(room_.options().limits.call_video_limit));
  return s;
}

void call_feature::fill_welcome(v1::RoomSnapshot& room, const std::string&,
                                const v1::Hello&) const {
  *room.mutable_call() = state();
}

void call_feature::handle(const request& r, const v1::ClientMessage& message) {
  if (message.has_signal()) return on_signal(r, message.signal());
  const auto& command = message.call();
  switch (command.action_case()) {
    case v1::CallCommand::kJoin:
      return on_join(r, command.join());
    case v1::CallCommand::kLeave:
      return on_leave(r);
    case v1::CallCommand::kMedia:
      return on_media(r, command.media());
    case v1::CallCommand::ACTION_NOT_SET:
      break;
  }
  room_.send_error(r, v1::Error::NOT_ALLOWED, "a call command says join, leave or media");
}

call_feature::in_call* call_feature::find(const std::string& member) {
  auto it = std::find_if(members_.begin(), members_.end(),
                         [&](const auto& m) { return m.member == member; });
  return it == members_.end() ? nullptr : &*it;
}

call_feature::in_call* call_feature::from_device(const request& r) {
  auto* m = find(r.member);
  if (m == nullptr) return nullptr;
  auto p = r.from.lock();
  return p && p.get() == m->key ? m : nullptr;
}

void call_feature::on_join(const request& r, const v1::CallCommand::Join& join) {
  if (!valid_session(join.session())) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "a call session id is 8 to 64 letters, digits, '-' or '_'; make a "
                            "new random one for each time you join");
  }
  auto device = r.from.lock();
  if (!device) return;
  in_call joined;
  joined.member = r.member;
  joined.session = join.session();
  joined.no_microphone = join.no_microphone();
  joined.muted = join.muted() || join.no_microphone();
  joined.camera_on = join.camera_on();
  joined.joined_at_ms = room_.time().wall_ms();
  joined.device = device;
  joined.key = device.get();
  if (auto* already = find(r.member)) {
    if (already->key == joined.key && already->session == joined.session) {
      // The same join again (a resend): only the microphone and camera may have changed.
      const bool changed = already->muted != joined.muted ||
                           already->camera_on != joined.camera_on ||
                           already->no_microphone != joined.no_microphone;
      already->muted = joined.muted;
      already->camera_on = joined.camera_on;
      already->no_microphone = joined.no_microphone;
      return answer(r, changed);
    }
    // One device per member in the call: joining again (from another device, or with a new
    // session after a reconnect) takes the member out of the call they were in first.
    members_.erase(members_.begin() + (already - members_.data()));
  }
  members_.push_back(std::move(joined));
  answer(r, true);
}

void call_feature::on_leave(const request& r) {
  auto* m = from_device(r);
  if (m == nullptr) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED, "this device is not in the call");
  }
  members_.erase(members_.begin() + (m - members_.data()));
  answer(r, true);
}

void call_feature::on_media(const request& r, const v1::CallCommand::Media& media) {
  auto* m = from_device(r);
  if (m == nullptr) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "this device is not in the call; join it before saying how your "
                            "microphone and camera are");
  }
  const bool muted = media.muted() || media.no_microphone();
  const bool changed = m->muted != muted || m->camera_on != media.camera_on() ||
                       m->no_microphone != media.no_microphone();
  m->muted = muted;
  m->camera_on = media.camera_on();
  m->no_microphone = media.no_microphone();
  answer(r, changed);
}

void call_feature::on_signal(const request& r, const v1::Signal& signal) {
  // The refusals below never quote the signal: its payload names the member's addresses.
  const auto* sender = from_device(r);
  if (sender == nullptr) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "this device is not in the call; join the call before sending "
                            "signals");
  }
  const auto max = room_.options().limits.max_signal_bytes;
  const auto size = signal.ByteSizeLong();
  if (size > max) {
    return room_.send_error(r, v1::Error::TOO_LARGE,
                            "a signal is at most " + std::to_string(max) + " bytes; this one has " +
                                std::to_string(size));
  }
  const bool described = signal.has_description() &&
                         signal.description().type() != v1::SessionDescription::TYPE_UNSPECIFIED;
  if (!described && !signal.has_candidate()) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "a signal carries a description (an OFFER or ANSWER) or an ICE "
                            "candidate");
  }
  if (signal.to().empty()) {
    return room_.send_error(r, v1::Error::NOT_FOUND,
                            "a signal names the member it is for in `to`; this one names no one");
  }
  if (signal.to() == r.member) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "a signal is for another member in the call, not for yourself");
  }
  const auto* seat = room_.seat_of(signal.to());
  if (seat == nullptr || !seat->taken) {
    return room_.send_error(r, v1::Error::NOT_FOUND,
                            "the member a signal names in `to` is not a member of this room");
  }
  const auto* target = find(signal.to());
  if (target == nullptr) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "the member a signal names in `to` is not in the call");
  }
  v1::ServerMessage relayed;
  auto* out = relayed.mutable_signal();
  *out = signal;
  // Who it is from is the server's to say, never the sender's.
  out->set_from(r.member);
  out->set_session(sender->session);
  room_.emit([this, to = target->device, relayed = std::move(relayed)]() mutable {
    if (auto p = to.lock()) room_.send_to(*p, std::move(relayed));
  });
}

void call_feature::presence_changed(const std::string& member) {
  auto* m = find(member);
  if (m == nullptr) return;
  // Still connected when its connection is still attached to the room.
  const auto* c = room_.find(m->key);
  if (c != nullptr && c->member_id == member && !m->device.expired()) return;
  members_.erase(members_.begin() + (m - members_.data()));
  broadcast_state();
}

void call_feature::answer(const request& r, bool changed) {
  room_.emit([this, r] { room_.send_ack(r); });
  if (changed) broadcast_state();
}

void call_feature::broadcast_state() {
  v1::ServerMessage m;
  *m.mutable_call_state() = state();
  room_.emit([this, m = std::move(m)]() mutable { room_.broadcast(std::move(m)); });
}

}  // namespace colead::room
