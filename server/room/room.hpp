// A room: the persistent space of one pair, trio or set, and the only place its state
// changes.
//
// The room is a small core and its features. The core (this class and room_context) keeps
// the seats and the members who took them, the connections of members' devices, presence,
// and the outbox that orders every output behind the durable write it depends on. Each
// feature (room_feature.hpp: documents, the meeting, consulting to each other, the learning
// log, the room's settings and erasure) handles its own message kinds and adds its part to
// the welcome; the core wires the few calls features make to each other. Network sessions
// decode frames and forward ClientMessages here; time comes from an injected clock, so tests
// run it by hand.
//
// Invariants:
//  - a seat's token is one member: every connection that says hello with it is that member
//    (another device), never a new one, so a room never has more members than seats;
//  - a rejected message changes nothing and gets exactly one `error` naming what was wrong;
//  - an `ack` or `applied` is never seen for a change that is not durable (room_context.hpp).
//
// Thread safety: none. The network layer calls every member function on the room's own
// strand; domain code takes no locks. Journal completions must come back on that strand.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "colead/status.hpp"
#include "room/clock.hpp"
#include "room/journal.hpp"
#include "room/participant.hpp"
#include "room/room_context.hpp"
#include "room/room_feature.hpp"
#include "room/room_model.hpp"
#include "room/room_options.hpp"

namespace colead::room {

class call_feature;
class consult_feature;
class documents_feature;
class learning_log;
class meeting_feature;
class programme_feature;
class settings_feature;

// Where a room stands, for its owner.
struct room_state {
  bool idle = false;       // no device connected, no write in flight: it may be unloaded
  bool broken = false;     // a write failed: drop it and reload it from the store
  bool erase_due = false;  // every member confirmed erasure, or erase() was called
};

// The member id of the seat whose invite token is `token`, or empty. Constant time per
// seat. For HTTP requests that carry a member's token.
std::string member_for_token(const room_model& model, std::string_view token);

class room {
 public:
  // Starts a room from its stored (or newly created) state. `clock` and `journal` must
  // outlive the room.
  room(room_model model, const clock& clock, journal& journal, room_options options);
  // Tells the observer that a meeting or consult still running stops with the room.
  ~room();
  room(const room&) = delete;
  room& operator=(const room&) = delete;

  // A new connection, held weakly (its session holds the room). Returns false, after answering and
  // closing it, when the room cannot take connections (erased, or broken). The connection limit
  // (room_limits::max_connections) counts joined devices only and is checked at hello (ROOM_FULL,
  // close 1013).
  bool attach(const std::shared_ptr<participant>& p);
  // The connection has gone. Members who have no other device left are shown offline.
  void detach(const std::shared_ptr<participant>& p);
  // One decoded client message from an attached connection.
  void handle(const std::shared_ptr<participant>& p, const v1::ClientMessage& message);
  // Answers an input the session could not decode (BAD_FRAME, UNKNOWN_KIND, TOO_LARGE,
  // RATE_LIMITED), so every error to a connection goes out in order with the room's messages.
  void reject(const std::shared_ptr<participant>& p, std::uint64_t req, v1::Error::Code code,
              std::string message);

  // The next room time (clock().now_ms()) the room wants on_timer, if any; on_timer runs what
  // is due then (nudges, consult phase ends).
  std::optional<std::int64_t> next_deadline() const;
  void on_timer();

  // Closes every connection (server shutdown, room erasure).
  void close_all(const close_reason& reason);
  // Erases the room at the operator's request: closes every connection with 1000 "erased"
  // and marks it due. Nothing more is written for it.
  void erase();

  // Gives seat `number` a new invite token at the organiser's request. The old token stops
  // working at once (hello and the room's HTTP API refuse it); once the change is durable every
  // connection that joined with it is closed with a fatal UNAUTHORIZED and 1008 "invite link
  // replaced". The member, their name, role and everything they wrote stay the seat's.
  // Returns the new token (random, 128 bits; the room keeps only its hash), or not_found when
  // the room has no such seat. after_writes tells when it is durable (the room is broken if
  // the write failed).
  result<std::string> reissue_invite(std::uint32_t number);

  // Connections open now; with `members_only`, those that said hello (what the limit counts).
  std::size_t connection_count(bool members_only = false) const;
  room_state state() const;
  // The room's state, for export and tests.
  const room_model& model() const { return context_.model(); }

  // Writes back what loading changed (a meeting that was running when the server stopped is
  // stored as ended, a consult as stopped). Call once, on the strand, before anything else
  // reaches the room. A failed write breaks the room like any other.
  void save_restored_items();
  // Runs `then` once every write the room has begun has finished, in order with its outputs
  // (at once when none is in flight), so a reader of the store sees what the room has told.
  // It runs even when a write failed and the room is broken.
  void after_writes(std::function<void()> then) { context_.after_writes(std::move(then)); }

  // How the room is doing, for its cohort's facilitators: seats, who is present, the meeting,
  // the consult, last activity; never any of its text.
  v1::RoomOverview overview() const;
  // Grows whenever something the overview shows may have changed (presence, a command, a
  // timer, and activity once a minute), and not for an edit or a caret that changes nothing
  // else: the owner compares it with the one it last sent to know whether to send again.
  std::uint64_t overview_generation() const { return overview_generation_; }

  // The cohort's whole programme after any change (merge_programme), from the cohort the room
  // is in (or the room just loaded): members are sent the room's view of it (view_for_room,
  // with what the room wrote on top until the programme has it) when that view changed. A
  // cohort id in `full` other than the room's becomes the room's (a room newly attached).
  void programme_changed(const v1::ProgrammeState& full);
  // A facilitator's message or call of time for this room (kind FACILITATOR_MESSAGE or
  // TIME_CALL, from_facilitator set): stored as an "event" item of the room (its learning
  // record lists it), then sent to every member connected, as from the facilitator.
  // not_allowed for another kind or text that is not UTF-8, and then nothing is stored or
  // sent.
  status facilitator_nudge(const v1::Nudge& nudge);
  // The room's view of its programme as members are shown it now.
  v1::ProgrammeState programme() const;

  // The consult, which other parts of the server and tests ask about writing rules.
  consult_feature& consult() { return *consult_; }

 private:
  void on_hello(const request& r, room_context::connection& c, const v1::Hello& hello);
  void on_selection(const request& r, const v1::Selection& selection);
  void presence_changed(const std::string& member);

  room_context context_;
  std::unique_ptr<consult_feature> consult_;
  std::unique_ptr<meeting_feature> meeting_;
  std::unique_ptr<learning_log> log_;
  std::unique_ptr<documents_feature> documents_;
  std::unique_ptr<settings_feature> settings_;
  std::unique_ptr<call_feature> call_;
  std::unique_ptr<programme_feature> programme_;
  std::vector<room_feature*> features_;  // every feature, in the order they restore
  // The feature handling each client message kind, built once from their kinds().
  std::map<v1::ClientMessage::KindCase, room_feature*> by_kind_;
  bool erase_due_ = false;                           // see room_state
  std::uint64_t overview_generation_ = 1;            // see overview_generation
  std::int64_t last_activity_ms_ = 0;                // wall clock, of a member's last message
  std::vector<store::item_record> restored_writes_;  // see save_restored_items
};

}  // namespace colead::room
