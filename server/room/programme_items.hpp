// A cohort's "you said, we did" as one ProgrammeState, merged from its stored items, and the
// views of it that a room and the facilitators receive.
//
// Cohort item kinds (store::cohort_item_record; every payload is a serialised v1 message):
//   raised           a room's item (v1.ProgrammeItem), item_id = the item's id; written by it
//   closed           the raising room closes or reopens it (v1.ProgrammeItem with id, closed,
//                    closed_at_ms), item_id = the item's id
//   answer           a facilitator's answer (v1.ProgrammeAnswer), item_id = the answer's id
//   group            the facilitators' group of an item (v1.ProgrammeItem with id and group),
//                    item_id = the item's id
//   proposal         a script proposed to one room (v1.ScriptProposal), item_id =
//                    proposal_item_id(proposal id, room id)
//   proposal_answer  the room accepted or declined it (v1.ScriptProposal), same item_id: the
//                    proposal is no longer open
//   notice           a facilitator's message or call of time (v1.Nudge), for the record
//
// Pure functions of their arguments; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "colead/v1/colead.pb.h"
#include "store/records.hpp"

namespace colead::room {

namespace cohort_kind {
inline constexpr const char* raised = "raised";
inline constexpr const char* closed = "closed";
inline constexpr const char* answer = "answer";
inline constexpr const char* group = "group";
inline constexpr const char* proposal = "proposal";
inline constexpr const char* proposal_answer = "proposal_answer";
inline constexpr const char* notice = "notice";
}  // namespace cohort_kind

// The item id of a proposal's copy for one room: "<proposal id>.<room id>" (store::
// valid_cohort_item_id). Empty when either is not a valid id.
std::string proposal_item_id(std::string_view proposal_id, std::string_view room_id);

// The proposal id and room id of a proposal's item id; false when it is not one.
bool split_proposal_item_id(std::string_view item_id, std::string& proposal_id,
                            std::string& room_id);

// The cohort's whole programme: every raised item (oldest first, with its group, answer and
// closing applied), every answer (oldest first), and every open proposal with its id set to
// its item id (proposal_item_id), so it says which room it is for. `items` may hold several
// versions of an item in any order: the highest version of each counts. Items whose payload
// does not parse are skipped.
v1::ProgrammeState merge_programme(const std::string& cohort_id, const std::string& title,
                                   const std::vector<store::cohort_item_record>& items);

// What room `room_id` sees of `full`: other rooms' anonymous items without their room id and
// title, and only its own open proposals, each with its plain proposal id.
v1::ProgrammeState view_for_room(const v1::ProgrammeState& full, const std::string& room_id);

// What facilitators see of `full`: everything but the proposals.
v1::ProgrammeState view_for_facilitators(const v1::ProgrammeState& full);

}  // namespace colead::room
