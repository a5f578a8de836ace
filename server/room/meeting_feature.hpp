// Meetings that keep the 40 per cent reflection rule.
//
// A meeting is a meeting_clock fed with room time; every change is stored as a "meeting" item
// (a MeetingState, with its summary once ended) and then pushed to every member with the
// server's wall time, so clients count down locally. Nudges fall due on the room's timer.
//
// Restart. Room time does not survive a restart (its origin is the process's steady clock), so
// a meeting that was running when the server stopped cannot carry on. It is restored as ended
// at its last stored change, with the figures it had then and the reason "the server restarted
// during this meeting": honest about what was measured, and nothing invented. The ended
// version is written back as a newer version of the meeting's item when the room loads
// (room::save_restored_items), so the learning record, read from the store, includes it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "room/consult_engine.hpp"
#include "room/meeting_clock.hpp"
#include "room/reflection_prompts.hpp"
#include "room/room_context.hpp"
#include "room/room_feature.hpp"

namespace colead::room {

class learning_log;

class meeting_feature final : public room_feature {
 public:
  explicit meeting_feature(room_context& room);
  // Tells the observer a meeting still running stops with the room.
  ~meeting_feature() override;

  // The learning log whose shared notes an ended meeting's summary lists (wired by the room).
  void notes_from(const learning_log& log) { log_ = &log; }

  std::vector<v1::ClientMessage::KindCase> kinds() const override;
  void handle(const request& r, const v1::ClientMessage& message) override;
  void fill_welcome(v1::RoomSnapshot& room, const std::string& member,
                    const v1::Hello& hello) const override;
  void fill_overview(v1::RoomOverview& overview) const override;
  std::optional<std::int64_t> next_deadline() const override;
  void on_timer() override;
  void restore(const std::vector<store::item_record>& items,
               std::vector<store::item_record>& writes) override;
  void observe() override;

  // Applies what fell due before now (nudges, the room's own switch to reflection, the end on
  // time), so a member's command never lands before an earlier event. True when the meeting
  // changed.
  bool catch_up();
  // The id of the meeting running now; empty when none runs.
  std::string running_id() const;
  // A running meeting counts a consult's time as its phase declares: switches to `wanted`
  // (after what fell due), attributed to `by`.
  void follow_consult(consult_time_kind wanted, std::string_view by);

 private:
  const prompt_set& prompts() const;
  void on_command(const request& r, const v1::MeetingCommand& command);
  // Stores the meeting's state, then acknowledges `r` (when from a member) and tells everyone.
  void changed(const request& r);
  v1::MeetingState state_message() const;
  v1::MeetingSummary summary_message(const meeting_summary& s) const;
  std::int64_t wall_at(room_time t) const;
  std::string label_at(room_time t) const;
  // Tells everyone of `nudges`, in turn.
  void announce(std::vector<meeting_nudge> nudges);

  room_context& room_;
  const learning_log* log_ = nullptr;         // see notes_from
  meeting_clock clock_;                       // the meeting running, or the last one
  std::string id_;                            // store item id; empty before the first
  std::string title_;                         // as given at the start
  std::int64_t started_wall_ = 0;             // wall-clock Unix ms of its start
  std::uint64_t version_ = 0;                 // version of its stored item
  std::string changed_by_;                    // who made its last change
  std::optional<prompt_cursor> prompt_;       // the prompt shown while reflecting
  std::optional<v1::MeetingState> restored_;  // the last meeting as loaded (not running)
  std::vector<v1::MeetingSummary> past_;      // ended meetings, oldest first
  bool observed_ = false;                     // the observer was last told one runs
};

}  // namespace colead::room
