// An in-memory store with the same rules as the SQLite one, for room tests: no file, no
// thread, nothing survives the object.
//
// By default submit saves the batch at once and calls `done` before it returns, on the
// caller's thread (a room that posts `done` back to its strand works the same with either
// store). A test that wants to see what happens before a change is durable holds commits
// (hold_commits(true)) and releases them with commit_pending(); fail_next_commit makes the
// next commit fail as a full disk would.
//
// Thread safety: every member function may be called from any thread. `done` callbacks run
// one at a time, in submission order, with no lock of the store's state held; a `done` may
// submit (its batch is committed after the current group) but not wait for another thread
// that submits.
#pragma once

#ifdef COLEAD_LAYER_ROOM
#error "the room layer saves through room::journal and never sees a store backend"
#endif

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "store/commit_health.hpp"
#include "store/store.hpp"

namespace colead::store {

class memory_store final : public store {
 public:
  explicit memory_store(std::uint32_t snapshot_every = 100) : snapshot_every_(snapshot_every) {}
  ~memory_store() override { close(); }

  status submit(write_batch batch, done_fn done) override;
  result<room_image> load_room(std::string_view room_id) override;
  result<std::vector<op_record>> read_ops(std::string_view room_id, std::string_view doc_id,
                                          std::uint64_t from_rev, std::uint64_t to_rev) override;
  result<std::optional<snapshot_record>> snapshot_at_or_before(std::string_view room_id,
                                                               std::string_view doc_id,
                                                               std::uint64_t rev) override;
  result<std::optional<std::uint64_t>> rev_of_edit(std::string_view room_id,
                                                   std::string_view doc_id,
                                                   std::string_view edit_id) override;
  result<std::vector<item_record>> item_history(std::string_view room_id, std::string_view kind,
                                                std::string_view item_id) override;
  result<std::vector<room_record>> list_rooms_idle_since(std::int64_t cutoff_ms) override;
  result<bool> room_exists(std::string_view room_id) override;
  result<cohort_image> load_cohort(std::string_view cohort_id) override;
  result<std::optional<std::string>> cohort_of_room(std::string_view room_id) override;
  status erase_room(std::string_view room_id) override;
  // not_supported: there is no file to copy.
  status backup_to(const std::filesystem::path& out) override;
  std::uint32_t snapshot_every() const override { return snapshot_every_; }
  store_stats stats() const override;
  store_health health() const override { return health_.report(); }
  // Told of every group, with the time taken to apply it in memory.
  void set_commit_observer(commit_observer* observer) override;
  // Commits whatever is held, then refuses further batches.
  void close() override;

  // While held, accepted batches wait (in order) for commit_pending().
  void hold_commits(bool hold);
  // Commits every held batch as one group and calls their `done` in order. Returns how
  // many there were.
  std::size_t commit_pending();
  // The next group committed fails with `why` (an io_error, say): nothing of it is saved.
  void fail_next_commit(status why);

 private:
  struct doc_state {
    document_record record;
    std::map<std::uint64_t, op_record> ops;              // by rev
    std::map<std::string, std::uint64_t> edits;          // edit id -> rev
    std::map<std::uint64_t, snapshot_record> snapshots;  // by rev
  };
  struct item_state {
    item_record current;
    std::vector<item_record> history;  // older versions, oldest first
    std::uint64_t first_write = 0;     // order of the first put within the room
  };
  struct room_state {
    room_record record;
    std::map<std::uint32_t, seat_record> seats;
    std::map<std::string, doc_state> docs;
    std::map<std::pair<std::string, std::string>, item_state> items;  // (kind, id)
    std::uint64_t item_writes = 0;
  };
  using room_map = std::map<std::string, room_state, std::less<>>;
  struct cohort_item_state {
    cohort_item_record current;
    std::vector<cohort_item_record> history;  // older versions, oldest first
    std::uint64_t first_write = 0;            // order of the first put within the cohort
  };
  struct cohort_state {
    cohort_record record;
    std::map<std::uint32_t, facilitator_record> facilitators;
    std::map<std::string, cohort_room_record, std::less<>> rooms;            // by room id
    std::map<std::pair<std::string, std::string>, cohort_item_state> items;  // (kind, id)
    std::uint64_t item_writes = 0;
  };
  using cohort_map = std::map<std::string, cohort_state, std::less<>>;
  // Room id -> the cohort it is in; kept in step with cohort_state::rooms.
  using membership_map = std::map<std::string, std::string, std::less<>>;
  struct pending {
    write_batch batch;
    done_fn done;
  };

  // Applies `batch` to a copy of the rooms and cohorts it touches; on success the copies
  // replace the originals. Caller holds mu_.
  status apply(const write_batch& batch);
  // Commits `group` under mu_ and returns each batch's status; `ok` false when the whole
  // group failed.
  std::vector<status> commit(const std::vector<pending>& group, bool& ok);
  // Commits what is held (unless holding, when not `forced`) and calls the `done`s in order.
  void deliver(bool forced);

  const std::uint32_t snapshot_every_;
  std::mutex delivery_mu_;  // one thread commits and delivers at a time
  std::atomic<std::thread::id> delivering_thread_{};
  mutable std::mutex mu_;
  room_map rooms_;                       // guarded by mu_
  cohort_map cohorts_;                   // guarded by mu_
  membership_map cohort_of_room_;        // guarded by mu_
  std::deque<pending> held_;             // guarded by mu_
  bool holding_ = false;                 // guarded by mu_
  bool closed_ = false;                  // guarded by mu_
  std::optional<status> fail_next_;      // guarded by mu_
  store_stats stats_;                    // guarded by mu_
  commit_health health_;                 // thread-safe
  std::mutex observer_mu_;               // held while the observer is called or changed
  commit_observer* observer_ = nullptr;  // guarded by observer_mu_
};

}  // namespace colead::store
