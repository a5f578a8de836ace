// Consulting to each other: a consulting script run inside the room.
#include "room/room.hpp"

namespace colead::room {

void room::on_consult(connection& c, std::uint64_t req, const v1::ConsultCommand&) {
  send_error(c.p, req, v1::Error::NOT_ALLOWED,
             "consulting rounds are not available on this server yet");
}

void room::on_question(connection& c, std::uint64_t req, const v1::Question&) {
  send_error(c.p, req, v1::Error::NOT_ALLOWED,
             "consulting rounds are not available on this server yet");
}

std::optional<std::int64_t> room::consult_deadline() const {
  return std::nullopt;
}

void room::on_consult_timer() {}

void room::fill_consult(v1::RoomSnapshot&, const std::string&) const {}

}  // namespace colead::room
