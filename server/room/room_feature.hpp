// One feature of a room (documents, the meeting, consulting to each other, the learning log,
// the room's settings): the messages it handles and its part in the room's life.
//
// The room core (room.hpp) keeps seats, connections, the outbox and presence; it hands each
// client message to the feature that named its kind, asks every feature for its part of a
// welcome, runs the earliest deadline any feature wants, and tells features when a member's
// presence changes. Features reach the core through room_context and each other only through
// the explicit calls the core wires when it builds them (the consult moving the meeting
// between task and reflection is one). A new feature is a class implementing this interface
// and one line in room.cpp that registers it.
//
// Thread safety: none, like the room: every call is made on the room's strand.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "colead/v1/colead.pb.h"
#include "room/participant.hpp"
#include "store/records.hpp"

namespace colead::room {

// A client message's origin: the connection, the member it has joined as, and the request id
// its answer carries.
struct request {
  // Held weakly, like every connection: an answer to a connection that has gone is dropped.
  // Empty when the room itself acts (a timer).
  std::weak_ptr<participant> from;
  std::string member;     // member id, or room_actor
  std::uint64_t req = 0;  // echoed as `re`
};

class room_feature {
 public:
  virtual ~room_feature() = default;

  // The client message kinds this feature handles; no two features name the same kind.
  virtual std::vector<v1::ClientMessage::KindCase> kinds() const = 0;

  // One message of a kind it named, from a member who has joined.
  virtual void handle(const request& r, const v1::ClientMessage& message) = 0;

  // Adds this feature's part of the room to `member`'s welcome. `hello` is what the member's
  // device said it already knows.
  virtual void fill_welcome(v1::RoomSnapshot& room, const std::string& member,
                            const v1::Hello& hello) const = 0;

  // Right after `to` was welcomed: sends what its welcome left to follow (catching up).
  virtual void after_welcome(const std::shared_ptr<participant>& to, const v1::Hello& hello) {
    (void)to;
    (void)hello;
  }

  // The next room time (clock::now_ms) this feature wants on_timer, if any.
  virtual std::optional<std::int64_t> next_deadline() const { return std::nullopt; }

  // Runs what is due at the room clock's now.
  virtual void on_timer() {}

  // Rebuilds the feature's state from the room's stored items, once, when the room is made.
  // Items that loading changes (something going on when the server stopped) are appended to
  // `writes`, to be written back by room::save_restored_items.
  virtual void restore(const std::vector<store::item_record>& items,
                       std::vector<store::item_record>& writes) {
    (void)items;
    (void)writes;
  }

  // A member's devices came or went (`member` may now be online or offline).
  virtual void presence_changed(const std::string& member) { (void)member; }

  // Adds this feature's part to how the room is doing as its cohort's facilitators see it
  // (room::overview). Never any text of the room.
  virtual void fill_overview(v1::RoomOverview& overview) const { (void)overview; }

  // After anything that may have changed the feature: it tells the room's observer what runs
  // now, if that changed since it last told it.
  virtual void observe() {}
};

}  // namespace colead::room
