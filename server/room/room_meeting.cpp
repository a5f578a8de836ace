// Meetings that keep the 40 per cent reflection rule, the learning log, and the room's
// shared settings.
#include "room/room.hpp"

namespace colead::room {

void room::on_meeting(connection& c, std::uint64_t req, const v1::MeetingCommand&) {
  send_error(c.p, req, v1::Error::NOT_ALLOWED, "meetings are not available on this server yet");
}

void room::on_note(connection& c, std::uint64_t req, const v1::NoteCommand&) {
  send_error(c.p, req, v1::Error::NOT_ALLOWED,
             "the learning log is not available on this server yet");
}

void room::on_room_command(connection& c, std::uint64_t req, const v1::RoomCommand&) {
  send_error(c.p, req, v1::Error::NOT_ALLOWED,
             "room settings are not available on this server yet");
}

std::optional<std::int64_t> room::meeting_deadline() const {
  return std::nullopt;
}

void room::on_meeting_timer() {}

void room::fill_meeting(v1::RoomSnapshot&, const std::string&) const {}

}  // namespace colead::room
