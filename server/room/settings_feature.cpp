#include "room/settings_feature.hpp"

#include <algorithm>
#include <utility>

#include "room/reflection_rule.hpp"
#include "room/room_records.hpp"
#include "room/wire.hpp"

namespace colead::room {

settings_feature::settings_feature(room_context& room, std::function<void()> erase)
    : room_(room), erase_(std::move(erase)) {}

std::vector<v1::ClientMessage::KindCase> settings_feature::kinds() const {
  return {v1::ClientMessage::kRoom};
}

void settings_feature::handle(const request& r, const v1::ClientMessage& message) {
  const auto& command = message.room();
  if (command.has_erase() || command.has_keep()) return on_erase(r, command);
  on_settings(r, command);
}

void settings_feature::fill_welcome(v1::RoomSnapshot& room, const std::string&,
                                    const v1::Hello&) const {
  for (const auto& m : room_.model().erase_confirmed_by)
    room.add_erase_confirmed_by(m);
  settings_to_wire(room_.model().settings, room.mutable_settings());
}

void settings_feature::changed(const request& r, std::function<void()> then) {
  const auto& model = room_.model();
  store::write_batch batch;
  batch.put_room(room_record_of(model, room_.time().wall_ms()));
  v1::ServerMessage changed;
  auto* rc = changed.mutable_room_changed();
  for (const auto& m : model.erase_confirmed_by)
    rc->add_erase_confirmed_by(m);
  rc->set_changed_by(r.member);
  settings_to_wire(model.settings, rc->mutable_settings());
  room_.commit(std::move(batch), r,
               [this, r, changed = std::move(changed), then = std::move(then)]() mutable {
                 room_.send_ack(r);
                 room_.broadcast(std::move(changed));
                 if (then) then();
               });
}

void settings_feature::on_settings(const request& r, const v1::RoomCommand& command) {
  if (!command.has_settings()) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED, "say which settings to change");
  }
  const auto& s = command.settings();
  if (s.reflection_target_pct() != 0 && !reflection_rule::valid_target(s.reflection_target_pct())) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            reflection_rule::target_problem(s.reflection_target_pct()));
  }
  if (s.nudge_lead_minutes() > 30) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED, "nudge_lead_minutes must be 1 to 30");
  }
  for (const auto& [name, value] : {std::pair{"auto_reflect", s.auto_reflect()},
                                    std::pair{"advance_when_ready", s.advance_when_ready()},
                                    std::pair{"share_with_cohort", s.share_with_cohort()}}) {
    if (!v1::RoomCommand::Toggle_IsValid(value)) {
      return room_.send_error(r, v1::Error::NOT_ALLOWED,
                              std::string(name) + " must be AUTO_ON or AUTO_OFF");
    }
  }
  auto& settings = room_.model().settings;
  if (s.reflection_target_pct() != 0) settings.reflection_target_pct = s.reflection_target_pct();
  if (s.nudge_lead_minutes() != 0) settings.nudge_lead_minutes = s.nudge_lead_minutes();
  if (s.auto_reflect() != v1::RoomCommand::TOGGLE_UNSPECIFIED) {
    settings.auto_reflect = s.auto_reflect() == v1::RoomCommand::AUTO_ON;
  }
  if (s.advance_when_ready() != v1::RoomCommand::TOGGLE_UNSPECIFIED) {
    settings.advance_when_ready = s.advance_when_ready() == v1::RoomCommand::AUTO_ON;
  }
  if (s.share_with_cohort() != v1::RoomCommand::TOGGLE_UNSPECIFIED) {
    // Who changed it, and when, is kept with it: every member sees who chose to share the
    // room's learning, or to stop sharing it.
    const bool share = s.share_with_cohort() == v1::RoomCommand::AUTO_ON;
    if (share != settings.share_with_cohort) {
      settings.share_with_cohort = share;
      settings.share_changed_by = r.member;
      settings.share_changed_at_ms = room_.time().wall_ms();
    }
  }
  changed(r, {});
}

void settings_feature::on_erase(const request& r, const v1::RoomCommand& command) {
  auto& confirmed = room_.model().erase_confirmed_by;
  if (command.has_keep()) {
    if (confirmed.empty()) {
      return room_.send_error(r, v1::Error::NOT_ALLOWED, "nobody has asked to erase this room");
    }
    confirmed.clear();
  } else if (std::find(confirmed.begin(), confirmed.end(), r.member) == confirmed.end()) {
    confirmed.push_back(r.member);
  }
  // Erased once every member (every seat taken) has confirmed: power is shared, so one
  // member cannot delete what the pair or trio wrote together.
  const bool everyone = !confirmed.empty() && confirmed.size() >= room_.members_count();
  changed(r, everyone ? erase_ : std::function<void()>());
}

}  // namespace colead::room
