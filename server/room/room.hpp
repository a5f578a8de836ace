// A room: the persistent space of one pair, trio or set, and the only place its state
// changes.
//
// Design. A room holds its seats (one invite token each, stored only as a hash), the
// members who took them, its documents, its meeting and consult, and the connections of
// members' devices. Network sessions decode frames and forward ClientMessages here; the room
// answers and broadcasts through the participant interface, serialising each broadcast once
// per encoding. Time comes from an injected clock, so tests run it by hand.
//
// Durability. A change is applied in memory at once, so the next edit transforms against
// it, and written through the journal. Everything the room says goes through its outbox: an
// output that depends on a write waits until that write is durable, and every output leaves
// in the order it was made. So an `ack` or `applied` is never seen for an edit that is not
// durable, and no member sees outputs out of order. If a write fails, the author gets
// INTERNAL, every connection is closed with 1011 so clients reconnect, and the room reports
// itself broken: its owner drops it and the next join reloads it from the store.
//
// Invariants:
//  - a seat's token is one member: every connection that says hello with it is that member
//    (another device), never a new one, so a room never has more members than seats;
//  - a rejected message changes nothing and gets exactly one `error` naming what was wrong.
//
// Thread safety: none. The network layer calls every member function on the room's own
// strand; domain code takes no locks. Journal completions must come back on that strand.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codec.hpp"
#include "room/clock.hpp"
#include "room/consult_engine.hpp"
#include "room/consult_script.hpp"
#include "room/journal.hpp"
#include "room/meeting_clock.hpp"
#include "room/participant.hpp"
#include "room/reflection_prompts.hpp"
#include "room/room_limits.hpp"
#include "room/room_model.hpp"
#include "room/room_observer.hpp"

namespace colead::room {

class outbound;

// How a room keeps its documents.
struct room_options {
  room_limits limits;                   // per-room limits
  std::uint32_t snapshot_every = 100;   // store a document's text every N revisions
  std::size_t history_limit = 10'000;   // edits kept in memory for transforms and catch-up
  std::size_t history_bytes = 4 << 20;  // and at most about this many bytes of them, per document
  // Consulting scripts members may run; the built-ins when null.
  std::shared_ptr<const script_catalog> scripts;
  // Reflection prompts shown while a meeting reflects; the three role questions when null.
  std::shared_ptr<const prompt_set> prompts;
  // Told what the room does, for monitoring; nothing is told when null.
  std::shared_ptr<room_observer> observer;
};

class room {
 public:
  // Starts a room from its stored (or newly created) state. `clock` and `journal` must
  // outlive the room.
  room(room_model model, const clock& clock, journal& journal, room_options options);
  // Tells the observer that a meeting or consult still running stops with the room.
  ~room();

  room(const room&) = delete;
  room& operator=(const room&) = delete;

  const std::string& id() const { return model_.id; }

  // OT settings for documents of a room with these options (also used when loading).
  static ot::server_options document_options(const room_options& options);

  // A new connection to this room. Returns false, after answering and closing it, when the
  // room cannot take connections (erased, or broken by a failed write). The connection limit
  // (room_limits::max_connections) counts joined devices only and is checked at hello
  // (ROOM_FULL, close 1013).
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

  // The member id of the seat whose invite token is `token`, or empty. Constant time per
  // seat. For HTTP requests that carry a member's token.
  std::string member_for_token(std::string_view token) const;

  // Forgets every connection without a word: only for a server whose io_context has stopped
  // (connections and rooms hold each other; this breaks the cycle so both are freed).
  void forget_connections() { connections_.clear(); }

  // Connections open now, joined or not.
  std::size_t connection_count() const { return connections_.size(); }
  // Connections that have said hello (what the connection limit counts).
  std::size_t member_connection_count() const;

  // True when no device is connected and no write is in flight (the room may be unloaded).
  bool idle() const { return connections_.empty() && outbox_.empty(); }

  // True after a failed write: the room must be dropped and reloaded from the store.
  bool broken() const { return broken_; }

  // True once the room must be erased (every member confirmed, or erase() was called): its
  // owner erases it from the store and drops it.
  bool erase_due() const { return erase_due_; }

  // Erases the room at the operator's request: closes every connection with 1000 "erased"
  // and marks it due. Nothing more is written for it.
  void erase();

  // The room's state, for export and tests.
  const room_model& model() const { return model_; }

