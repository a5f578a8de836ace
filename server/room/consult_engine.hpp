// The consult engine: one run of a consulting script inside a room's meeting.
//
// A run takes a script, the members taking part (in seat order), who is present, the first
// presenter and, where the script has a facilitator role and the members chose one, the
// facilitator. It then steps through the script's phases, one round per presenter:
//
//   idle --start--> running <--pause/resume--> paused
//                      |                          |
//                      +--stop--------------------+--> stopped
//                      +--last phase of last round ends--> finished
//
// A phase moves on when its time ends, when every present member is ready (if the run was
// started with advance_when_ready), or when any member advances it. With rotation on, after
// the last phase of a round the next member in seat order (never the facilitator) presents
// and the phases repeat, until every member has presented. Roles are recomputed each round.
// While paused ("stop the set") the phase clock stops: paused time is neither reflection nor
// task time of the consult, and the remaining time is kept for the resume.
//
// Power is shared: any member taking part may advance, extend, pause, resume or stop, and each
// such action is recorded with its author in events(). In a set whose facilitator keeps time
// (consult_start_options::facilitator_keeps_time), advancing, extending, resuming and
// stopping are the facilitator's while they are present; anyone may still pause the round,
// and once the facilitator has left the members keep time themselves. The engine also enforces who
// may write what in each phase (may_write), captures the questions asked and the presenters'
// takeaways, and accounts phase time as reflection or task as each phase declares.
//
// Time: every call that can change the state takes `now_ms`, monotonic room milliseconds. The
// engine first catches up with time (ending phases whose time has ended, at their end time,
// not at `now_ms`), then acts. A `now_ms` earlier than one already seen is treated as the
// latest seen. Queries without a time parameter describe the state as of the last call that
// passed one; call tick(now_ms) first to bring them up to date. next_deadline_ms() says when
// the next phase end is due, so a room can set one timer.
//
// Errors: nothing here throws for bad input. A refused call returns a status with a
// message a person can act on and leaves the state unchanged.
//
// Thread safety: none. A room owns one engine and calls it on the room's strand only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "colead/status.hpp"

#include "room/consult_script.hpp"

