// The store: where rooms are kept so that nothing acknowledged is ever lost.
//
// A narrow interface so the room layer never sees the backend: SQLite today (sqlite_store),
// an in-memory one for room tests (memory_store), PostgreSQL later.
//
// Writes. Every change goes through `submit`, which queues a write_batch for the store's
// single writer. The writer takes everything queued (up to a bounded group), saves it in one
// transaction, makes it durable with one fsync, and only then calls each batch's `done`:
//  - `done` is called exactly once for every batch `submit` accepted, with ok once the batch
//    is durable, or with the reason it was not saved (then nothing of it was saved);
//  - batches are applied, and their `done` called, in the order `submit` accepted them,
//    whichever thread submitted them: if `submit(a)` returned before `submit(b)` was called,
//    a is applied before b, and a's `done` runs before b's;
//  - batches are independent: one batch rejected (a duplicate op, say) does not stop the
//    batches around it; but when the disk fails (SQLITE_IOERR, SQLITE_FULL) every batch of
//    that group gets the error, nothing of the group is saved, and the store keeps working;
//  - `done` runs on the writer's thread: post to your own strand, do not block, do not throw,
//    and never call erase_room or close from it (they wait for the writer). submit is fine.
//
// Reads may be called from any thread. They run on their own connection(s) against a
// consistent snapshot and never block the writer; they see every batch whose `done` has
// been called.
//
// Thread safety: every member function may be called from any thread at once, except that
// close() and the destructor must not race with other calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/records.hpp"
#include "store/status.hpp"
#include "store/write_batch.hpp"

namespace colead::store {

// Counters for /metrics and the benchmarks. Monotonic except queued_batches.
struct store_stats {
  std::uint64_t groups_committed = 0;   // transactions made durable (one fsync each)
  std::uint64_t batches_committed = 0;  // batches saved
  std::uint64_t batches_rejected = 0;   // batches refused for their content (duplicates, ...)
  std::uint64_t batches_failed = 0;     // batches lost to a failed commit (disk full, ...)
  std::uint64_t queued_batches = 0;     // waiting for the writer now
};

// How the store's writes are going, for /healthz.
struct store_health {
  bool ok = true;          // false while the last commit failed (disk full, I/O error, ...)
  std::string last_error;  // why it failed; empty when ok
  // Milliseconds since the last successful commit; nullopt before the first one.
  std::optional<std::int64_t> ms_since_commit;
};

// Told about every group the writer commits, for monitoring.
class commit_observer {
 public:
  virtual ~commit_observer() = default;

  // A group of `batches` batches was made durable (`ok`) or failed, `took` from its start
  // to the end of its commit (the fsync included). Called on the writer's thread with the
  // store's observer lock held: be quick, never block, never call the store.
  virtual void group_committed(std::chrono::nanoseconds took, std::size_t batches, bool ok) = 0;
};

class store {
 public:
  // Called once per accepted batch; see the ordering guarantee above.
  using done_fn = std::function<void(status)>;

  virtual ~store() = default;

  store(const store&) = delete;
  store& operator=(const store&) = delete;

  // Queues `batch` for the writer. Returns ok when queued: `done` will then be called exactly
  // once. Otherwise nothing was queued and `done` is never called:
  //  - busy: the write queue is full (fail fast rather than block a room's strand; the
  //    author gets no ack and resends);
  //  - invalid_argument: the batch is malformed (see write_batch::validate);
  //  - closed: close() has begun.
  [[nodiscard]] virtual status submit(write_batch batch, done_fn done) = 0;

  // The whole room: record, seats, documents (latest snapshot and the ops after it), the
  // latest version of each item. not_found when there is no such room.
  virtual result<room_image> load_room(std::string_view room_id) = 0;

  // Ops of one document with from_rev <= rev <= to_rev, in order (possibly none).
  virtual result<std::vector<op_record>> read_ops(std::string_view room_id, std::string_view doc_id,
                                                  std::uint64_t from_rev, std::uint64_t to_rev) = 0;

  // The snapshot with the greatest rev <= `rev`; nullopt when there is none (start from the
  // empty text at rev 0).
  virtual result<std::optional<snapshot_record>> snapshot_at_or_before(std::string_view room_id,
                                                                       std::string_view doc_id,
                                                                       std::uint64_t rev) = 0;

  // The rev an edit id was applied as, or nullopt when the document has no such edit (a
  // resend whose first copy lies before the loaded snapshot).
  virtual result<std::optional<std::uint64_t>> rev_of_edit(std::string_view room_id,
                                                           std::string_view doc_id,
                                                           std::string_view edit_id) = 0;

  // Every version of one item, oldest first, the current one last; empty when none.
  virtual result<std::vector<item_record>> item_history(std::string_view room_id,
                                                        std::string_view kind,
                                                        std::string_view item_id) = 0;

  // Rooms whose last activity is before `cutoff_ms` (now minus the retention period), least
  // recently active first.
  virtual result<std::vector<room_record>> list_rooms_idle_since(std::int64_t cutoff_ms) = 0;

  virtual result<bool> room_exists(std::string_view room_id) = 0;

  // The whole cohort: record, facilitators, rooms, the latest version of each item. not_found
  // when there is no such cohort.
  virtual result<cohort_image> load_cohort(std::string_view cohort_id) = 0;

  // The cohort the room is in; nullopt when it is in none (or does not exist).
  virtual result<std::optional<std::string>> cohort_of_room(std::string_view room_id) = 0;

  // Deletes everything of the room (its place in a cohort included) in one transaction,
  // after every batch submitted before it, and makes sure the deleted bytes are gone from the
  // storage (for SQLite: zeroed in the database file and the write-ahead log truncated).
  // Blocks until done. Returns not_found when there was no such room; busy when the room is
  // deleted but readers kept the log from being truncated (the store retries after its next
  // write). The caller stops writing to the room first.
  virtual status erase_room(std::string_view room_id) = 0;

  // Writes a consistent copy of the whole store to `out` while writes continue.
  virtual status backup_to(const std::filesystem::path& out) = 0;

  // Every how many revisions the room should add a snapshot to the batch of an op.
  virtual std::uint32_t snapshot_every() const = 0;

  virtual store_stats stats() const = 0;

  // The outcome of the last commit and the time since the last good one. Cheap; any thread.
  virtual store_health health() const = 0;

  // Tells `observer` about every group committed from now on; null stops. Returns once no
  // call to the previous observer is running, so the caller may then destroy it.
  virtual void set_commit_observer(commit_observer* observer) = 0;

  // Stops accepting batches, waits for every accepted batch to be saved and its `done`
  // called, and releases the storage. Idempotent; the destructor calls it.
  virtual void close() = 0;

 protected:
  store() = default;
};

// True when a batch that leaves a document at `rev` should carry a snapshot of it.
inline bool snapshot_due(std::uint64_t rev, std::uint32_t every) {
  return every != 0 && rev != 0 && rev % every == 0;
}

}  // namespace colead::store
