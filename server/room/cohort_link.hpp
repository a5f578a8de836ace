// How a room in a cohort tells its cohort what it wrote for it (items raised with the
// programme, closings, answers to proposals), so the cohort's facilitators and its other
// rooms learn of them. The network layer implements it; room tests leave it null.
//
// Thread safety: implementations may be called from any room's strand at once; they hand
// the work to the cohort's own executor and never call back into the room synchronously.
#pragma once

#include <string>
#include <vector>

#include "store/records.hpp"

namespace colead::room {

class cohort_link {
 public:
  virtual ~cohort_link() = default;

  // After the room's write of cohort items is durable: the records it wrote, for cohort
  // `cohort_id` (each record's cohort_id is the same).
  virtual void items_written(const std::string& cohort_id,
                             std::vector<store::cohort_item_record> items) = 0;
};

}  // namespace colead::room
