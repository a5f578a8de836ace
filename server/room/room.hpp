// A room: the persistent space of one pair, trio or set, and the only place its state
// changes.
//
// Design. A room holds its seats (one invite token each, stored only as a hash), the
// members who took them, its documents, its meeting and consult, and the connections of
// members' devices. Network sessions decode frames and forward ClientMessages here; the room
// answers and broadcasts through the participant interface, serialising each broadcast once
// per encoding. Time comes from an injected clock, so tests run it by hand.
//
// Invariants:
//  - a seat's token is one member: every connection that says hello with it is that member
//    (another device), never a new one, so a room never has more members than seats;
//  - a rejected message changes nothing and gets exactly one `error` naming what was wrong;
//  - nothing is broadcast about a change before it is durable (see `journal`).
//
// Thread safety: none. The network layer calls every member function on the room's own
// strand; domain code takes no locks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codec.hpp"
#include "room/clock.hpp"
#include "room/participant.hpp"
#include "room/room_limits.hpp"
#include "room/room_model.hpp"

namespace colead::room {

class outbound;

class room {
 public:
  // Starts a room from its stored (or newly created) state. `clock` must outlive the room.
  room(room_model model, const clock& clock, room_limits limits);
  ~room();

  room(const room&) = delete;
  room& operator=(const room&) = delete;

  const std::string& id() const { return model_.id; }

  // A new connection to this room. Returns false, after answering ROOM_FULL and closing it,
  // when the room is at its connection limit.
  bool attach(const std::shared_ptr<participant>& p);

  // The connection has gone (closed by either side, or dropped). Members who have no other
  // device left are shown offline to everyone.
  void detach(const std::shared_ptr<participant>& p);

  // One decoded client message from an attached connection.
  void handle(const std::shared_ptr<participant>& p, const v1::ClientMessage& message);

  // Answers an input the session could not decode (BAD_FRAME, UNKNOWN_KIND, TOO_LARGE,
  // RATE_LIMITED), so every error to a connection goes out in order with the room's messages.
  void reject(const std::shared_ptr<participant>& p, std::uint64_t req, v1::Error::Code code,
              std::string message);

  // The next time (clock().now_ms()) the room wants `on_timer`, if any.
  std::optional<std::int64_t> next_deadline() const;

  // Runs what is due at clock().now_ms(): nudges, consult phase ends.
  void on_timer();

  // Closes every connection (server shutdown, room erasure).
  void close_all(const close_reason& reason);

  // Connections open now.
  std::size_t connection_count() const { return connections_.size(); }

  // True when no device is connected (the room may be unloaded).
  bool idle() const { return connections_.empty(); }

  // The room's state, for export and tests.
  const room_model& model() const { return model_; }

 private:
  struct connection;

  connection* find(const std::shared_ptr<participant>& p);
  void on_hello(connection& c, std::uint64_t req, const v1::Hello& hello);
  void on_selection(connection& c, const v1::Selection& selection);

  void send(connection& c, outbound& message);
  void send_error(connection& c, std::uint64_t req, v1::Error::Code code, std::string message,
                  bool fatal = false);
  void broadcast(outbound& message, const connection* except = nullptr);
  void broadcast_presence();

  v1::Presence presence() const;
  v1::RoomSnapshot snapshot(const std::string& member_id) const;
  std::size_t devices_of(const std::string& member_id) const;

  room_model model_;                                      // what the room is and holds
  const clock& clock_;                                    // time source (injected)
  room_limits limits_;                                    // configured limits
  std::vector<std::unique_ptr<connection>> connections_;  // attached devices, oldest first
};

}  // namespace colead::room
