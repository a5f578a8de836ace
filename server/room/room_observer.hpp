// What a room tells whoever watches the server (the /metrics page): the messages it handles,
// the errors it sends, how long edits wait for their ack, and whether a meeting or a consult
// is running in it.
//
// The room calls these on its own strand; many rooms run on many threads at once, so an
// implementation must be thread-safe, and cheap (it runs on every message). It must not call
// back into the room. Rooms share it through room_options.
#pragma once

#include <cstdint>

#include "colead/v1/colead.pb.h"

namespace colead::room {

class room_observer {
 public:
  virtual ~room_observer() = default;

  // A decoded client message of this kind reached the room (KIND_NOT_SET when it named no
  // kind).
  virtual void message_received(v1::ClientMessage::KindCase kind) = 0;

  // A frame the session could not take (rate, size, decoding) reached the room as a refusal
  // (room::reject); its error is reported through error_sent as well.
  virtual void message_refused() = 0;

  // An error with this code went out to a connection (one call per error sent).
  virtual void error_sent(v1::Error::Code code) = 0;

  // An edit was acknowledged: `seconds` from the room receiving it to its ack leaving the
  // outbox, after its durable write (real seconds, whatever the room clock's scale).
  virtual void edit_acknowledged(double seconds) = 0;

  // A meeting began running in the room, or stopped running (ended, or the room unloaded
  // with it). Calls alternate per room, starting with meeting_started.
  virtual void meeting_started() = 0;
  virtual void meeting_stopped() = 0;

  // The same for a consult.
  virtual void consult_started() = 0;
  virtual void consult_stopped() = 0;
};

}  // namespace colead::room
