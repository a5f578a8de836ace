// A new cohort as POST /api/cohorts asks for it: the request checked, its new rooms made,
// its facilitators' tokens drawn, and everything to store in one write batch, so a cohort is
// created whole or not at all. Also the facilitator links and the CSV of every link for a
// mail merge. Pure but for the random ids and tokens (tokens.hpp).
//
// Thread safety: functions of their arguments only; any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "colead/status.hpp"
#include "colead/v1/colead.pb.h"
#include "room/room_model.hpp"
#include "store/records.hpp"
#include "store/write_batch.hpp"

namespace colead::room {

// What a cohort may hold when it is created (CreateCohortRequest's comments).
struct cohort_creation_limits {
  std::size_t max_title_chars = 120;  // the cohort's title, in code points
  std::uint32_t max_rooms = 100;      // new and attached rooms together
  std::uint32_t min_seats = 2;        // seats of each new room
  std::uint32_t max_seats = 8;        // an action-learning set of up to 8
  std::size_t max_facilitators = 10;  // facilitators named at creation (and in all)
  std::size_t max_name_chars = 60;    // a facilitator's name, in code points
};

// A facilitator and their token, shown once.
struct facilitator_token {
  store::facilitator_record record;  // what is stored (the token's hash)
  std::string token;                 // the token itself, kept nowhere
};

// A cohort ready to store.
struct new_cohort {
  store::cohort_record cohort;
  std::vector<facilitator_token> facilitators;  // by number
  std::vector<new_room> rooms;                  // created with the cohort, in order
  std::vector<std::string> attached_room_ids;   // existing rooms, after the new ones
  store::write_batch batch;                     // the cohort, its rooms and facilitators
};

// Checks `request` and makes the cohort at wall time `now_ms`. Refuses with invalid_argument
// and a message for the person who sent it (no title, too many rooms, a repeated room ...).
// Attached rooms are only checked for their form here: the caller makes sure they exist and
// are in no other cohort, and the store refuses the batch if that changed meanwhile.
result<new_cohort> make_cohort(const v1::CreateCohortRequest& request, std::int64_t now_ms,
                               const cohort_creation_limits& limits = {});

// A new facilitator `number` of `cohort_id` called `name` (already checked), with a new token.
facilitator_token make_facilitator(const std::string& cohort_id, std::uint32_t number,
                                   std::string name);

// A facilitator's name as given: cleaned, 1 to max_name_chars code points. Refuses with
// invalid_argument.
result<std::string> facilitator_name(std::string_view name,
                                     const cohort_creation_limits& limits = {});

// The link of a facilitator: `<public_url>/c/<cohort id>#t=<token>` (the token in the
// fragment, which browsers never send to a server).
v1::FacilitatorInvite facilitator_invite(const std::string& public_url,
                                         const std::string& cohort_id,
                                         const facilitator_token& facilitator);

// The response to the request that made `cohort`, with every link and the CSV.
v1::CreateCohortResponse creation_response(const new_cohort& cohort, const std::string& public_url);

// Every link of `response` as CSV (RFC 4180, CRLF line ends): the header
// "kind,room,title,seat,name,link", one line per facilitator, one per seat of each new room.
// A field a spreadsheet would take as a formula (starting with = + - @, tab or CR) is
// prefixed with an apostrophe.
std::string cohort_csv(const v1::CreateCohortResponse& response);

}  // namespace colead::room
