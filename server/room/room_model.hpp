// What a room is and holds, as plain data: what the store saves and loads, and what the
// room mutates on its strand. No behaviour beyond construction lives here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "room/clock.hpp"
#include "room/document.hpp"
#include "room/reflection_rule.hpp"
#include "room/tokens.hpp"
#include "store/records.hpp"

namespace colead::room {

// Where a member's caret is.
struct selection_model {
  std::string doc;           // document id; empty when none
  std::uint32_t anchor = 0;  // fixed end, code points
  std::uint32_t head = 0;    // caret, code points
};

// One seat: the invite token's hash and the member who holds it.
struct seat_model {
  std::uint32_t number = 0;   // 1-based
  token_hash hash{};          // SHA-256 of the invite token; the token itself is never kept
  std::string member_id;      // stable id of whoever holds the seat
  std::string name;           // display name, empty until the seat is first taken
  std::string role;           // context role the member states
  bool taken = false;         // true once someone joined with the token
  selection_model selection;  // last known caret (not stored)
};

// The room's shared settings; any member may change them.
struct room_settings {
  unsigned reflection_target_pct = reflection_rule::default_target_pct;  // of new meetings
  unsigned nudge_lead_minutes = 5;                                       // how early nudges come
  bool auto_reflect = false;       // switch to reflection by itself at the latest moment
  bool advance_when_ready = true;  // a consult phase moves on when everyone is ready
  // The room shares its learning (notes that are not personal, consult takeaways) with the
  // facilitators of its cohort; who last changed that, and when (wall clock).
  bool share_with_cohort = false;
  std::string share_changed_by;
  std::int64_t share_changed_at_ms = 0;
};

struct room_model {
  std::string id;                               // path-safe id
  std::string title;                            // what the room is for
  std::int64_t created_at_ms = 0;               // wall clock
  std::vector<seat_model> seats;                // 2 to 8
  std::vector<document_state> docs;             // in display order (removed ones kept)
  room_settings settings;                       // shared settings
  std::vector<std::string> erase_confirmed_by;  // members who asked for the room's erasure
  std::vector<store::item_record> items;        // meetings, notes ... as loaded (latest versions)
  std::string cohort_id;                        // the cohort the room is in; empty: none
  // The seat kept for an action-learning set's facilitator (the last seat); 0: none.
  std::uint32_t facilitator_seat = 0;
};

// A new room and the invite tokens of its seats (in seat order). The tokens are returned
// once and kept nowhere. Every room starts with "Shared purpose" and "Shared principles".
struct new_room {
  room_model model;
  std::vector<std::string> tokens;
};
// With `facilitator_seat` the last seat is kept for the set's facilitator.
new_room make_room(std::string title, unsigned seats, const clock& clock,
                   const ot::server_options& doc_options = {}, bool facilitator_seat = false);

// The fewest seats of a room with a facilitator seat: the facilitator and two members.
inline constexpr unsigned min_seats_with_facilitator = 3;

// The member id of the seat kept for the facilitator once someone has taken it; empty when
// the room has no such seat or it is not taken yet.
std::string facilitator_member(const room_model& model);

// The ids of the two documents every room starts with.
inline constexpr const char* purpose_doc_id = "purpose";
inline constexpr const char* principles_doc_id = "principles";

}  // namespace colead::room
