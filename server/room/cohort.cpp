#include "room/cohort.hpp"

#include <algorithm>
#include <set>

#include "ot/utf8.hpp"
#include "room/programme_items.hpp"
#include "room/text_limits.hpp"

namespace colead::room {

namespace {

std::size_t chars(const std::string& text) {
  return ot::utf8::count_code_points(text);
}

// `text` cleaned, or the refusal naming `what` when it is not 1 to `max` characters (0 to
// `max` when `optional`).
result<std::string> checked_text(const std::string& raw, const char* what, std::size_t max,
                                 bool optional = false, bool newlines = true) {
  if (!is_valid_text(raw))
    return status::invalid_argument(std::string(what) + " is not valid UTF-8");
  auto text = clean_text(raw, newlines);
  if (text.empty() && !optional) return status::invalid_argument(std::string(what) + " is empty");
  if (chars(text) > max) {
    return status::too_large(std::string(what) + " can be at most " + std::to_string(max) +
                             " characters");
  }
  return text;
}

}  // namespace

cohort::cohort(std::string id, std::string title, std::vector<facilitator_seat> facilitators,
               std::vector<std::string> rooms, const std::vector<store::cohort_item_record>& items,
               cohort_limits limits)
    : id_(std::move(id)),
      title_(std::move(title)),
      facilitators_(std::move(facilitators)),
      rooms_(std::move(rooms)),
      limits_(limits) {
  std::sort(facilitators_.begin(), facilitators_.end(),
            [](const auto& a, const auto& b) { return a.number < b.number; });
  programme_ = merge_programme(id_, title_, {});
  add_items(items);
}

void cohort::reset(std::vector<facilitator_seat> facilitators, std::vector<std::string> rooms) {
  facilitators_ = std::move(facilitators);
  std::sort(facilitators_.begin(), facilitators_.end(),
            [](const auto& a, const auto& b) { return a.number < b.number; });
  rooms_ = std::move(rooms);
}

bool cohort::has_room(std::string_view room_id) const {
  return std::find(rooms_.begin(), rooms_.end(), room_id) != rooms_.end();
}

const facilitator_seat* cohort::facilitator_for_token(std::string_view token) const {
  if (token.empty()) return nullptr;
  const auto h = hash_token(token);
  const facilitator_seat* found = nullptr;
  for (const auto& f : facilitators_)
    if (same_hash(f.hash, h)) found = &f;
  return found;
}

const facilitator_seat* cohort::facilitator(std::uint32_t number) const {
  for (const auto& f : facilitators_)
    if (f.number == number) return &f;
  return nullptr;
}

bool cohort::update_overview(v1::RoomOverview overview) {
  if (!has_room(overview.room_id())) return false;
  auto& slot = overviews_[overview.room_id()];
  auto before = slot;
  before.clear_server_time_ms();
  auto after = overview;
  after.clear_server_time_ms();
  if (before.SerializeAsString() == after.SerializeAsString()) return false;
  slot = std::move(overview);
  return true;
}

std::vector<v1::RoomOverview> cohort::overviews() const {
  std::vector<v1::RoomOverview> out;
  out.reserve(rooms_.size());
  for (const auto& id : rooms_) {
    if (auto it = overviews_.find(id); it != overviews_.end()) {
      out.push_back(it->second);
    } else {
      out.emplace_back().set_room_id(id);
    }
  }
  return out;
}

bool cohort::add_items(const std::vector<store::cohort_item_record>& items) {
  bool any = false;
  for (const auto& item : items) {
    auto& slot = items_[{item.kind, item.item_id}];
    if (!slot.kind.empty() && slot.version >= item.version) continue;
    slot = item;
    any = true;
  }
  if (!any) return false;
  std::vector<store::cohort_item_record> all;
  all.reserve(items_.size());
  for (const auto& [key, item] : items_)
    all.push_back(item);
  auto merged = merge_programme(id_, title_, all);
  if (merged.SerializeAsString() == programme_.SerializeAsString()) return false;
  programme_ = std::move(merged);
  return true;
}

v1::CohortWelcome cohort::welcome(const facilitator_seat& who, std::int64_t wall_ms,
                                  double time_scale) const {
  v1::CohortWelcome w;
  w.set_cohort_id(id_);
  w.set_title(title_);
  w.set_facilitator(who.number);
  w.set_name(who.name);
  w.set_server_time_ms(wall_ms);
  w.set_time_scale(time_scale);
  for (auto& o : overviews())
    *w.add_rooms() = std::move(o);
  *w.mutable_programme() = view_for_facilitators(programme_);
  return w;
}

result<std::vector<std::string>> cohort::targets(
    const google::protobuf::RepeatedPtrField<std::string>& room_ids) const {
  if (room_ids.empty()) return rooms_;
  std::vector<std::string> out;
  for (const auto& id : room_ids) {
    if (!has_room(id)) {
      return status::not_found("room " + (is_valid_id(id) ? id : std::string("(not an id)")) +
                               " is not in this cohort");
    }
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

store::cohort_item_record cohort::item(std::string kind, std::string item_id, std::int64_t at_ms,
                                       const google::protobuf::Message& payload) const {
  store::cohort_item_record r;
  r.cohort_id = id_;
  r.item_id = item_id;
  r.at_ms = at_ms;
  r.payload = payload.SerializeAsString();
  auto it = items_.find({kind, item_id});
  r.version = it == items_.end() ? 1 : it->second.version + 1;
  r.kind = std::move(kind);
  return r;
}

bool cohort::has_raised(const std::string& item_id) const {
  return items_.count({cohort_kind::raised, item_id}) > 0;
}

result<facilitator_plan> cohort::plan(const facilitator_seat& by,
                                      const v1::FacilitatorCommand& command, std::int64_t wall_ms,
                                      const script_catalog& scripts,
                                      const std::function<std::string()>& make_id) const {
  facilitator_plan plan;
  switch (command.action_case()) {
    case v1::FacilitatorCommand::kBroadcast: {
      const auto& b = command.broadcast();
      auto text = checked_text(b.text(), "the message", limits_.max_message_chars);
      if (!text) return text.error();
      auto rooms = targets(b.room_ids());
      if (!rooms) return rooms.error();
      v1::Nudge nudge;
      nudge.set_kind(v1::Nudge::FACILITATOR_MESSAGE);
      nudge.set_message(text.value());
      nudge.set_at_ms(wall_ms);
      nudge.set_from_facilitator(by.name);
      plan.writes.push_back(item(cohort_kind::notice, make_id(), wall_ms, nudge));
      for (const auto& room : rooms.value())
        plan.nudges.emplace_back(room, nudge);
      return plan;
    }
    case v1::FacilitatorCommand::kCallTime: {
      const auto& c = command.call_time();
      if (c.minutes_left() < 1 || c.minutes_left() > limits_.max_minutes_left) {
        return status::invalid_argument("minutesLeft must be 1 to " +
                                        std::to_string(limits_.max_minutes_left));
      }
      auto text = checked_text(c.text(), "the words with the call of time",
                               limits_.max_message_chars, true);
      if (!text) return text.error();
      auto rooms = targets(c.room_ids());
      if (!rooms) return rooms.error();
      v1::Nudge nudge;
      nudge.set_kind(v1::Nudge::TIME_CALL);
      const auto minutes = c.minutes_left();
      nudge.set_message(!text.value().empty() ? text.value()
                        : minutes == 1        ? std::string("One minute left")
                                              : std::to_string(minutes) + " minutes left");
      nudge.set_at_ms(wall_ms);
      nudge.set_from_facilitator(by.name);
      nudge.set_minutes_left(minutes);
      plan.writes.push_back(item(cohort_kind::notice, make_id(), wall_ms, nudge));
      for (const auto& room : rooms.value())
        plan.nudges.emplace_back(room, nudge);
      return plan;
    }
    case v1::FacilitatorCommand::kProposeScript: {
      const auto& p = command.propose_script();
      const auto* script = is_valid_id(p.script_id()) ? scripts.find(p.script_id()) : nullptr;
      if (script == nullptr) {
        return status::not_found("there is no script with that id (GET /api/scripts lists them)");
      }
      auto rooms = targets(p.room_ids());
      if (!rooms) return rooms.error();
      const auto proposal_id = make_id();
      v1::ScriptProposal proposal;
      proposal.set_id(proposal_id);
      proposal.set_script_id(script->id);
      proposal.set_script_title(script->name);
      proposal.set_from_facilitator(by.name);
      proposal.set_at_ms(wall_ms);
      for (const auto& room : rooms.value()) {
        auto item_id = proposal_item_id(proposal_id, room);
        if (item_id.empty()) {
          return status::invalid_argument("room " + room + " cannot take proposals");
        }
        plan.writes.push_back(item(cohort_kind::proposal, item_id, wall_ms, proposal));
        plan.proposed_to.push_back(room);
      }
      return plan;
    }
    case v1::FacilitatorCommand::kAnswer: {
      const auto& a = command.answer();
      auto text = checked_text(a.text(), "the answer", limits_.max_answer_chars);
      if (!text) return text.error();
      if (a.item_ids().empty()) {
        return status::invalid_argument("an answer names at least one item it answers");
      }
      if (static_cast<std::size_t>(a.item_ids_size()) > limits_.max_items_per_command) {
        return status::too_large("an answer can name at most " +
                                 std::to_string(limits_.max_items_per_command) + " items");
      }
      v1::ProgrammeAnswer answer;
      std::set<std::string> seen;
      for (const auto& id : a.item_ids()) {
        if (!has_raised(id)) return status::not_found("no item raised in this cohort has that id");
        if (seen.insert(id).second) answer.add_item_ids(id);
      }
      answer.set_id(make_id());
      answer.set_text(text.value());
      answer.set_answered_by(by.name);
      answer.set_at_ms(wall_ms);
      plan.writes.push_back(item(cohort_kind::answer, answer.id(), wall_ms, answer));
      return plan;
    }
    case v1::FacilitatorCommand::kGroup: {
      const auto& g = command.group();
      auto label =
          checked_text(g.group(), "the group's label", limits_.max_group_chars, true, false);
      if (!label) return label.error();
      if (g.item_ids().empty()) return status::invalid_argument("name at least one item to group");
      if (static_cast<std::size_t>(g.item_ids_size()) > limits_.max_items_per_command) {
        return status::too_large("a group can take at most " +
                                 std::to_string(limits_.max_items_per_command) + " items at once");
      }
      std::set<std::string> seen;
      for (const auto& id : g.item_ids()) {
        if (!has_raised(id)) return status::not_found("no item raised in this cohort has that id");
        if (!seen.insert(id).second) continue;
        v1::ProgrammeItem grouped;
        grouped.set_id(id);
        grouped.set_group(label.value());
        plan.writes.push_back(item(cohort_kind::group, id, wall_ms, grouped));
      }
      return plan;
    }
    case v1::FacilitatorCommand::ACTION_NOT_SET:
      break;
  }
  return status::invalid_argument("the command names no action");
}

}  // namespace colead::room