namespace colead::room {

// Every call returns ok, or (changing nothing) why it was refused, with a message a person
// can act on: not_allowed (NOT_ALLOWED on the wire: the phase's rules, the run's state, a value
// out of range) or too_large (TOO_LARGE: a text over its limit). See colead/status.hpp.

// How the run was asked to start.
struct consult_start_options {
  std::string presenter;    // member id of the first presenter; required
  std::string facilitator;  // member id of the facilitator; empty when the members chose none
  bool advance_when_ready = true;  // a phase also moves on once every present member is ready
  std::string run_id;              // the room's id for this run, echoed in the state; may be empty
  // The facilitator keeps time (an action-learning set's facilitator seat): while they are
  // present only they advance, extend, resume or stop; any member may still pause. Ignored
  // without a facilitator.
  bool facilitator_keeps_time = false;
};

// Where a run stands.
enum class consult_run_status { idle, running, paused, finished, stopped };

// Whether time counts as reflection or task time of the meeting.
enum class consult_time_kind { task, reflection };

// How a phase ended.
enum class consult_phase_end {
  not_yet,     // the current phase
  time_ended,  // its time ran out
  all_ready,   // every present member was ready
  advanced,    // a member moved it on (ended_by names them)
  stopped,     // a member stopped the run (ended_by names them)
};

// What the engine records, in order, with who did it.
enum class consult_event_kind {
  started,        // member started the run
  round_started,  // a new round began; member is its presenter
  ready,          // member is ready to move on
  not_ready,      // member withdrew their ready
  time_ended,     // the phase's time ran out (no member)
  all_ready,      // every present member was ready (no member)
  advanced,       // member moved the phase on
  extended,       // member gave the phase `minutes` more
  paused,         // member paused the round; text is their process note
  resumed,        // member resumed the round
  question,       // member asked a question; text is the question
  takeaway,       // member recorded a takeaway; text is the takeaway
  stopped,        // member stopped the run
  finished,       // every member presented; the run ended (no member)
};

struct consult_event {
  consult_event_kind kind = consult_event_kind::started;
  std::string member;      // who acted; empty for what time or readiness did
  std::int64_t at_ms = 0;  // room time
  int round = 0;           // 1-based round it happened in
  int phase_index = 0;     // 0-based phase it happened in
  int minutes = 0;         // for extended
  std::string text;        // for paused, question, takeaway
};

// A question captured during a consult.
struct consult_question {
  int id = 0;  // 1, 2, ... in the order asked within the run
  std::string text;
  std::string author;   // member id
  int round = 0;        // 1-based
  int phase_index = 0;  // 0-based
  std::string phase_title;
  std::int64_t at_ms = 0;
};

// A takeaway recorded by the presenter of a round.
struct consult_takeaway {
  int round = 0;       // the round they presented, 1-based
  std::string author;  // member id (the round's presenter)
  std::string text;
  std::int64_t at_ms = 0;
};

// A note logged when a member stopped the set (paused the round).
struct consult_process_note {
  std::string author;  // member id
  std::string text;    // what they wanted to look at; a default sentence when they gave none
  int round = 0;
  int phase_index = 0;
  std::int64_t at_ms = 0;
};

// One phase as it was (or is being) run, with its time.
struct consult_phase_record {
  int round = 0;        // 1-based
  int phase_index = 0;  // 0-based
  std::string title;
  bool counts_as_reflection = true;
  std::string presenter;  // member id
  std::int64_t started_at_ms = 0;
  std::int64_t ended_at_ms = 0;  // 0 while it is the current phase
  std::int64_t active_ms = 0;    // time in the phase, pauses excluded
  std::int64_t paused_ms = 0;    // time the round was paused during the phase
  int extended_minutes = 0;      // minutes added by extend
  consult_phase_end ended = consult_phase_end::not_yet;
  std::string ended_by;  // member id for advanced and stopped
};

// Reflection and task time of a run, from its phases.
struct consult_time_split {
  std::int64_t reflection_ms = 0;
  std::int64_t task_ms = 0;
  std::int64_t paused_ms = 0;  // time the round was paused: neither reflection nor task
};

// A member's part in the current phase.
struct consult_member_state {
  std::string member;  // member id
  std::string role_id;
  std::string role_name;
  consult_role_kind role_kind = consult_role_kind::consultant;
  std::string prompt;  // what the phase asks of this role; may be empty
  bool speaks = false;
  bool may_ask_questions = false;
  bool may_write_notes = false;
  bool may_edit_documents = false;
  bool turned_away = false;  // the presenter while presenter_turned_away holds
  bool present = false;
  bool ready = false;
};

// A snapshot of the run, for the room to send to members.
struct consult_state {
  consult_run_status status = consult_run_status::idle;
  std::string run_id;
  std::string script_id;
  std::string script_name;
  bool advance_when_ready = true;
  std::string started_by;
  std::string changed_by;  // who made the last attributed change
  int round = 0;           // 1-based; 0 when idle
  int round_count = 0;
  std::string presenter;                // member id of this round's presenter
  std::string facilitator;              // member id, or empty
  bool facilitator_keeps_time = false;  // see consult_start_options
  // The current phase; when finished or stopped, the phase the run ended in.
  int phase_index = 0;
  int phase_count = 0;
  std::string phase_title;
  std::string phase_rule;
  int phase_minutes = 0;  // planned, extensions included
  std::int64_t phase_started_at_ms = 0;
  std::int64_t phase_ends_at_ms = 0;  // 0 while paused (the end moves with the pause)
  std::int64_t remaining_ms = 0;      // frozen while paused; 0 once ended
  bool counts_as_reflection = false;  // false when no run is active
  // True while running a phase where the presenter turns away and listens (a client then
  // shows the presenter a private notes pane); false while paused, when the structure is
  // suspended to look at the process.
  bool presenter_turned_away = false;
  bool paused = false;
  std::string paused_by;
  std::int64_t paused_at_ms = 0;
  std::vector<consult_member_state> members;  // in seat order
  std::vector<std::string> ready;             // member ids, in seat order
  std::vector<std::string> waiting_for;       // present members not yet ready, in seat order
  consult_time_split time;                    // the run so far
  int question_count = 0;
};

// Limits the engine keeps (also in docs/consulting.md).
struct consult_limits {
  static constexpr int min_extend_minutes = 1;
  static constexpr int max_extend_minutes = 30;
  static constexpr int max_phase_minutes_extended = 240;    // a phase's length with extensions
  static constexpr std::size_t max_question_length = 1000;  // code points
  static constexpr std::size_t max_takeaway_length = 4000;
  static constexpr std::size_t max_process_note_length = 4000;
  static constexpr std::size_t max_questions = 1000;  // per run
  static constexpr std::size_t max_events = 10000;    // per run; bounds toggling
};

class consult_engine {
 public:
  consult_engine() = default;

