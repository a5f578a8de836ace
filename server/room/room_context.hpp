// What a room feature may use of its room: the model, the clock and the options; the
// connections (to send, answer and broadcast); and the outbox, which orders every output
// behind the durable writes it depends on.
//
// Durability. A change is applied in memory at once, so the next edit transforms against it,
// and written through the journal. Everything the room says goes through the outbox: an
// output that depends on a write waits until that write is durable, and every output leaves
// in the order it was made. So an `ack` or `applied` is never seen for an edit that is not
// durable, and no member sees outputs out of order. If a write fails, the author gets
// INTERNAL, every connection is closed with 1011 so clients reconnect, and the room reports
// itself broken: its owner drops it and the next join reloads it from the store.
//
// Thread safety: none; the room's strand only.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "room/clock.hpp"
#include "room/journal.hpp"
#include "room/participant.hpp"
#include "room/room_feature.hpp"
#include "room/room_limits.hpp"
#include "room/room_model.hpp"
#include "room/room_options.hpp"

namespace colead::room {

class outbound;

class room_context {
 public:
  // One device's connection and what the room knows of it.
  struct connection {
    std::weak_ptr<participant> p;  // the session, held weakly: it holds the room
    const participant* key;        // which session, to find it by (never dereferenced)
    std::string member_id;         // empty until hello succeeds
    // The welcome has been sent: from here on the device receives broadcasts. Before it, it
    // would receive edits that its welcome already contains.
    bool welcomed = false;
  };

  room_context(room_model model, const clock& clock, journal& journal, room_options options);
  room_context(const room_context&) = delete;
  room_context& operator=(const room_context&) = delete;

  room_model& model() { return model_; }
  const room_model& model() const { return model_; }
  const clock& time() const { return clock_; }
  const room_options& options() const { return options_; }
  room_observer* observer() const { return options_.observer.get(); }

  // ---- connections
  std::vector<std::unique_ptr<connection>>& connections() { return connections_; }
  const std::vector<std::unique_ptr<connection>>& connections() const { return connections_; }
  connection* find(const participant* p);
  // Devices of `member` connected now.
  std::size_t devices_of(const std::string& member) const;
  // Seats taken (the members of the room).
  std::size_t members_count() const;
  seat_model* seat_of(const std::string& member);
  void close_all(const close_reason& reason);

  // ---- the outbox
  // Writes `batch`, then runs `on_durable`. When the write fails the room breaks and `by`'s
  // author is told INTERNAL (see fail).
  void commit(store::write_batch batch, const request& by, std::function<void()> on_durable);
  // Runs `then` in turn, after every output made before it.
  void emit(std::function<void()> then);
  // Runs `then` once every write begun has finished, even when one failed.
  void after_writes(std::function<void()> then);
  // No write is in flight and no output waits.
  bool outbox_empty() const { return outbox_.empty(); }
  // A write failed: the room's memory is ahead of the store.
  bool broken() const { return broken_; }
  void fail(const request& by, const store::status& why);
  // Called after each write completes and its outputs ran (the room tells its observer).
  void after_each_write(std::function<void()> then) { after_write_ = std::move(then); }

  // ---- sending (each call queues behind earlier outputs unless made from inside one)
  void send_to(participant& p, outbound& message);
  void send_to(participant& p, v1::ServerMessage message);
  void send_error(const request& to, v1::Error::Code code, std::string message, bool fatal = false);
  void send_ack(const request& to, v1::Ack ack = {});
  // To every welcomed device, but `except`.
  void broadcast(outbound& message, const participant* except = nullptr);
  void broadcast(v1::ServerMessage message, const participant* except = nullptr);
  // To every welcomed device of `member`.
  void send_to_member(const std::string& member, v1::ServerMessage message);
  void broadcast_presence();
  v1::Presence presence() const;

  // Tells the observer an edit received at room time `received_ms` is acknowledged now.
  void observe_ack(std::int64_t received_ms) const;

  // Whether a change made at wall time `wall_ms` should also move the room's last activity in
  // the store (write_batch::touch_room). Edits come many times a second in a meeting; they
  // move it at most once a minute, so each edit writes its op and little else. Retention
  // counts in days, so a minute is exact enough.
  bool activity_due(std::int64_t wall_ms);
  static constexpr std::int64_t activity_resolution_ms = 60'000;

 private:
  // One output waiting in the outbox.
  struct pending {
    bool done = false;                                    // the write it waits for finished
    store::status result;                                 // how that write ended
    std::function<void()> on_durable;                     // runs when done and ok
    std::function<void(const store::status&)> on_failed;  // runs when done and failed
    bool even_when_broken = false;                        // on_durable runs in any case
  };
  void complete(std::uint64_t seq, store::status result);
  void flush();

  room_model model_;                                      // what the room is and holds
  const clock& clock_;                                    // time source (injected)
  journal& journal_;                                      // where changes become durable
  room_options options_;                                  // limits and document settings
  std::vector<std::unique_ptr<connection>> connections_;  // attached devices, oldest first
  std::deque<pending> outbox_;                            // outputs in the order they were made
  std::uint64_t outbox_base_ = 0;                         // sequence number of outbox_.front()
  bool flushing_ = false;                          // flush() is running (outputs may queue more)
  bool broken_ = false;                            // a write failed; the room must be reloaded
  std::function<void()> after_write_;              // see after_each_write
  std::optional<std::int64_t> activity_saved_ms_;  // see activity_due
};

}  // namespace colead::room
