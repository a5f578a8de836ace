// The connections of a load run: every member on its own WebSocket, all driven by a few event
// loops (one thread each; a room's members share one loop), typing on timers through the real
// client-side OT (client::shared_document) and timing how their edits come back.
//
// Against Colead a member joins with hello, types into the room's first document through its
// shared_document (one edit in flight; what is typed meanwhile is composed, as the browser
// does) and sends what it returns. Against the relay it sends edit messages of the same shape
// and size without a hello, and the relay forwards them. Either way the edit id names the
// edit: the member that receives an `applied` (or the forwarded edit) looks it up in its loop's
// table of edits in flight, which holds the send time (fan-out latency) and how many members
// have yet to receive it.
//
// Thread safety: the public members are called from one controlling thread; the event loops
// share only the atomics of `progress` with it until `finish` has joined them.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "measure.hpp"
#include "options.hpp"

namespace colead::loadgen {

// A room to join: its id and one invite token per member (none for the relay).
struct room_spec {
  std::string id;
  std::vector<std::string> tokens;
};

// What the run is doing; the loops read it to decide whether to type and what to count.
enum class phase : int { connecting, warmup, measure, drain, closing };

// What the loops have done, merged once they have stopped. "window" figures count what
// happened while the phase was `measure`; "total" figures the whole run.
struct run_totals {
  long connections = 0;           // connections asked for
  long joined = 0;                // connections that joined (welcomed; for the relay: upgraded)
  long connect_failures = 0;      // connections that did not
  std::uint64_t typed = 0;        // window: local edits made
  std::uint64_t sent = 0;         // window: edit messages sent
  std::uint64_t acked = 0;        // window: acknowledgements received
  std::uint64_t delivered = 0;    // window: edits received by another member
  std::uint64_t errors = 0;       // errors from the server, and frames or edits that do not fit
  std::uint64_t disconnects = 0;  // connections that ended before the run closed them
  std::uint64_t sent_total = 0;
  std::uint64_t acked_total = 0;
  std::uint64_t delivered_total = 0;
  std::uint64_t unacked = 0;               // edits sent and never acknowledged (Colead)
  std::uint64_t undelivered = 0;           // receipts still missing when the run closed
  latency_histogram fanout;                // window: send → another member's receipt
  latency_histogram ack;                   // window: send → ack
  std::vector<std::string> error_samples;  // the first few errors, as text
};

class driver {
 public:
  driver(const options& opts, std::vector<room_spec> rooms);
  ~driver();
  driver(const driver&) = delete;
  driver& operator=(const driver&) = delete;

  // Starts the loops and opens every connection (at most opts.connect_parallel at once).
  void start();
  // Connections that joined, and that failed to, so far.
  long joined() const;
  long failed() const;
  long connections() const { return connections_; }
  // Moves the run on; typing starts with `warmup` and stops with `drain`.
  void set_phase(phase p);
  // Edits sent and not yet acknowledged by the server or received by every other member.
  std::size_t in_flight() const;
  // Connections that ended on their own so far, and errors so far.
  std::uint64_t disconnects() const;
  std::uint64_t errors() const;
  // Closes every connection (bounded: a second and a half), stops the loops and merges what
  // they counted.
  run_totals finish();

  struct shared;
  struct worker;

 private:
  std::unique_ptr<shared> shared_;
  std::vector<std::unique_ptr<worker>> workers_;
  long connections_ = 0;
};

}  // namespace colead::loadgen
