// Consulting to each other: a consulting script run inside the room.
//
// The engine (consult_engine.hpp) decides; this feature feeds it room time and presence,
// stores each change of the run (a "consult" item holding the ConsultState) and every
// question (a "question" item), and tells everyone once the change is durable. While a
// meeting runs, the consult moves it between task and reflection as each phase declares.
//
// Restart. The engine's clock is room time, which does not survive a restart, so a run that
// was going on (running or paused) when the server stopped cannot carry on. Loading reads the
// room's latest consult item and keeps it beside the engine, which holds no run: a run that
// was going on is stopped at its last stored change, with the figures, questions and
// takeaways it had then, attributed to the room and with the reason "the server restarted
// during this consult"; one that had finished or was stopped stays as it was. The stopped
// version is written back as a newer version of the item (room::save_restored_items).
// Members see that run in their welcome until a new one starts.
#pragma once

#include <optional>
#include <string>

#include "room/consult_engine.hpp"
#include "room/room_context.hpp"
#include "room/room_feature.hpp"

namespace colead::room {

class meeting_feature;

class consult_feature final : public room_feature {
 public:
  explicit consult_feature(room_context& room);
  // Tells the observer a consult still running stops with the room.
  ~consult_feature() override;

  // The meeting whose mode follows the consult's phases (wired by the room).
  void follow_with(meeting_feature& meeting) { meeting_ = &meeting; }

  std::vector<v1::ClientMessage::KindCase> kinds() const override;
  void handle(const request& r, const v1::ClientMessage& message) override;
  void fill_welcome(v1::RoomSnapshot& room, const std::string& member,
                    const v1::Hello& hello) const override;
  void fill_overview(v1::RoomOverview& overview) const override;
  std::optional<std::int64_t> next_deadline() const override;
  void on_timer() override;
  void restore(const std::vector<store::item_record>& items,
               std::vector<store::item_record>& writes) override;
  void presence_changed(const std::string& member) override;
  void observe() override;

  // Whether `member` may write `what` now under the consult's rules: nullopt when allowed,
  // otherwise the NOT_ALLOWED message that explains the current phase's rule.
  std::optional<std::string> may_write(const std::string& member, consult_write what) const;
  // Records `text` as a takeaway of `member` (a presenter, from the last phase of their round
  // on) and tells the room. Returns the refusal (NOT_ALLOWED or TOO_LARGE) unchanged.
  status takeaway(const std::string& member, const std::string& text);
  // The id of the consult running (or last run), empty before the first one.
  const std::string& id() const { return id_; }
  // Starts `script_id` for `member` with `presenter` presenting first, as `member`'s own
  // `consult start` would (the room's advance-when-ready setting), stores it and tells
  // everyone. Nobody is acknowledged: the caller answers whoever asked. Returns the refusal
  // unchanged, and then nothing changed.
  status start_for(const std::string& member, const std::string& script_id,
                   const std::string& presenter);
  // The meeting mode the consult implies now (nullopt when no consult is active).
  std::optional<consult_time_kind> meeting_mode() const;

 private:
  const script_catalog& scripts() const;
  void on_command(const request& r, const v1::ConsultCommand& command);
  // Starts a run for `member`; a refusal (NOT_ALLOWED, NOT_FOUND ...) changes nothing.
  status start(const std::string& member, const v1::ConsultCommand::Start& start);
  void on_question(const request& r, const v1::Question& question);
  v1::ConsultState state_message() const;
  // Stores the run's state and new questions, then acknowledges `r` (when from a member) and
  // tells everyone; the meeting follows.
  void changed(const request& r);

  room_context& room_;
  meeting_feature* meeting_ = nullptr;  // see follow_with
  consult_engine engine_;               // the run going on, or the last one
  std::string id_;                      // store item id of that run; empty before the first
  std::uint64_t version_ = 0;           // version of its stored item
  std::size_t questions_ = 0;           // questions of the run already stored and broadcast
  // The last consult as loaded (never running), shown until the next one starts; the engine
  // then holds no run.
  std::optional<v1::ConsultState> restored_;
  bool observed_ = false;  // the observer was last told a consult runs
};

}  // namespace colead::room