  // Writes back what loading changed: a meeting that was running when the server stopped is
  // stored as ended, and a consult that was going on as stopped, each a newer version of its
  // item, so the learning record and every later load see them so. Call once, on the strand,
  // before anything else reaches the room. A failed write breaks the room like any other.
  void save_restored_items();

  // Runs `then` once every write the room has begun has finished, in order with its outputs
  // (at once when none is in flight), so a reader of the store sees what the room has told.
  // It runs even when a write failed and the room is broken: the caller always gets an answer.
  void after_writes(std::function<void()> then);

  // Consulting to each other (room_consult.cpp), for the learning log and the meeting.
  //
  // Whether `member` may write `what` now under the consult's rules: nullopt when allowed,
  // otherwise the NOT_ALLOWED message that explains the current phase's rule.
  std::optional<std::string> consult_may_write(const std::string& member, consult_write what) const;
  // Records `text` as a takeaway of `member` (a presenter, from the last phase of their round
  // on) and tells the room. Returns the refusal (NOT_ALLOWED or TOO_LARGE) unchanged.
  consult_status consult_takeaway(const std::string& member, const std::string& text);
  // The id of the consult running (or last run), empty before the first one.
  const std::string& consult_id() const { return consult_id_; }
  // The meeting mode the consult implies now (nullopt when no consult is active).
  std::optional<consult_time_kind> consult_meeting_mode() const;

 private:
  using participant_ptr = std::shared_ptr<participant>;

  // One device's connection and what the room knows of it.
  struct connection {
    participant_ptr p;      // the session
    std::string member_id;  // empty until hello succeeds
    std::string client_id;  // the device's own id, from hello
    // The welcome has been sent: from here on the device receives broadcasts. Before it, it
    // would receive edits that its welcome already contains.
    bool welcomed = false;
  };

  // One output waiting in the outbox.
  struct pending {
    bool done = false;                                    // the write it waits for finished
    store::status result;                                 // how that write ended
    std::function<void()> on_durable;                     // runs when done and ok
    std::function<void(const store::status&)> on_failed;  // runs when done and failed
    bool even_when_broken = false;                        // on_durable runs in any case
  };

  connection* find(const participant_ptr& p);
  const seat_model* seat_of(const std::string& member_id) const;
  seat_model* seat_of(const std::string& member_id);
  document_state* find_doc(const std::string& id);

  // Outbox: `persist` writes and then runs `on_durable`; `emit` runs `then` in turn.
  void persist(store::write_batch batch, std::function<void()> on_durable,
               std::function<void(const store::status&)> on_failed = {});
  void emit(std::function<void()> then);
  void complete(std::uint64_t seq, store::status result);
  void flush();
  void fail_room(const participant_ptr& author, std::uint64_t req, const store::status& why);

  // Messages (room.cpp).
  void dispatch(connection& c, const v1::ClientMessage& message);
  void on_hello(connection& c, std::uint64_t req, const v1::Hello& hello);
  void on_selection(connection& c, const v1::Selection& selection);
  void catch_up(const participant_ptr& p, const v1::Hello& hello);

  // Documents (room_documents.cpp).
  void on_edit(connection& c, std::uint64_t req, const v1::Edit& edit);
  void on_document(connection& c, std::uint64_t req, const v1::DocumentCommand& command);
  void on_agree(connection& c, std::uint64_t req, const v1::DocumentCommand::Agree& agree);
  void on_restore(connection& c, std::uint64_t req, const v1::DocumentCommand::Restore& r);
  void apply_edit(const participant_ptr& p, std::uint64_t req, document_state& doc,
                  std::uint64_t base_rev, const ot::text_operation& op, const std::string& edit_id,
                  bool author_needs_applied);
  v1::ServerMessage documents_message(const std::string& changed_by) const;
  std::size_t members_count() const;

  // Erasure (room_erasure.cpp).
  void on_erase(connection& c, std::uint64_t req, const v1::RoomCommand& command);

  // Meetings, the learning log and room settings (room_meeting.cpp).
  void on_meeting(connection& c, std::uint64_t req, const v1::MeetingCommand& command);
  void on_note(connection& c, std::uint64_t req, const v1::NoteCommand& command);
  void on_room_command(connection& c, std::uint64_t req, const v1::RoomCommand& command);
  std::optional<std::int64_t> meeting_deadline() const;
  void on_meeting_timer();
  void fill_meeting(v1::RoomSnapshot& snapshot, const std::string& member_id) const;
  void restore_meeting_items();
  void meeting_changed(const participant_ptr& p, std::uint64_t req, const std::string& by);
  v1::MeetingState meeting_state_message() const;
  v1::MeetingSummary summary_message(const meeting_summary& s) const;
  std::int64_t wall_at(room_time t) const;
  std::string label_at(room_time t) const;
  void announce_nudges(std::vector<meeting_nudge> nudges);
  bool apply_due_nudges();
  const prompt_set& prompts() const;
  void send_note(const v1::LearningNote& note, bool added);

