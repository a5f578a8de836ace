// A connection as the room sees it.
//
// The room never sees a socket or a byte: it talks to participants through this interface,
// handing them schema messages, which is what lets room logic be tested with fake
// participants and no network (the Asio chat example's habit). The room holds participants
// weakly (a session holds its room, never the reverse), so a session that is gone is simply
// skipped. Every call is made on the room's strand; an implementation hands the work to its
// own executor and must not call back into the room synchronously.
#pragma once

#include <cstdint>
#include <string>

#include "room/outbound.hpp"

namespace colead::room {

// Why the room closes a connection; `code` is a WebSocket close code.
struct close_reason {
  std::uint16_t code = 1000;
  std::string reason;
};

class participant {
 public:
  virtual ~participant() = default;

  // Queues `message`, which is shared by every recipient of a broadcast: an implementation
  // encodes it and may keep the frame in it for the next recipient with the same encoding.
  virtual void deliver(outbound& message) = 0;

  // Closes the connection after the messages already delivered have been written.
  virtual void close(close_reason reason) = 0;

  // The connection's hello succeeded: from now on it is a device of `member_id`. Called once,
  // right after the welcome is delivered (limits that apply per member or only before hello
  // start from here).
  virtual void joined(const std::string& member_id) { (void)member_id; }
};

}  // namespace colead::room