  // Starts a run of `script` (copied; the engine never refers back to the catalog).
  // `members` are the member ids taking part, in seat order; `present` those connected now.
  // `by` is the member starting it. Refused when a run is active, when the script is invalid,
  // when the number of members is outside the script's seats, when the presenter or
  // facilitator is not a member, when the facilitator is also the presenter, when the script
  // has no facilitator role but one was named, or when fewer than two members would be left
  // to present and consult. On success the first phase of round 1 starts at `now_ms`.
  colead::status start(const consult_script& script, std::vector<std::string> members,
                       const std::vector<std::string>& present, consult_start_options options,
                       std::string_view by, std::int64_t now_ms);

  // Ends every phase whose time has ended by `now_ms`, each at its own end time.
  void tick(std::int64_t now_ms);

  // Records that a member connected or left. Only present members count towards "everyone is
  // ready", so a member leaving can let the phase move on.
  colead::status set_present(std::string_view member, bool present, std::int64_t now_ms);

  // `member` is ready to move on (or no longer ready). With advance_when_ready, the phase
  // moves on once every present member is ready. Refused while paused.
  colead::status ready(std::string_view member, std::int64_t now_ms);
  colead::status not_ready(std::string_view member, std::int64_t now_ms);

  // Moves the current phase on now, attributed to `member`. Refused while paused.
  colead::status advance(std::string_view member, std::int64_t now_ms);

  // Gives the current phase `minutes` more (1 to 30), attributed to `member`; refused when the
  // phase would exceed 240 minutes. Allowed while paused (the remaining time grows).
  colead::status extend(std::string_view member, int minutes, std::int64_t now_ms);

  // Pauses the round ("stop the set"): the phase clock stops and a process note is logged
  // with `note` (up to 4,000 characters; a default sentence when empty).
  colead::status pause(std::string_view member, std::string_view note, std::int64_t now_ms);

  // Resumes a paused round; the phase gets back the time it had left.
  colead::status resume(std::string_view member, std::int64_t now_ms);

  // Ends the run now, attributed to `member`. The run's record stays readable until the next
  // start.
  colead::status stop(std::string_view member, std::int64_t now_ms);

  // Whether `member` may do `what` now under the current phase's rules. Refusals are
  // not_allowed with a message that explains the rule, e.g. "During 'Consultants discuss' the
  // client listens with their back turned: your notes are private until the client turns
  // back." With no active run, notes and document edits are allowed and questions are not;
  // while paused, notes and document edits are allowed to everyone taking part and questions
  // are not. Members not taking part may not ask questions; their notes and edits are not the
  // consult's to govern. Personal notes (seen only by their author) are never governed.
  colead::status may_write(std::string_view member, consult_write what) const;

  // Captures a question (1 to 1,000 characters) asked by `member`, if may_write allows it.
  colead::status ask_question(std::string_view member, std::string_view text, std::int64_t now_ms);

  // Records a takeaway (1 to 4,000 characters) of a presenter about their round: allowed from
  // the last phase of their round on, including after the run ended.
  colead::status record_takeaway(std::string_view member, std::string_view text,
                                 std::int64_t now_ms);

