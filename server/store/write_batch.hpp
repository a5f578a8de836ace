// A write_batch: the mutations of one change (an edit, a command), for one or more rooms and
// cohorts,
// saved all together or not at all.
//
// Mutations apply in the order they were added, so a batch can create a room and its seats,
// or a document and its first op, in one go. Rules the store enforces (a batch that breaks
// one is rejected whole, and nothing of it is stored):
//  - put_room: inserts or updates the room; created_at_ms of an existing room is kept and
//    last_active_ms never moves back.
//  - put_seat, put_document: insert or update; the room must exist.
//  - append_op: the document must exist; rev must be 1 + the document's last op rev (1 for
//    the first); a rev or an edit_id already stored is `already_exists` (an op is never
//    overwritten).
//  - put_snapshot: the document must exist; rev must be 0 or the rev of a stored op (of this
//    batch or earlier); a snapshot at the same rev is replaced.
//  - put_item: the room must exist; version must be greater than the stored version, which
//    moves into the item's history (`conflict` otherwise).
//  - touch_room: last_active_ms becomes max(stored, at_ms); the room must exist.
//  - put_cohort: inserts or updates the cohort; created_at_ms of an existing cohort is kept.
//  - put_facilitator: insert or update by (cohort, number); the cohort must exist; another
//    facilitator of the cohort with the same token hash is `already_exists`.
//  - put_cohort_room: the cohort and the room must exist; a room already in another cohort is
//    `already_exists`; putting it again in its own cohort moves it to the new position.
//  - put_cohort_item: the cohort must exist; versions as put_item (`conflict` otherwise).
// A batch may mix rooms and cohorts (a room writes a cohort item with its own change).
// erase_room takes the room out of its cohort too.
//
// Thread safety: a plain value; build it on one thread, then hand it to store::submit.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "store/records.hpp"
#include "store/status.hpp"

namespace colead::store {

// Moves a room's last activity forward.
struct touch_record {
  std::string room_id;
  std::int64_t at_ms = 0;
};

// One mutation of a batch.
using mutation = std::variant<room_record, seat_record, document_record, op_record, snapshot_record,
                              item_record, touch_record, cohort_record, facilitator_record,
                              cohort_room_record, cohort_item_record>;

class write_batch {
 public:
  void put_room(room_record r) { add(std::move(r)); }
  void put_seat(seat_record s) { add(std::move(s)); }
  void put_document(document_record d) { add(std::move(d)); }
  void append_op(op_record o) { add(std::move(o)); }
  void put_snapshot(snapshot_record s) { add(std::move(s)); }
  void put_item(item_record i) { add(std::move(i)); }
  void touch_room(std::string room_id, std::int64_t at_ms) {
    add(touch_record{std::move(room_id), at_ms});
  }
  void put_cohort(cohort_record c) { add(std::move(c)); }
  void put_facilitator(facilitator_record f) { add(std::move(f)); }
  void put_cohort_room(cohort_room_record r) { add(std::move(r)); }
  void put_cohort_item(cohort_item_record i) { add(std::move(i)); }

  // Adds every mutation of `other` after this batch's own, in their order.
  void append(write_batch other);

  bool empty() const { return mutations_.empty(); }
  std::size_t size() const { return mutations_.size(); }
  const std::vector<mutation>& mutations() const { return mutations_; }

  // Roughly how many bytes the batch holds (what the write queue bounds).
  std::size_t byte_size() const { return bytes_; }

  // Checks what can be checked without the stored data: ids, kinds, token hashes, revs, a
  // non-empty edit id, a non-empty batch. The message names the offending mutation.
  status validate() const;

 private:
  void add(mutation m);

  std::vector<mutation> mutations_;
  std::size_t bytes_ = 0;
};

}  // namespace colead::store
