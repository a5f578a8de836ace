// The learning record of a cohort, for its facilitators to take to the programme's board:
// every room's reflection shares, the learning of the rooms that chose to share it (notes
// that are not personal, consult takeaways), and the "you said, we did" log with its dates.
// Built from what the store holds and rendered as JSON (CohortExport) or Markdown. Rooms that
// do not share their learning give their reflection figures only: no document, note,
// question or takeaway of theirs. Items raised anonymously carry no room in the record, since
// it travels beyond the facilitators. Pure: no I/O.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "colead/v1/colead.pb.h"
#include "store/records.hpp"

namespace colead::room {

// True when `token` is the token of one of the cohort's facilitators. Compares with every
// facilitator in constant time each, so the time taken says nothing about which matched.
bool is_facilitator(const store::cohort_image& cohort, std::string_view token);

// The record of `cohort`, whose rooms as stored are `rooms` (in the cohort's order; a room
// missing from it is left out). Returns false with `error` when a room's stored documents do
// not replay.
bool build_cohort_record(const store::cohort_image& cohort,
                         const std::vector<store::room_image>& rooms, std::int64_t now_ms,
                         v1::CohortExport& out, std::string& error);

// The record as a Markdown document. Everything people wrote is escaped (markdown_text.hpp).
std::string render_cohort_markdown(const v1::CohortExport& record);

}  // namespace colead::room
