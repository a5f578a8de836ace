#include "room/consult_engine.hpp"
#include "ot/utf8.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace colead::room {

namespace {

constexpr std::int64_t ms_per_minute = 60'000;

std::string quoted(std::string_view s) {
  // Appended piece by piece: GCC 12 at -O3 wrongly sees `"'" + std::string(s)` overlap.
  std::string out;
  out.reserve(s.size() + 2);
  out += '\'';
  out += s;
  out += '\'';
  return out;
}

bool contains(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string_view trim(std::string_view s) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

// A role name as it reads inside a sentence: "Client" -> "client", but "GP" stays "GP".
std::string in_sentence(std::string_view name) {
  std::string out(name);
  if (out.size() >= 2 && std::isupper(static_cast<unsigned char>(out[0])) &&
      !std::isupper(static_cast<unsigned char>(out[1]))) {
    out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  }
  return out;
}

std::string with_article(std::string_view name) {
  const std::string n = in_sentence(name);
  const char first = n.empty() ? 'x' : static_cast<char>(std::tolower(n[0]));
  const bool vowel = first == 'a' || first == 'e' || first == 'i' || first == 'o' || first == 'u';
  return (vowel ? "an " : "a ") + n;
}

std::string_view verb(consult_write what) {
  switch (what) {
    case consult_write::question:
      return "ask questions";
    case consult_write::note:
      return "write shared notes";
    case consult_write::document_edit:
      return "edit the shared documents";
  }
  return "write";
}

std::string seats_text(const consult_script& script) {
  if (script.min_members == script.max_members) {
    return std::to_string(script.min_members) + " members";
  }
  return std::to_string(script.min_members) + " to " + std::to_string(script.max_members) +
         " members";
}

}  // namespace

bool consult_engine::is_active() const {
  return status_ == consult_run_status::running || status_ == consult_run_status::paused;
}

status consult_engine::start(const consult_script& script, std::vector<std::string> members,
                             const std::vector<std::string>& present, consult_start_options options,
                             std::string_view by, std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  if (is_active()) {
    return colead::status::not_allowed("A consult is already running (" + script_.name +
                                       ", round " + std::to_string(round_index_ + 1) + " of " +
                                       std::to_string(presenters_.size()) +
                                       "): stop it before starting another.");
  }
  if (const auto problems = validate_script(script, "script " + quoted(script.id));
      !problems.empty()) {
    return colead::status::not_allowed("This script cannot run: " + problems.front());
  }
  std::set<std::string_view> unique;
  for (const auto& member : members) {
    if (member.empty()) return colead::status::not_allowed("A member id is empty.");
    if (!unique.insert(member).second) {
      return colead::status::not_allowed("Member " + quoted(member) + " is listed twice.");
    }
  }
  const int count = static_cast<int>(members.size());
  if (count < script.min_members || count > script.max_members) {
    return colead::status::not_allowed(script.name + " is for " + seats_text(script) + "; " +
                                       std::to_string(count) + " are taking part.");
  }
  if (!unique.contains(by)) {
    return colead::status::not_allowed(quoted(by) +
                                       " is not taking part, so cannot start the consult.");
  }
  if (options.presenter.empty()) {
    return colead::status::not_allowed("Choose who presents first.");
  }
  if (!unique.contains(options.presenter)) {
    return colead::status::not_allowed("The presenter " + quoted(options.presenter) +
                                       " is not one of the members taking part.");
  }
  int presenters = count;
  if (!options.facilitator.empty()) {
    if (script.role_of_kind(consult_role_kind::facilitator) == nullptr) {
      return colead::status::not_allowed(script.name +
                                         " has no facilitator role: start it without one.");
    }
    if (!unique.contains(options.facilitator)) {
      return colead::status::not_allowed("The facilitator " + quoted(options.facilitator) +
                                         " is not one of the members taking part.");
    }
    if (options.facilitator == options.presenter) {
      return colead::status::not_allowed(
          "The facilitator never presents: choose another member to present first.");
    }
    presenters = count - 1;
  }
  if (presenters < 2) {
    return colead::status::not_allowed(
        "With a facilitator, at least two other members are needed to present and consult.");
  }
  for (const auto& member : present) {
    if (!unique.contains(member)) {
      return colead::status::not_allowed(quoted(member) +
                                         " is marked present but is not taking part.");
    }
  }

  // A new run forgets the previous one entirely; the room keeps what it needs of it. The
  // arguments are copied first because `script` or `by` may refer into this engine.
  consult_script script_copy = script;
  std::string started_by(by);
  *this = consult_engine();
  latest_now_ = now_ms;
  script_ = std::move(script_copy);
  has_script_ = true;
  options_ = std::move(options);
  started_by_ = std::move(started_by);
  changed_by_ = started_by_;
  for (auto& member : members) {
    const bool is_present = contains(present, member);
    seats_.push_back({std::move(member), is_present, false});
  }
  // Presenters follow seat order from the first presenter, skipping the facilitator.
  const auto first = std::find_if(seats_.begin(), seats_.end(),
                                  [&](const seat& s) { return s.member == options_.presenter; });
  const auto offset = static_cast<std::size_t>(first - seats_.begin());
  for (std::size_t i = 0; i < seats_.size(); ++i) {
    const auto& member = seats_[(offset + i) % seats_.size()].member;
    if (member == options_.facilitator) continue;
    presenters_.push_back(member);
    if (!script_.rotate_presenter) break;
  }
  status_ = consult_run_status::running;
  log(consult_event_kind::started, started_by_, now_ms);
  log(consult_event_kind::round_started, presenters_.front(), now_ms);
  enter_phase(now_ms);
  return colead::status::ok();
}

void consult_engine::tick(std::int64_t now_ms) {
  catch_up(now_ms);
}

std::int64_t consult_engine::catch_up(std::int64_t now_ms) {
  now_ms = std::max(now_ms, latest_now_);
  latest_now_ = now_ms;
  // Each phase ends at its own end time, so a late tick still accounts time to the right
  // phase and starts the next phase when it really began.
  while (status_ == consult_run_status::running && now_ms >= phase_ends_at_) {
    const std::int64_t at = phase_ends_at_;
    log(consult_event_kind::time_ended, {}, at);
    end_phase(at, consult_phase_end::time_ended, {});
  }
  return now_ms;
}

void consult_engine::enter_phase(std::int64_t at_ms) {
  const auto& phase = current_phase();
  phase_started_at_ = at_ms;
  phase_ends_at_ = at_ms + phase.minutes * ms_per_minute;
  for (auto& s : seats_)
    s.ready = false;
  consult_phase_record record;
  record.round = round_index_ + 1;
  record.phase_index = static_cast<int>(phase_index_);
  record.title = phase.title;
  record.counts_as_reflection = phase.counts_as_reflection;
  record.presenter = presenters_[static_cast<std::size_t>(round_index_)];
  record.started_at_ms = at_ms;
  records_.push_back(std::move(record));
}

void consult_engine::end_phase(std::int64_t at_ms, consult_phase_end how, std::string_view by) {
  auto& record = records_.back();
  record.ended_at_ms = at_ms;
  record.active_ms = at_ms - record.started_at_ms - record.paused_ms;
  record.ended = how;
  record.ended_by = std::string(by);
  if (how == consult_phase_end::stopped) {
    status_ = consult_run_status::stopped;
    return;
  }
  if (phase_index_ + 1 < script_.phases.size()) {
    ++phase_index_;
  } else if (static_cast<std::size_t>(round_index_) + 1 < presenters_.size()) {
    ++round_index_;
    phase_index_ = 0;
    log(consult_event_kind::round_started, presenters_[static_cast<std::size_t>(round_index_)],
        at_ms);
  } else {
    // The round and phase stay on the last ones, so the state says where the run ended.
    status_ = consult_run_status::finished;
    log(consult_event_kind::finished, {}, at_ms);
    return;
  }
  enter_phase(at_ms);
}

void consult_engine::advance_if_all_ready(std::int64_t now_ms) {
  if (status_ != consult_run_status::running || !options_.advance_when_ready) return;
  bool anyone_present = false;
  for (const auto& s : seats_) {
    if (!s.present) continue;
    if (!s.ready) return;
    anyone_present = true;
  }
  // Nobody present is nobody agreeing: only time or a member can move an empty room on.
  if (!anyone_present) return;
  log(consult_event_kind::all_ready, {}, now_ms);
  end_phase(now_ms, consult_phase_end::all_ready, {});
}

void consult_engine::log(consult_event_kind kind, std::string_view member, std::int64_t at_ms,
                         int minutes, std::string text) {
  consult_event event;
  event.kind = kind;
  event.member = std::string(member);
  event.at_ms = at_ms;
  event.round = round_index_ + 1;
  event.phase_index = static_cast<int>(phase_index_);
  event.minutes = minutes;
  event.text = std::move(text);
  events_.push_back(std::move(event));
}

consult_engine::seat* consult_engine::find_seat(std::string_view member) {
  for (auto& s : seats_) {
    if (s.member == member) return &s;
  }
  return nullptr;
}

const consult_engine::seat* consult_engine::find_seat(std::string_view member) const {
  for (const auto& s : seats_) {
    if (s.member == member) return &s;
  }
  return nullptr;
}

const consult_role& consult_engine::role_of(std::string_view member) const {
  // start() checked that the script has every role a member can be given.
  if (member == presenters_[static_cast<std::size_t>(round_index_)]) {
    return *script_.role_of_kind(consult_role_kind::presenter);
  }
  if (!options_.facilitator.empty() && member == options_.facilitator) {
    return *script_.role_of_kind(consult_role_kind::facilitator);
  }
  return *script_.role_of_kind(consult_role_kind::consultant);
}

status consult_engine::check_acting_member(std::string_view member) const {
  switch (status_) {
    case consult_run_status::idle:
      return colead::status::not_allowed("No consult is running.");
    case consult_run_status::finished:
      return colead::status::not_allowed("The consult has finished: every member presented.");
    case consult_run_status::stopped:
      return colead::status::not_allowed("The consult was stopped.");
    case consult_run_status::running:
    case consult_run_status::paused:
      break;
  }
  if (find_seat(member) == nullptr) {
    return colead::status::not_allowed(quoted(member) + " is not taking part in this consult.");
  }
  return colead::status::ok();
}

status consult_engine::check_keeps_time(std::string_view member, std::string_view what) const {
  const auto& facilitator = options_.facilitator;
  if (!options_.facilitator_keeps_time || facilitator.empty() || member == facilitator) {
    return colead::status::ok();
  }
  const auto* s = find_seat(facilitator);
  if (s == nullptr || !s->present) return colead::status::ok();
  return colead::status::not_allowed(quoted(facilitator) + " keeps time in this set: ask them to " +
                                     std::string(what) + ".");
}

status consult_engine::check_event_room() const {
  if (events_.size() >= consult_limits::max_events) {
    return colead::status::not_allowed("This consult has recorded " +
                                       std::to_string(consult_limits::max_events) +
                                       " actions, the most one run keeps: stop it and start "
                                       "another to go on.");
  }
  return colead::status::ok();
}

status consult_engine::set_present(std::string_view member, bool present, std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  if (!is_active()) return colead::status::ok();
  auto* s = find_seat(member);
  if (s == nullptr) {
    return colead::status::not_allowed(quoted(member) + " is not taking part in this consult.");
  }
  s->present = present;
  advance_if_all_ready(now_ms);
  return colead::status::ok();
}

status consult_engine::ready(std::string_view member, std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  if (auto st = check_acting_member(member); !st) return st;
  if (status_ == consult_run_status::paused) {
    return colead::status::not_allowed("The round is paused: resume it before moving on.");
  }
  auto* s = find_seat(member);
  if (s->ready) return colead::status::ok();
  if (auto st = check_event_room(); !st) return st;
  s->ready = true;
  changed_by_ = std::string(member);
  log(consult_event_kind::ready, member, now_ms);
  advance_if_all_ready(now_ms);
  return colead::status::ok();
}

status consult_engine::not_ready(std::string_view member, std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  if (auto st = check_acting_member(member); !st) return st;
  auto* s = find_seat(member);
  if (!s->ready) return colead::status::ok();
  if (auto st = check_event_room(); !st) return st;
  s->ready = false;
  changed_by_ = std::string(member);
  log(consult_event_kind::not_ready, member, now_ms);
  return colead::status::ok();
}

status consult_engine::advance(std::string_view member, std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  if (auto st = check_acting_member(member); !st) return st;
  if (auto st = check_keeps_time(member, "move on"); !st) return st;
  if (status_ == consult_run_status::paused) {
    return colead::status::not_allowed("The round is paused: resume it before moving on.");
  }
  if (auto st = check_event_room(); !st) return st;
  changed_by_ = std::string(member);
  log(consult_event_kind::advanced, member, now_ms);
  end_phase(now_ms, consult_phase_end::advanced, member);
  return colead::status::ok();
}

status consult_engine::extend(std::string_view member, int minutes, std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  if (auto st = check_acting_member(member); !st) return st;
  if (auto st = check_keeps_time(member, "give the phase more time"); !st) return st;
  if (minutes < consult_limits::min_extend_minutes ||
      minutes > consult_limits::max_extend_minutes) {
    return colead::status::not_allowed("Extend a phase by " +
                                       std::to_string(consult_limits::min_extend_minutes) + " to " +
                                       std::to_string(consult_limits::max_extend_minutes) +
                                       " minutes (not " + std::to_string(minutes) + ").");
  }
  auto& record = records_.back();
  const int planned = current_phase().minutes + record.extended_minutes;
  if (planned + minutes > consult_limits::max_phase_minutes_extended) {
    return colead::status::not_allowed(
        quoted(current_phase().title) + " is already planned for " + std::to_string(planned) +
        " minutes; a phase can run for at most " +
        std::to_string(consult_limits::max_phase_minutes_extended) + ".");
  }
  if (auto st = check_event_room(); !st) return st;
  if (status_ == consult_run_status::paused) {
    remaining_at_pause_ += minutes * ms_per_minute;
  } else {
    phase_ends_at_ += minutes * ms_per_minute;
  }
  record.extended_minutes += minutes;
  changed_by_ = std::string(member);
  log(consult_event_kind::extended, member, now_ms, minutes);
  return colead::status::ok();
}

status consult_engine::pause(std::string_view member, std::string_view note, std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  if (auto st = check_acting_member(member); !st) return st;
  if (status_ == consult_run_status::paused) {
    return colead::status::not_allowed("The round is already paused (by " + paused_by_ + ").");
  }
  note = trim(note);
  if (const auto n = ot::utf8::count_code_points(note);
      n > consult_limits::max_process_note_length) {
    return colead::status::too_large("A process note can be at most " +
                                     std::to_string(consult_limits::max_process_note_length) +
                                     " characters (this one has " + std::to_string(n) + ").");
  }
  if (auto st = check_event_room(); !st) return st;
  status_ = consult_run_status::paused;
  paused_at_ = now_ms;
  paused_by_ = std::string(member);
  remaining_at_pause_ = phase_ends_at_ - now_ms;
  changed_by_ = paused_by_;
  std::string text =
      note.empty() ? "The set stopped to look at how the round is going." : std::string(note);
  process_notes_.push_back(
      {paused_by_, text, round_index_ + 1, static_cast<int>(phase_index_), now_ms});
  log(consult_event_kind::paused, member, now_ms, 0, std::move(text));
  return colead::status::ok();
}

status consult_engine::resume(std::string_view member, std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  if (auto st = check_acting_member(member); !st) return st;
  if (auto st = check_keeps_time(member, "resume the round"); !st) return st;
  if (status_ != consult_run_status::paused) {
    return colead::status::not_allowed("The round is not paused.");
  }
  if (auto st = check_event_room(); !st) return st;
  records_.back().paused_ms += now_ms - paused_at_;
  phase_ends_at_ = now_ms + remaining_at_pause_;
  status_ = consult_run_status::running;
  paused_by_.clear();
  changed_by_ = std::string(member);
  log(consult_event_kind::resumed, member, now_ms);
  // Members may have left while the round was paused, leaving everyone present ready.
  advance_if_all_ready(now_ms);
  return colead::status::ok();
}

status consult_engine::stop(std::string_view member, std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  // Stopping is always possible, even with the event log full: it is how a run is ended.
  if (auto st = check_acting_member(member); !st) return st;
  if (auto st = check_keeps_time(member, "stop the consult"); !st) return st;
  if (status_ == consult_run_status::paused) {
    records_.back().paused_ms += now_ms - paused_at_;
    paused_by_.clear();
  }
  changed_by_ = std::string(member);
  log(consult_event_kind::stopped, member, now_ms);
  end_phase(now_ms, consult_phase_end::stopped, member);
  return colead::status::ok();
}

status consult_engine::may_write(std::string_view member, consult_write what) const {
  const bool question = what == consult_write::question;
  if (!is_active()) {
    if (question) {
      return colead::status::not_allowed(
          "No consult is running: questions are captured during a consult.");
    }
    return colead::status::ok();
  }
  if (find_seat(member) == nullptr) {
    if (question) {
      return colead::status::not_allowed(quoted(member) +
                                         " is not taking part in this consult, so cannot ask "
                                         "its questions.");
    }
    return colead::status::ok();
  }
  if (status_ == consult_run_status::paused) {
    if (question) {
      return colead::status::not_allowed(
          "The round is paused: questions are captured again when it resumes.");
    }
    return colead::status::ok();
  }
  const auto& phase = current_phase();
  const auto& role = role_of(member);
  if (role.kind == consult_role_kind::presenter && phase.presenter_turned_away) {
    const std::string name = in_sentence(role.name);
    return colead::status::not_allowed("During " + quoted(phase.title) + " the " + name +
                                       " listens with their back turned: your notes are "
                                       "private until the " +
                                       name + " turns back.");
  }
  const auto& writers = phase.writers(what);
  if (contains(writers, role.id)) return colead::status::ok();

  std::string message = "During " + quoted(phase.title) + " ";
  if (writers.empty()) {
    message += "no one may ";
  } else {
    message += "only ";
    for (std::size_t i = 0; i < writers.size(); ++i) {
      if (i > 0) message += i + 1 == writers.size() ? " or " : ", ";
      message += with_article(script_.find_role(writers[i])->name);
    }
    message += " may ";
  }
  message += verb(what);
  if (!phase.rule.empty()) message += " (" + phase.rule + ")";
  message += ".";
  return colead::status::not_allowed(std::move(message));
}

status consult_engine::ask_question(std::string_view member, std::string_view text,
                                    std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  if (auto st = may_write(member, consult_write::question); !st) return st;
  text = trim(text);
  if (text.empty()) return colead::status::not_allowed("A question needs some text.");
  if (const auto n = ot::utf8::count_code_points(text); n > consult_limits::max_question_length) {
    return colead::status::too_large("A question can be at most " +
                                     std::to_string(consult_limits::max_question_length) +
                                     " characters (this one has " + std::to_string(n) + ").");
  }
  if (questions_.size() >= consult_limits::max_questions) {
    return colead::status::not_allowed("This consult has captured " +
                                       std::to_string(consult_limits::max_questions) +
                                       " questions, the most one run keeps.");
  }
  if (auto st = check_event_room(); !st) return st;
  consult_question q;
  q.id = static_cast<int>(questions_.size()) + 1;
  q.text = std::string(text);
  q.author = std::string(member);
  q.round = round_index_ + 1;
  q.phase_index = static_cast<int>(phase_index_);
  q.phase_title = current_phase().title;
  q.at_ms = now_ms;
  questions_.push_back(q);
  changed_by_ = q.author;
  log(consult_event_kind::question, member, now_ms, 0, std::move(q.text));
  return colead::status::ok();
}

status consult_engine::record_takeaway(std::string_view member, std::string_view text,
                                       std::int64_t now_ms) {
  now_ms = catch_up(now_ms);
  if (status_ == consult_run_status::idle) {
    return colead::status::not_allowed("No consult has run: takeaways come at its end.");
  }
  // A presenter's round is over (or at its last phase) for every round before the current
  // one; the current round counts once it reaches its last phase or the run has ended.
  const bool current_round_done = !is_active() || phase_index_ + 1 == script_.phases.size();
  int round = 0;
  bool presents_later = false;
  for (std::size_t r = 0; r < presenters_.size(); ++r) {
    if (presenters_[r] != member) continue;
    const auto current = static_cast<std::size_t>(round_index_);
    if (r < current || (r == current && current_round_done)) {
      round = static_cast<int>(r) + 1;
    } else if (is_active()) {
      presents_later = true;
    }
  }
  if (round == 0) {
    if (presents_later) {
      return colead::status::not_allowed("Takeaways are recorded at the end of your round, from " +
                                         quoted(script_.phases.back().title) + " on.");
    }
    return colead::status::not_allowed("Only the presenter of a round records takeaways.");
  }
  text = trim(text);
  if (text.empty()) return colead::status::not_allowed("A takeaway needs some text.");
  if (const auto n = ot::utf8::count_code_points(text); n > consult_limits::max_takeaway_length) {
    return colead::status::too_large("A takeaway can be at most " +
                                     std::to_string(consult_limits::max_takeaway_length) +
                                     " characters (this one has " + std::to_string(n) + ").");
  }
  if (auto st = check_event_room(); !st) return st;
  takeaways_.push_back({round, std::string(member), std::string(text), now_ms});
  changed_by_ = std::string(member);
  log(consult_event_kind::takeaway, member, now_ms, 0, std::string(text));
  return colead::status::ok();
}

bool consult_engine::current_phase_counts_as_reflection() const {
  return is_active() && current_phase().counts_as_reflection;
}

std::optional<consult_time_kind> consult_engine::implied_meeting_mode() const {
  if (status_ == consult_run_status::paused) return consult_time_kind::reflection;
  if (status_ != consult_run_status::running) return std::nullopt;
  return current_phase().counts_as_reflection ? consult_time_kind::reflection
                                              : consult_time_kind::task;
}

std::optional<std::int64_t> consult_engine::next_deadline_ms() const {
  if (status_ != consult_run_status::running) return std::nullopt;
  return phase_ends_at_;
}

std::int64_t consult_engine::current_active_ms(std::int64_t now_ms) const {
  const auto& record = records_.back();
  const std::int64_t until =
      status_ == consult_run_status::paused ? paused_at_ : std::max(now_ms, latest_now_);
  return until - record.started_at_ms - record.paused_ms;
}

std::vector<consult_phase_record> consult_engine::phase_records(std::int64_t now_ms) const {
  std::vector<consult_phase_record> records = records_;
  if (is_active() && !records.empty()) {
    auto& current = records.back();
    current.active_ms = current_active_ms(now_ms);
    if (status_ == consult_run_status::paused) {
      current.paused_ms += std::max(now_ms, latest_now_) - paused_at_;
    }
  }
  return records;
}

consult_time_split consult_engine::time_split(std::int64_t now_ms) const {
  consult_time_split split;
  for (const auto& record : phase_records(now_ms)) {
    (record.counts_as_reflection ? split.reflection_ms : split.task_ms) += record.active_ms;
    split.paused_ms += record.paused_ms;
  }
  return split;
}

consult_state consult_engine::state(std::int64_t now_ms) const {
  now_ms = std::max(now_ms, latest_now_);
  consult_state st;
  st.status = status_;
  if (!has_script_) return st;
  st.run_id = options_.run_id;
  st.script_id = script_.id;
  st.script_name = script_.name;
  st.advance_when_ready = options_.advance_when_ready;
  st.started_by = started_by_;
  st.changed_by = changed_by_;
  st.round = round_index_ + 1;
  st.round_count = static_cast<int>(presenters_.size());
  st.presenter = presenters_[static_cast<std::size_t>(round_index_)];
  st.facilitator = options_.facilitator;
  st.facilitator_keeps_time = options_.facilitator_keeps_time && !options_.facilitator.empty();
  const auto& phase = current_phase();
  st.phase_index = static_cast<int>(phase_index_);
  st.phase_count = static_cast<int>(script_.phases.size());
  st.phase_title = phase.title;
  st.phase_rule = phase.rule;
  st.phase_minutes = phase.minutes + records_.back().extended_minutes;
  st.phase_started_at_ms = phase_started_at_;
  st.paused = status_ == consult_run_status::paused;
  const bool running = status_ == consult_run_status::running;
  if (running) {
    st.phase_ends_at_ms = phase_ends_at_;
    st.remaining_ms = std::max<std::int64_t>(0, phase_ends_at_ - now_ms);
  } else if (st.paused) {
    st.remaining_ms = remaining_at_pause_;
    st.paused_by = paused_by_;
    st.paused_at_ms = paused_at_;
  }
  st.counts_as_reflection = is_active() && phase.counts_as_reflection;
  st.presenter_turned_away = running && phase.presenter_turned_away;
  for (const auto& s : seats_) {
    consult_member_state m;
    m.member = s.member;
    const auto& role = role_of(s.member);
    m.role_id = role.id;
    m.role_name = role.name;
    m.role_kind = role.kind;
    if (const auto it = phase.prompts.find(role.id); it != phase.prompts.end()) {
      m.prompt = it->second;
    }
    m.speaks = contains(phase.speakers, role.id);
    m.may_ask_questions = may_write(s.member, consult_write::question).is_ok();
    m.may_write_notes = may_write(s.member, consult_write::note).is_ok();
    m.may_edit_documents = may_write(s.member, consult_write::document_edit).is_ok();
    m.turned_away = st.presenter_turned_away && role.kind == consult_role_kind::presenter;
    m.present = s.present;
    m.ready = s.ready;
    if (is_active()) {
      if (s.ready) st.ready.push_back(s.member);
      if (s.present && !s.ready) st.waiting_for.push_back(s.member);
    }
    st.members.push_back(std::move(m));
  }
  st.time = time_split(now_ms);
  st.question_count = static_cast<int>(questions_.size());
  return st;
}

std::string_view to_string(consult_run_status status) {
  switch (status) {
    case consult_run_status::idle:
      return "idle";
    case consult_run_status::running:
      return "running";
    case consult_run_status::paused:
      return "paused";
    case consult_run_status::finished:
      return "finished";
    case consult_run_status::stopped:
      return "stopped";
  }
  return "unknown";
}

std::string_view to_string(consult_phase_end end) {
  switch (end) {
    case consult_phase_end::not_yet:
      return "not_yet";
    case consult_phase_end::time_ended:
      return "time_ended";
    case consult_phase_end::all_ready:
      return "all_ready";
    case consult_phase_end::advanced:
      return "advanced";
    case consult_phase_end::stopped:
      return "stopped";
  }
  return "unknown";
}

std::string_view to_string(consult_event_kind kind) {
  switch (kind) {
    case consult_event_kind::started:
      return "started";
    case consult_event_kind::round_started:
      return "round_started";
    case consult_event_kind::ready:
      return "ready";
    case consult_event_kind::not_ready:
      return "not_ready";
    case consult_event_kind::time_ended:
      return "time_ended";
    case consult_event_kind::all_ready:
      return "all_ready";
    case consult_event_kind::advanced:
      return "advanced";
    case consult_event_kind::extended:
      return "extended";
    case consult_event_kind::paused:
      return "paused";
    case consult_event_kind::resumed:
      return "resumed";
    case consult_event_kind::question:
      return "question";
    case consult_event_kind::takeaway:
      return "takeaway";
    case consult_event_kind::stopped:
      return "stopped";
    case consult_event_kind::finished:
      return "finished";
  }
  return "unknown";
}

}  // namespace colead::room