  // Where the run stands.
  consult_run_status status() const { return status_; }
  // True while running or paused.
  bool is_active() const;

  // True when the current phase counts as reflection; false when no run is active.
  bool current_phase_counts_as_reflection() const;

  // The mode the meeting clock should be in because of the consult: the current phase's
  // declaration while running, reflection while paused (stopping the set to look at the
  // process is learning about how the set works), nullopt when no run is active (the room
  // keeps its own mode). A room switches its meeting clock when this changes.
  std::optional<consult_time_kind> implied_meeting_mode() const;

  // When the current phase's time ends (room ms), if running; nullopt otherwise.
  std::optional<std::int64_t> next_deadline_ms() const;

  // The snapshot at `now_ms` (remaining time and totals computed at `now_ms`, without changing
  // the state: call tick first).
  consult_state state(std::int64_t now_ms) const;

  // Every phase run so far, with its time up to `now_ms` for the current one.
  std::vector<consult_phase_record> phase_records(std::int64_t now_ms) const;

  // Reflection, task and paused time of the run up to `now_ms`.
  consult_time_split time_split(std::int64_t now_ms) const;

  // What the run captured, oldest first. Kept after the run ends, until the next start.
  const std::vector<consult_question>& questions() const { return questions_; }
  const std::vector<consult_takeaway>& takeaways() const { return takeaways_; }
  const std::vector<consult_process_note>& process_notes() const { return process_notes_; }
  const std::vector<consult_event>& events() const { return events_; }

  // The script being (or last) run, or nullptr before the first start.
  const consult_script* script() const { return has_script_ ? &script_ : nullptr; }

 private:
  struct seat {
    std::string member;
    bool present = false;
    bool ready = false;
  };

  std::int64_t catch_up(std::int64_t now_ms);
  colead::status check_acting_member(std::string_view member) const;
  colead::status check_event_room() const;
  // Refuses `member` doing `what` (e.g. "move on") while a time-keeping facilitator is present.
  colead::status check_keeps_time(std::string_view member, std::string_view what) const;
  seat* find_seat(std::string_view member);
  const seat* find_seat(std::string_view member) const;
  const consult_phase& current_phase() const { return script_.phases[phase_index_]; }
  const consult_role& role_of(std::string_view member) const;
  void enter_phase(std::int64_t at_ms);
  void end_phase(std::int64_t at_ms, consult_phase_end how, std::string_view by);
  void advance_if_all_ready(std::int64_t now_ms);
  void log(consult_event_kind kind, std::string_view member, std::int64_t at_ms, int minutes = 0,
           std::string text = {});
  std::int64_t current_active_ms(std::int64_t now_ms) const;

  consult_run_status status_ = consult_run_status::idle;
  consult_script script_;    // copy of the script being run
  bool has_script_ = false;  // false before the first start
  consult_start_options options_;
  std::string started_by_;
  std::string changed_by_;               // last member whose action changed the run
  std::vector<seat> seats_;              // members taking part, in seat order
  std::vector<std::string> presenters_;  // one per round, in order
  int round_index_ = 0;                  // 0-based index into presenters_
  std::size_t phase_index_ = 0;          // 0-based index into script_.phases
  std::int64_t phase_started_at_ = 0;    // room ms
  std::int64_t phase_ends_at_ = 0;       // room ms; meaningful while running
  std::int64_t remaining_at_pause_ = 0;  // phase time left when paused
  std::int64_t paused_at_ = 0;           // room ms; meaningful while paused
  std::string paused_by_;
  std::int64_t latest_now_ = 0;                // latest time seen; earlier times are raised to it
  std::vector<consult_phase_record> records_;  // every phase entered; back() is current
  std::vector<consult_question> questions_;
  std::vector<consult_takeaway> takeaways_;
  std::vector<consult_process_note> process_notes_;
  std::vector<consult_event> events_;
};

// Names for logs and the wire: "idle", "running", ...; "time_ended", ...; "started", ...
std::string_view to_string(consult_run_status status);
std::string_view to_string(consult_phase_end end);
std::string_view to_string(consult_event_kind kind);

}  // namespace colead::room
