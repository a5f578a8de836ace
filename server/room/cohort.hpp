// A cohort: the rooms of one programme, its facilitators, how each room is doing and the
// programme's "you said, we did", as its facilitators see them; and what a facilitator's
// command does.
//
// Facilitators are known by their tokens' hashes only (compared in constant time). A
// command never edits anything of a room: it becomes cohort items to store (a notice, a
// proposal per room, an answer, a group) and nudges the rooms receive as coming from the
// facilitator. plan() decides and changes nothing; the owner stores what it returns, then
// add_items() applies it, so a refused or failed command leaves the cohort as it was.
//
// Thread safety: none; its owner calls it on one strand.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "colead/status.hpp"
#include "colead/v1/colead.pb.h"
#include "room/consult_script.hpp"
#include "room/tokens.hpp"
#include "store/records.hpp"

namespace colead::room {

// One facilitator of a cohort.
struct facilitator_seat {
  std::uint32_t number = 0;  // 1-based, in the cohort
  token_hash hash{};         // SHA-256 of their token; the token itself is never kept
  std::string name;          // shown to the rooms as who a message is from
};

// Limits on what facilitators send (FacilitatorCommand's comments).
struct cohort_limits {
  std::size_t max_message_chars = 500;      // a broadcast or a call of time's words
  std::size_t max_answer_chars = 4'000;     // an answer
  std::size_t max_group_chars = 80;         // a group's label
  std::uint32_t max_minutes_left = 120;     // a call of time
  std::size_t max_items_per_command = 100;  // items one answer or group names
};

// What one facilitator command does once stored.
struct facilitator_plan {
  std::vector<store::cohort_item_record> writes;          // cohort items to store
  std::vector<std::pair<std::string, v1::Nudge>> nudges;  // room id, what it is told
  std::vector<std::string> proposed_to;                   // rooms given a new proposal
};

class cohort {
 public:
  // `rooms` in the cohort's order; `items` as loaded (any versions, any order).
  cohort(std::string id, std::string title, std::vector<facilitator_seat> facilitators,
         std::vector<std::string> rooms, const std::vector<store::cohort_item_record>& items,
         cohort_limits limits = {});

  const std::string& id() const { return id_; }
  // Replaces the facilitators and rooms with what the store now holds (a token replaced, a
  // room attached); overviews and items stay.
  void reset(std::vector<facilitator_seat> facilitators, std::vector<std::string> rooms);
  const std::string& title() const { return title_; }
  const std::vector<std::string>& rooms() const { return rooms_; }
  bool has_room(std::string_view room_id) const;

  // The facilitator whose token this is, or null. Compares with every facilitator, so the
  // time taken says nothing about which one matched.
  const facilitator_seat* facilitator_for_token(std::string_view token) const;
  // Facilitator number `number`, or null.
  const facilitator_seat* facilitator(std::uint32_t number) const;

  // Records how a room of the cohort is doing. Returns false (and keeps nothing) when the
  // room is not in the cohort or nothing but the time it was taken at differs from the last.
  bool update_overview(v1::RoomOverview overview);
  // The last overview of each room in the cohort's order; a room not heard from yet has
  // only its id.
  std::vector<v1::RoomOverview> overviews() const;

  // The cohort's whole programme (merge_programme), proposals included.
  const v1::ProgrammeState& programme() const { return programme_; }
  // Applies stored items (from a room or from plan()). Returns true when the programme
  // changed.
  bool add_items(const std::vector<store::cohort_item_record>& items);

  // The welcome of facilitator `who`.
  v1::CohortWelcome welcome(const facilitator_seat& who, std::int64_t wall_ms,
                            double time_scale) const;

  // What `command` from `by` does at wall time `wall_ms`: cohort items to store and nudges
  // for the rooms. Refuses (changing nothing) with invalid_argument for a malformed command,
  // too_large over a limit, not_found for an unknown room, item or script. `make_id` gives
  // new answer, proposal and notice ids ([a-z0-9]).
  result<facilitator_plan> plan(const facilitator_seat& by, const v1::FacilitatorCommand& command,
                                std::int64_t wall_ms, const script_catalog& scripts,
                                const std::function<std::string()>& make_id) const;

 private:
  result<std::vector<std::string>> targets(
      const google::protobuf::RepeatedPtrField<std::string>& room_ids) const;
  store::cohort_item_record item(std::string kind, std::string item_id, std::int64_t at_ms,
                                 const google::protobuf::Message& payload) const;
  bool has_raised(const std::string& item_id) const;

  std::string id_;                                     // cohort id
  std::string title_;                                  // cohort title
  std::vector<facilitator_seat> facilitators_;         // by number
  std::vector<std::string> rooms_;                     // in the cohort's order
  cohort_limits limits_;                               // what commands may hold
  std::map<std::string, v1::RoomOverview> overviews_;  // latest per room id
  // The latest version of every stored item, by (kind, item id).
  std::map<std::pair<std::string, std::string>, store::cohort_item_record> items_;
  v1::ProgrammeState programme_;  // merged from items_
};

}  // namespace colead::room