  // Consulting to each other (room_consult.cpp).
  void on_consult(connection& c, std::uint64_t req, const v1::ConsultCommand& command);
  void on_question(connection& c, std::uint64_t req, const v1::Question& question);
  std::optional<std::int64_t> consult_deadline() const;
  void on_consult_timer();
  void fill_consult(v1::RoomSnapshot& snapshot, const std::string& member_id) const;
  void restore_consult_items();
  void on_consult_presence(const std::string& member_id);
  v1::ConsultState consult_state_message() const;
  void consult_changed(const participant_ptr& p, std::uint64_t req, std::string_view by);
  void follow_consult_in_meeting(std::string_view by);
  const script_catalog& scripts() const;

  // Monitoring: tells the observer whether a meeting and a consult run now, when that
  // changed since it was last told. Called after everything that may start or stop either.
  void observe_running();
  // Tells the observer an edit received at room time `received_ms` is acknowledged now.
  void observe_ack(std::int64_t received_ms);

  // Sending.
  void send_to(const participant_ptr& p, outbound& message);
  void send_to(const participant_ptr& p, v1::ServerMessage message);
  // Answers ROOM_FULL (fatal, with `req`) and closes with 1013.
  void refuse_full(const participant_ptr& p, std::uint64_t req);
  void send_error(const participant_ptr& p, std::uint64_t req, v1::Error::Code code,
                  std::string message, bool fatal = false);
  void send_ack(const participant_ptr& p, std::uint64_t req, v1::Ack ack);
  void broadcast(outbound& message, const participant* except = nullptr);
  void broadcast(v1::ServerMessage message, const participant* except = nullptr);
  void broadcast_presence();

  v1::Presence presence() const;
  v1::RoomSnapshot snapshot(const std::string& member_id) const;
  std::size_t devices_of(const std::string& member_id) const;

  room_model model_;                                      // what the room is and holds
  const clock& clock_;                                    // time source (injected)
  journal& journal_;                                      // where changes become durable
  room_options options_;                                  // limits and document settings
  std::vector<std::unique_ptr<connection>> connections_;  // attached devices, oldest first
  std::deque<pending> outbox_;                            // outputs in the order they were made
  std::uint64_t outbox_base_ = 0;                         // sequence number of outbox_.front()
  bool flushing_ = false;   // flush() is running (outputs may queue more)
  bool broken_ = false;     // a write failed; the room must be reloaded
  bool erase_due_ = false;  // the room is to be erased now
  // What the observer was last told: a meeting, a consult running in this room.
  bool meeting_observed_ = false;
  bool consult_observed_ = false;

  // Meeting and learning-log state (room_meeting.cpp).
  meeting_clock meeting_;                          // the meeting running, or the last one
  std::string meeting_id_;                         // store item id; empty before the first
  std::string meeting_title_;                      // as given at the start
  std::int64_t meeting_started_wall_ = 0;          // wall-clock Unix ms of its start
  std::uint64_t meeting_version_ = 0;              // version of its stored item
  std::string meeting_changed_by_;                 // who made its last change
  std::optional<prompt_cursor> prompt_;            // the prompt shown while reflecting
  std::optional<v1::MeetingState> restored_;       // the last meeting as loaded (not running)
  std::vector<v1::MeetingSummary> past_meetings_;  // ended meetings, oldest first
  std::vector<v1::LearningNote> notes_;            // the learning log, oldest first
  // Items loading changed (a meeting ended, a consult stopped: they were going on when the
  // server stopped), not yet written back.
  std::vector<store::item_record> restored_writes_;

  // Consult state (room_consult.cpp).
  consult_engine consult_;             // the run going on, or the last one
  std::string consult_id_;             // store item id of that run; empty before the first
  std::uint64_t consult_version_ = 0;  // version of its stored item
  std::size_t consult_questions_ = 0;  // questions of the run already stored and broadcast
  // The last consult as loaded (never running), shown until the next one starts; the engine
  // then holds no run.
  std::optional<v1::ConsultState> restored_consult_;
};

}  // namespace colead::room
