#include "room/programme_items.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "room/tokens.hpp"

namespace colead::room {

std::string proposal_item_id(std::string_view proposal_id, std::string_view room_id) {
  if (!is_valid_id(proposal_id) || !is_valid_id(room_id)) return {};
  std::string id;
  id.reserve(proposal_id.size() + 1 + room_id.size());
  id.append(proposal_id).append(".").append(room_id);
  return id;
}

bool split_proposal_item_id(std::string_view item_id, std::string& proposal_id,
                            std::string& room_id) {
  const auto at = item_id.find('.');
  if (at == std::string_view::npos) return false;
  const auto proposal = item_id.substr(0, at);
  const auto room = item_id.substr(at + 1);
  if (!is_valid_id(proposal) || !is_valid_id(room)) return false;
  proposal_id = std::string(proposal);
  room_id = std::string(room);
  return true;
}

namespace {

// The latest version of each (kind, item id), in the order each item was first written.
std::vector<const store::cohort_item_record*> latest(
    const std::vector<store::cohort_item_record>& items) {
  std::map<std::pair<std::string, std::string>, const store::cohort_item_record*> by_key;
  for (const auto& item : items) {
    auto& slot = by_key[{item.kind, item.item_id}];
    if (slot == nullptr || item.version > slot->version) slot = &item;
  }
  std::vector<const store::cohort_item_record*> out;
  out.reserve(by_key.size());
  for (const auto& [key, item] : by_key)
    out.push_back(item);
  return out;
}

template <class Message>
bool parse(const store::cohort_item_record& item, Message& out) {
  return out.ParseFromString(item.payload);
}

}  // namespace

v1::ProgrammeState merge_programme(const std::string& cohort_id, const std::string& title,
                                   const std::vector<store::cohort_item_record>& items) {
  v1::ProgrammeState state;
  state.set_cohort_id(cohort_id);
  state.set_cohort_title(title);
  const auto current = latest(items);

  std::vector<v1::ProgrammeItem> raised;
  std::vector<v1::ProgrammeAnswer> answers;
  std::map<std::string, v1::ProgrammeItem> closings;  // by item id
  std::map<std::string, std::string> groups;          // item id -> group
  std::vector<std::pair<std::int64_t, v1::ScriptProposal>> proposals;
  std::vector<std::string> answered_proposals;  // item ids
  for (const auto* item : current) {
    if (item->kind == cohort_kind::raised) {
      v1::ProgrammeItem p;
      if (parse(*item, p) && !p.id().empty()) raised.push_back(std::move(p));
    } else if (item->kind == cohort_kind::closed) {
      v1::ProgrammeItem p;
      if (parse(*item, p)) closings[item->item_id] = std::move(p);
    } else if (item->kind == cohort_kind::group) {
      v1::ProgrammeItem p;
      if (parse(*item, p)) groups[item->item_id] = p.group();
    } else if (item->kind == cohort_kind::answer) {
      v1::ProgrammeAnswer a;
      if (parse(*item, a) && !a.id().empty()) answers.push_back(std::move(a));
    } else if (item->kind == cohort_kind::proposal) {
      v1::ScriptProposal p;
      if (parse(*item, p)) {
        p.set_id(item->item_id);
        proposals.emplace_back(item->at_ms, std::move(p));
      }
    } else if (item->kind == cohort_kind::proposal_answer) {
      answered_proposals.push_back(item->item_id);
    }
  }

  std::stable_sort(raised.begin(), raised.end(), [](const auto& a, const auto& b) {
    return a.raised_at_ms() != b.raised_at_ms() ? a.raised_at_ms() < b.raised_at_ms()
                                                : a.id() < b.id();
  });
  std::stable_sort(answers.begin(), answers.end(), [](const auto& a, const auto& b) {
    return a.at_ms() != b.at_ms() ? a.at_ms() < b.at_ms() : a.id() < b.id();
  });
  // The latest answer naming an item is the one that answers it.
  std::map<std::string, std::string> answer_of;
  for (const auto& a : answers)
    for (const auto& id : a.item_ids())
      answer_of[id] = a.id();

  for (auto& item : raised) {
    if (auto g = groups.find(item.id()); g != groups.end()) item.set_group(g->second);
    if (auto a = answer_of.find(item.id()); a != answer_of.end()) item.set_answer_id(a->second);
    if (auto c = closings.find(item.id()); c != closings.end()) {
      item.set_closed(c->second.closed());
      item.set_closed_at_ms(c->second.closed() ? c->second.closed_at_ms() : 0);
    }
    *state.add_items() = std::move(item);
  }
  for (auto& a : answers)
    *state.add_answers() = std::move(a);

  std::stable_sort(proposals.begin(), proposals.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [at, p] : proposals) {
    (void)at;
    const bool answered = std::find(answered_proposals.begin(), answered_proposals.end(), p.id()) !=
                          answered_proposals.end();
    if (!answered) *state.add_proposals() = std::move(p);
  }
  return state;
}

v1::ProgrammeState view_for_room(const v1::ProgrammeState& full, const std::string& room_id) {
  v1::ProgrammeState view;
  view.set_cohort_id(full.cohort_id());
  view.set_cohort_title(full.cohort_title());
  for (const auto& item : full.items()) {
    auto* copy = view.add_items();
    *copy = item;
    if (item.anonymous() && item.room_id() != room_id) {
      copy->clear_room_id();
      copy->clear_room_title();
    }
  }
  *view.mutable_answers() = full.answers();
  for (const auto& p : full.proposals()) {
    std::string proposal, room;
    if (!split_proposal_item_id(p.id(), proposal, room) || room != room_id) continue;
    auto* copy = view.add_proposals();
    *copy = p;
    copy->set_id(proposal);
  }
  return view;
}

v1::ProgrammeState view_for_facilitators(const v1::ProgrammeState& full) {
  v1::ProgrammeState view = full;
  view.clear_proposals();
  return view;
}

}  // namespace colead::room
