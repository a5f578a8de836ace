// A connection as the room sees it.
//
// The room never sees a socket: it talks to participants through this interface, which is
// what lets room logic be tested with fake participants and no network (the Asio chat
// example's habit). Every call is made on the room's strand; an implementation hands the
// work to its own executor and must not call back into the room synchronously.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "codec.hpp"

namespace colead::room {

// Why the room closes a connection; `code` is a WebSocket close code.
struct close_reason {
  std::uint16_t code = 1000;
  std::string reason;
};

class participant {
 public:
  virtual ~participant() = default;

  // The subprotocol the connection negotiated; frames delivered to it are in this encoding.
  virtual protocol::encoding encoding() const = 0;

  // Queues one encoded frame. The frame is shared by every recipient and never changes.
  virtual void deliver(std::shared_ptr<const std::string> frame) = 0;

  // Closes the connection after the frames already delivered have been written.
  virtual void close(close_reason reason) = 0;

  // The connection's hello succeeded: from now on it is a device of `member_id`. Called once,
  // right after the welcome is delivered (limits that apply per member or only before hello
  // start from here).
  virtual void joined(const std::string& member_id) { (void)member_id; }
};

}  // namespace colead::room
