#include "store/sqlite_store.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <future>
#include <limits>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>
#include <variant>

#include "store/backup.hpp"
#include "store/commit_health.hpp"
#include "store/revision_cache.hpp"
#include "store/sqlite_db.hpp"
#include "store/sqlite_schema.hpp"

namespace colead::store {
namespace {

using detail::connection;
using detail::query;
using detail::sqlite_failure;

constexpr std::int64_t max_int = std::numeric_limits<std::int64_t>::max();

std::int64_t clamp_rev(std::uint64_t rev) {
  return rev > static_cast<std::uint64_t>(max_int) ? max_int : static_cast<std::int64_t>(rev);
}

std::string_view bytes_of(const sha256_digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

// Rejections for what a batch holds, as opposed to failures of the storage: they roll back
// that batch only.
bool is_rejection(const status& s) {
  switch (s.code()) {
    case error_code::not_found:
    case error_code::already_exists:
    case error_code::conflict:
    case error_code::invalid_argument:
      return true;
    default:
      return false;
  }
}

// Turns a failed write into a rejection when a constraint caught it, naming what broke.
status write_failure(int rc, sqlite3* db, const std::string& what, const std::string& missing,
                     const std::string& duplicate) {
  switch (rc) {
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return status::not_found(what + ": " + missing);
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_UNIQUE:
      return status::already_exists(what + ": " + duplicate);
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL:
      return status::invalid_argument(what + ": " + sqlite3_errmsg(db));
    default:
      return sqlite_failure(rc, db, what);
  }
}

std::int64_t wall_clock_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Sets a pragma, reads it back, and refuses to run when it did not take.
status require_pragma(connection& db, const std::string& set, const char* get,
                      const std::string& expected, const std::string& why) {
  if (status s = db.exec_script(set, set); !s) return s;
  auto value = db.pragma_value(get);
  if (!value) return value.error();
  if (*value != expected) {
    return status::io_error(std::string(get) + " is '" + *value + "', not '" + expected + "' (" +
                            why + ")");
  }
  return status::ok();
}

// Creates the data folder (owner only) and an empty database file readable by the owner
// only, so neither the file nor its -wal and -shm (which copy its mode) are world-readable.
status prepare_files(const std::filesystem::path& path) {
  std::error_code ec;
  const auto folder = path.parent_path();
  if (!folder.empty() && !std::filesystem::exists(folder, ec)) {
    std::filesystem::create_directories(folder, ec);
    if (ec) return status::io_error("cannot create " + folder.string() + ": " + ec.message());
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all, ec);
  }
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    return status::io_error("cannot create " + path.string() + ": " + std::strerror(errno));
  }
  return status::ok();
}

// Design. Producers (rooms, on their strands) push jobs onto `queue_`; the writer thread
// pops every batch queued, up to max_group_batches, and saves them in one transaction:
//
//   BEGIN IMMEDIATE
//     <mutations>                                      -- once per batch, in queue order
//   COMMIT                                             -- one fsync of the WAL for the group
//
// then calls every `done` in queue order. A rejection (duplicate, gap, missing room) is rare:
// the room checks what it writes. When one comes, the group is rolled back and saved again
// with a savepoint around each batch (SAVEPOINT batch; <mutations>; RELEASE batch, or ROLLBACK
// TO batch), so the rejected batch alone is left out; savepoints cost a copy of every page a
// batch changes, which the common case does without. A storage failure rolls back the group
// and fails every batch of it. An erase request is a queue entry of its own, so it runs after
// everything queued before it and nothing else is in its transaction.
//
// Invariants: only the writer thread touches writer_; a reader connection is in
// idle_readers_ or leased to exactly one reading thread; queued_batches_ and queued_bytes_
// count the batches in queue_.
class sqlite_store final : public store {
 public:
  sqlite_store(std::filesystem::path path, sqlite_options options,
               std::unique_ptr<connection> writer, std::vector<std::unique_ptr<connection>> readers)
      : path_(std::move(path)),
        options_(std::move(options)),
        writer_(std::move(writer)),
        idle_readers_(std::move(readers)) {
    writer_thread_ = std::thread([this] { run_writer(); });
  }

  ~sqlite_store() override { close(); }

  status submit(write_batch batch, done_fn done) override {
    if (status s = batch.validate(); !s) return s;
    const std::size_t bytes = batch.byte_size();
    {
      std::lock_guard lock(queue_mu_);
      if (closing_) return status::closed("the store is closed");
      // An empty queue takes any one batch, however large, so no batch is refused forever.
      if (queued_batches_ >= options_.max_queued_batches ||
          (queued_batches_ > 0 && queued_bytes_ + bytes > options_.max_queued_bytes)) {
        return status::busy("the write queue is full (" + std::to_string(queued_batches_) +
                            " changes waiting to be saved); try again shortly");
      }
      queue_.emplace_back(pending{std::move(batch), std::move(done), bytes});
      ++queued_batches_;
      queued_bytes_ += bytes;
    }
    queue_cv_.notify_one();
    return status::ok();
  }

  result<room_image> load_room(std::string_view room_id) override {
    return read<room_image>([&](connection& db) -> result<room_image> {
      room_image image;
      {
        auto q = db.prepare(
            "SELECT title, seats, created_at_ms, last_active_ms, settings, state FROM rooms "
            "WHERE id = ?1");
        if (!q) return q.error();
        q->bind_text(1, room_id);
        const int rc = q->step();
        if (rc == SQLITE_DONE) return status::not_found("no room " + std::string(room_id));
        if (rc != SQLITE_ROW) return sqlite_failure(rc, db.handle(), "load room");
        image.room = room_record{
            std::string(room_id), q->column_text(0), static_cast<std::uint32_t>(q->column_int(1)),
            q->column_int(2),     q->column_int(3),  q->column_blob(4),
            q->column_blob(5)};
      }
      {
        auto q = db.prepare(
            "SELECT seat, token_hash, member_id, name, role, joined FROM seats "
            "WHERE room_id = ?1 ORDER BY seat");
        if (!q) return q.error();
        q->bind_text(1, room_id);
        int rc;
        while ((rc = q->step()) == SQLITE_ROW) {
          seat_record s{std::string(room_id),
                        static_cast<std::uint32_t>(q->column_int(0)),
                        {},
                        q->column_text(2),
                        q->column_text(3),
                        q->column_text(4),
                        q->column_int(5) != 0};
          const std::string hash = q->column_blob(1);
          std::memcpy(s.token_hash.data(), hash.data(), std::min(hash.size(), s.token_hash.size()));
          image.seats.push_back(std::move(s));
        }
        if (rc != SQLITE_DONE) return sqlite_failure(rc, db.handle(), "load seats");
      }
      {
        auto q = db.prepare(
            "SELECT doc_id, title, position, removed, meta FROM documents "
            "WHERE room_id = ?1 ORDER BY position, doc_id");
        if (!q) return q.error();
        q->bind_text(1, room_id);
        int rc;
        while ((rc = q->step()) == SQLITE_ROW) {
          image.documents.push_back(document_image{
              document_record{std::string(room_id), q->column_text(0), q->column_text(1),
                              q->column_int(2), q->column_int(3) != 0, q->column_blob(4)},
              std::nullopt,
              {}});
        }
        if (rc != SQLITE_DONE) return sqlite_failure(rc, db.handle(), "load documents");
      }
      for (document_image& doc : image.documents) {
        auto snapshot = read_snapshot(db, room_id, doc.document.doc_id, max_int);
        if (!snapshot) return snapshot.error();
        doc.snapshot = std::move(*snapshot);
        const std::uint64_t after = doc.snapshot ? doc.snapshot->rev + 1 : 1;
        auto ops = read_op_range(db, room_id, doc.document.doc_id, after, max_int);
        if (!ops) return ops.error();
        doc.ops = std::move(*ops);
      }
      {
        auto q = db.prepare(
            "SELECT kind, item_id, version, at_ms, payload FROM items "
            "WHERE room_id = ?1 ORDER BY kind, rowid");
        if (!q) return q.error();
        q->bind_text(1, room_id);
        int rc;
        while ((rc = q->step()) == SQLITE_ROW) {
          image.items.push_back(item_record{
              std::string(room_id), q->column_text(0), q->column_text(1),
              static_cast<std::uint64_t>(q->column_int(2)), q->column_int(3), q->column_blob(4)});
        }
        if (rc != SQLITE_DONE) return sqlite_failure(rc, db.handle(), "load items");
      }
      return image;
    });
  }

  result<std::vector<op_record>> read_ops(std::string_view room_id, std::string_view doc_id,
                                          std::uint64_t from_rev, std::uint64_t to_rev) override {
    return read<std::vector<op_record>>(
        [&](connection& db) { return read_op_range(db, room_id, doc_id, from_rev, to_rev); });
  }

  result<std::optional<snapshot_record>> snapshot_at_or_before(std::string_view room_id,
                                                               std::string_view doc_id,
                                                               std::uint64_t rev) override {
    return read<std::optional<snapshot_record>>(
        [&](connection& db) { return read_snapshot(db, room_id, doc_id, clamp_rev(rev)); });
  }

  result<std::optional<std::uint64_t>> rev_of_edit(std::string_view room_id,
                                                   std::string_view doc_id,
                                                   std::string_view edit_id) override {
    return read<std::optional<std::uint64_t>>(
        [&](connection& db) { return find_edit(db, room_id, doc_id, edit_id); });
  }

  result<std::vector<item_record>> item_history(std::string_view room_id, std::string_view kind,
                                                std::string_view item_id) override {
    return read<std::vector<item_record>>([&](connection& db) -> result<std::vector<item_record>> {
      auto q = db.prepare(
          "SELECT version, at_ms, payload FROM item_history "
          "WHERE room_id = ?1 AND kind = ?2 AND item_id = ?3 "
          "UNION ALL SELECT version, at_ms, payload FROM items "
          "WHERE room_id = ?1 AND kind = ?2 AND item_id = ?3 ORDER BY 1");
      if (!q) return q.error();
      q->bind_text(1, room_id).bind_text(2, kind).bind_text(3, item_id);
      std::vector<item_record> out;
      int rc;
      while ((rc = q->step()) == SQLITE_ROW) {
        out.push_back(item_record{std::string(room_id), std::string(kind), std::string(item_id),
                                  static_cast<std::uint64_t>(q->column_int(0)), q->column_int(1),
                                  q->column_blob(2)});
      }
      if (rc != SQLITE_DONE) return sqlite_failure(rc, db.handle(), "read item history");
      return out;
    });
  }

  result<std::vector<room_record>> list_rooms_idle_since(std::int64_t cutoff_ms) override {
    return read<std::vector<room_record>>([&](connection& db) -> result<std::vector<room_record>> {
      auto q = db.prepare(
          "SELECT id, title, seats, created_at_ms, last_active_ms, settings, state FROM rooms "
          "WHERE last_active_ms < ?1 ORDER BY last_active_ms, id");
      if (!q) return q.error();
      q->bind_int(1, cutoff_ms);
      std::vector<room_record> out;
      int rc;
      while ((rc = q->step()) == SQLITE_ROW) {
        out.push_back(room_record{q->column_text(0), q->column_text(1),
                                  static_cast<std::uint32_t>(q->column_int(2)), q->column_int(3),
                                  q->column_int(4), q->column_blob(5), q->column_blob(6)});
      }
      if (rc != SQLITE_DONE) return sqlite_failure(rc, db.handle(), "list idle rooms");
      return out;
    });
  }

  result<bool> room_exists(std::string_view room_id) override {
    return read<bool>([&](connection& db) -> result<bool> {
      auto q = db.prepare("SELECT 1 FROM rooms WHERE id = ?1");
      if (!q) return q.error();
      q->bind_text(1, room_id);
      const int rc = q->step();
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      return sqlite_failure(rc, db.handle(), "look up room");
    });
  }

  result<cohort_image> load_cohort(std::string_view cohort_id) override {
    return read<cohort_image>([&](connection& db) -> result<cohort_image> {
      cohort_image image;
      {
        auto q = db.prepare("SELECT title, created_at_ms, state FROM cohorts WHERE id = ?1");
        if (!q) return q.error();
        q->bind_text(1, cohort_id);
        const int rc = q->step();
        if (rc == SQLITE_DONE) return status::not_found("no cohort " + std::string(cohort_id));
        if (rc != SQLITE_ROW) return sqlite_failure(rc, db.handle(), "load cohort");
        image.cohort = cohort_record{std::string(cohort_id), q->column_text(0), q->column_int(1),
                                     q->column_blob(2)};
      }
      {
        auto q = db.prepare(
            "SELECT number, token_hash, name FROM facilitators WHERE cohort_id = ?1 "
            "ORDER BY number");
        if (!q) return q.error();
        q->bind_text(1, cohort_id);
        int rc;
        while ((rc = q->step()) == SQLITE_ROW) {
          facilitator_record f{std::string(cohort_id),
                               static_cast<std::uint32_t>(q->column_int(0)),
                               {},
                               q->column_text(2)};
          const std::string hash = q->column_blob(1);
          std::memcpy(f.token_hash.data(), hash.data(), std::min(hash.size(), f.token_hash.size()));
          image.facilitators.push_back(std::move(f));
        }
        if (rc != SQLITE_DONE) return sqlite_failure(rc, db.handle(), "load facilitators");
      }
      {
        auto q = db.prepare(
            "SELECT room_id, position FROM cohort_rooms WHERE cohort_id = ?1 "
            "ORDER BY position, room_id");
        if (!q) return q.error();
        q->bind_text(1, cohort_id);
        int rc;
        while ((rc = q->step()) == SQLITE_ROW) {
          image.rooms.push_back(
              cohort_room_record{std::string(cohort_id), q->column_text(0), q->column_int(1)});
        }
        if (rc != SQLITE_DONE) return sqlite_failure(rc, db.handle(), "load cohort rooms");
      }
      {
        auto q = db.prepare(
            "SELECT kind, item_id, version, at_ms, payload FROM cohort_items "
            "WHERE cohort_id = ?1 ORDER BY kind, rowid");
        if (!q) return q.error();
        q->bind_text(1, cohort_id);
        int rc;
        while ((rc = q->step()) == SQLITE_ROW) {
          image.items.push_back(cohort_item_record{
              std::string(cohort_id), q->column_text(0), q->column_text(1),
              static_cast<std::uint64_t>(q->column_int(2)), q->column_int(3), q->column_blob(4)});
        }
        if (rc != SQLITE_DONE) return sqlite_failure(rc, db.handle(), "load cohort items");
      }
      return image;
    });
  }

  result<std::optional<std::string>> cohort_of_room(std::string_view room_id) override {
    return read<std::optional<std::string>>(
        [&](connection& db) -> result<std::optional<std::string>> {
          auto q = db.prepare("SELECT cohort_id FROM cohort_rooms WHERE room_id = ?1");
          if (!q) return q.error();
          q->bind_text(1, room_id);
          const int rc = q->step();
          if (rc == SQLITE_ROW) return std::optional<std::string>(q->column_text(0));
          if (rc == SQLITE_DONE) return std::optional<std::string>();
          return sqlite_failure(rc, db.handle(), "look up the cohort of a room");
        });
  }

  status erase_room(std::string_view room_id) override {
    if (!valid_id(room_id)) return status::invalid_argument("room id is not a valid id");
    if (std::this_thread::get_id() == writer_thread_.get_id()) {
      return status::invalid_argument(
          "erase_room was called from a done callback; post it to another thread");
    }
    erase_request request{std::string(room_id), {}};
    auto finished = request.result.get_future();
    {
      std::lock_guard lock(queue_mu_);
      if (closing_) return status::closed("the store is closed");
      queue_.emplace_back(&request);
    }
    queue_cv_.notify_one();
    return finished.get();
  }

  status backup_to(const std::filesystem::path& out) override {
    auto report = backup_database(path_, out);
    return report ? status::ok() : report.error();
  }

  std::uint32_t snapshot_every() const override { return options_.snapshot_every; }

  store_stats stats() const override {
    store_stats s;
    s.groups_committed = groups_committed_.load();
    s.batches_committed = batches_committed_.load();
    s.batches_rejected = batches_rejected_.load();
    s.batches_failed = batches_failed_.load();
    std::lock_guard lock(queue_mu_);
    s.queued_batches = queued_batches_;
    return s;
  }

  store_health health() const override { return health_.report(); }

  void set_commit_observer(commit_observer* observer) override {
    std::lock_guard lock(observer_mu_);
    observer_ = observer;
  }

  void close() override {
    {
      std::lock_guard lock(queue_mu_);
      if (closing_ && !writer_thread_.joinable()) return;
      closing_ = true;
    }
    queue_cv_.notify_all();
    if (writer_thread_.joinable()) writer_thread_.join();
    // Readers go first: the writer's connection, closing last, checkpoints the WAL into
    // colead.db and removes it.
    {
      std::lock_guard lock(readers_mu_);
      readers_closed_ = true;
      idle_readers_.clear();
    }
    readers_cv_.notify_all();
    writer_.reset();
  }

 private:
  struct pending {
    write_batch batch;
    done_fn done;
    std::size_t bytes = 0;
  };
  struct erase_request {
    std::string room_id;
    std::promise<status> result;
  };
  using job = std::variant<pending, erase_request*>;

  // ---- reads --------------------------------------------------------------------------

  // Runs `f` on a leased reader inside one read transaction, so a multi-query read sees one
  // consistent state.
  template <class T, class F>
  result<T> read(F&& f) {
    std::unique_ptr<connection> db;
    {
      std::unique_lock lock(readers_mu_);
      readers_cv_.wait(lock, [&] { return !idle_readers_.empty() || readers_closed_; });
      if (readers_closed_) return status::closed("the store is closed");
      db = std::move(idle_readers_.back());
      idle_readers_.pop_back();
    }
    result<T> out = [&]() -> result<T> {
      if (status s = db->run("BEGIN", "begin a read"); !s) return s;
      return f(*db);
    }();
    if (db->in_transaction() && !db->run("COMMIT", "end a read")) {
      db->run("ROLLBACK", "end a read");
    }
    {
      std::lock_guard lock(readers_mu_);
      idle_readers_.push_back(std::move(db));
    }
    readers_cv_.notify_one();
    return out;
  }

  static result<std::vector<op_record>> read_op_range(connection& db, std::string_view room_id,
                                                      std::string_view doc_id,
                                                      std::uint64_t from_rev,
                                                      std::uint64_t to_rev) {
    auto q = db.prepare(
        "SELECT rev, author, edit_id, at_ms, op FROM ops "
        "WHERE room_id = ?1 AND doc_id = ?2 AND rev >= ?3 AND rev <= ?4 ORDER BY rev");
    if (!q) return q.error();
    q->bind_text(1, room_id).bind_text(2, doc_id);
    q->bind_int(3, clamp_rev(from_rev)).bind_int(4, clamp_rev(to_rev));
    std::vector<op_record> out;
    int rc;
    while ((rc = q->step()) == SQLITE_ROW) {
      out.push_back(op_record{std::string(room_id), std::string(doc_id),
                              static_cast<std::uint64_t>(q->column_int(0)), q->column_text(1),
                              q->column_text(2), q->column_int(3), q->column_blob(4)});
    }
    if (rc != SQLITE_DONE) return sqlite_failure(rc, db.handle(), "read ops");
    return out;
  }

  static result<std::optional<snapshot_record>> read_snapshot(connection& db,
                                                              std::string_view room_id,
                                                              std::string_view doc_id,
                                                              std::int64_t rev) {
    auto q = db.prepare(
        "SELECT rev, text, authorship FROM snapshots "
        "WHERE room_id = ?1 AND doc_id = ?2 AND rev <= ?3 ORDER BY rev DESC LIMIT 1");
    if (!q) return q.error();
    q->bind_text(1, room_id).bind_text(2, doc_id).bind_int(3, rev);
    const int rc = q->step();
    if (rc == SQLITE_DONE) return std::optional<snapshot_record>();
    if (rc != SQLITE_ROW) return sqlite_failure(rc, db.handle(), "read snapshot");
    return std::optional<snapshot_record>(snapshot_record{
        std::string(room_id), std::string(doc_id), static_cast<std::uint64_t>(q->column_int(0)),
        q->column_text(1), q->column_blob(2)});
  }

  static result<std::optional<std::uint64_t>> find_edit(connection& db, std::string_view room_id,
                                                        std::string_view doc_id,
                                                        std::string_view edit_id) {
    auto q = db.prepare("SELECT rev FROM ops WHERE room_id = ?1 AND doc_id = ?2 AND edit_id = ?3");
    if (!q) return q.error();
    q->bind_text(1, room_id).bind_text(2, doc_id).bind_text(3, edit_id);
    const int rc = q->step();
    if (rc == SQLITE_DONE) return std::optional<std::uint64_t>();
    if (rc != SQLITE_ROW) return sqlite_failure(rc, db.handle(), "look up edit");
    return std::optional<std::uint64_t>(static_cast<std::uint64_t>(q->column_int(0)));
  }

  // ---- the writer ---------------------------------------------------------------------

  void run_writer() {
    std::vector<pending> group;
    std::vector<status> results;
    for (;;) {
      erase_request* erase = nullptr;
      group.clear();
      {
        std::unique_lock lock(queue_mu_);
        queue_cv_.wait(lock, [&] { return !queue_.empty() || closing_; });
        if (queue_.empty()) return;  // closing, and everything accepted is saved
        if (auto* e = std::get_if<erase_request*>(&queue_.front())) {
          erase = *e;
          queue_.pop_front();
        } else {
          while (!queue_.empty() && group.size() < options_.max_group_batches &&
                 std::holds_alternative<pending>(queue_.front())) {
            group.push_back(std::move(std::get<pending>(queue_.front())));
            queue_.pop_front();
            --queued_batches_;
            queued_bytes_ -= group.back().bytes;
          }
        }
      }
      if (erase != nullptr) {
        erase->result.set_value(erase_now(erase->room_id));
        continue;
      }
      const auto began = std::chrono::steady_clock::now();
      const bool ok = commit_group(group, results);
      {
        // Before the `done`s, so a change acknowledged is already counted.
        std::lock_guard lock(observer_mu_);
        if (observer_ != nullptr) {
          observer_->group_committed(std::chrono::steady_clock::now() - began, group.size(), ok);
        }
      }
      for (std::size_t i = 0; i < group.size(); ++i) {
        try {
          group[i].done(std::move(results[i]));
        } catch (const std::exception& e) {
          spdlog::error("store: a done callback threw ({}); the writer carries on", e.what());
        } catch (...) {
          spdlog::error("store: a done callback threw; the writer carries on");
        }
      }
      if (wal_needs_truncate_) truncate_wal();
    }
  }

  // Saves `group` in one transaction; results[i] is batch i's outcome. Returns false when
  // the transaction failed (nothing of the group saved).
  bool commit_group(std::vector<pending>& group, std::vector<status>& results) {
    results.assign(group.size(), status::ok());
    // First without savepoints: every batch is saved, or one is rejected and the group is
    // saved again batch by batch.
    if (status s = writer_->run("BEGIN IMMEDIATE", "begin"); !s) {
      return fail_group(group, results, {}, s);
    }
    for (const auto& p : group) {
      status applied = apply(p.batch);
      if (applied) continue;
      if (!is_rejection(applied)) return fail_group(group, results, {}, applied);
      if (writer_->in_transaction()) writer_->run("ROLLBACK", "roll back");
      revisions_.roll_back_to(0);
      return commit_batch_by_batch(group, results);
    }
    return finish_group(group, results, {}, group.size());
  }

  // Commits the transaction holding the `saved` batches of `group` (the others `rejected`).
  bool finish_group(const std::vector<pending>& group, std::vector<status>& results,
                    const std::vector<bool>& rejected, std::uint64_t saved) {
    if (status s = writer_->run("COMMIT", "commit"); !s) {
      return fail_group(group, results, rejected, s);
    }
    revisions_.keep();
    ++groups_committed_;
    batches_committed_ += saved;
    health_.committed();
    return true;
  }

  // Every batch of `group` failed with `why`, but those already `rejected`.
  bool fail_group(const std::vector<pending>& group, std::vector<status>& results,
                  const std::vector<bool>& rejected, const status& why) {
    if (writer_->in_transaction()) writer_->run("ROLLBACK", "roll back");
    // Whatever the file holds now is read again: a failed commit may have saved more or
    // less than the cache would guess.
    revisions_.clear();
    std::uint64_t failed = 0;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (i < rejected.size() && rejected[i]) continue;
      results[i] = status(why.code() == error_code::corruption
                              ? status::corruption("not saved: " + why.message())
                              : status::io_error("not saved: " + why.message()));
      ++failed;
    }
    batches_failed_ += failed;
    health_.failed(why.message());
    spdlog::error("store: {} change(s) not saved: {}", failed, why.message());
    return false;
  }

  // Saves `group` with a savepoint around each batch, so a rejected batch is left out and the
  // rest saved.
  bool commit_batch_by_batch(std::vector<pending>& group, std::vector<status>& results) {
    std::vector<bool> rejected(group.size(), false);
    auto fail = [&](const status& why) { return fail_group(group, results, rejected, why); };

    if (status s = writer_->run("BEGIN IMMEDIATE", "begin"); !s) return fail(s);
    std::uint64_t saved = 0;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (status s = writer_->run("SAVEPOINT batch", "savepoint"); !s) return fail(s);
      const auto batch_began = revisions_.mark();
      status s = apply(group[i].batch);
      if (s) {
        if (status r = writer_->run("RELEASE batch", "release"); !r) return fail(r);
        ++saved;
        continue;
      }
      // A storage failure may already have rolled the whole transaction back.
      if (!is_rejection(s) || !writer_->in_transaction()) return fail(s);
      if (status r = writer_->run("ROLLBACK TO batch", "roll back batch"); !r) {
        return fail(r);
      }
      revisions_.roll_back_to(batch_began);
      if (status r = writer_->run("RELEASE batch", "release"); !r) return fail(r);
      results[i] = std::move(s);
      rejected[i] = true;
      ++batches_rejected_;
    }
    return finish_group(group, results, rejected, saved);
  }

  status apply(const write_batch& batch) {
    for (const mutation& m : batch.mutations()) {
      status s = std::visit([this](const auto& r) { return put(r); }, m);
      if (!s) return s;
    }
    return status::ok();
  }

  status put(const room_record& r) {
    auto q = writer_->prepare(
        "INSERT INTO rooms (id, title, seats, created_at_ms, last_active_ms, settings, state) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET "
        "title = excluded.title, seats = excluded.seats, "
        "last_active_ms = max(last_active_ms, excluded.last_active_ms), "
        "settings = excluded.settings, state = excluded.state");
    if (!q) return q.error();
    q->bind_text(1, r.id).bind_text(2, r.title).bind_int(3, r.seats);
    q->bind_int(4, r.created_at_ms).bind_int(5, r.last_active_ms);
    q->bind_blob(6, r.settings).bind_blob(7, r.state);
    const int rc = q->run();
    if (rc == SQLITE_DONE) return status::ok();
    return write_failure(rc, writer_->handle(), "room " + r.id, "", "");
  }

  status put(const seat_record& s) {
    auto q = writer_->prepare(
        "INSERT INTO seats (room_id, seat, token_hash, member_id, name, role, joined) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (room_id, seat) DO UPDATE SET "
        "token_hash = excluded.token_hash, member_id = excluded.member_id, "
        "name = excluded.name, role = excluded.role, joined = excluded.joined");
    if (!q) return q.error();
    q->bind_text(1, s.room_id).bind_int(2, s.seat).bind_blob(3, bytes_of(s.token_hash));
    q->bind_text(4, s.member_id).bind_text(5, s.name).bind_text(6, s.role);
    q->bind_int(7, s.joined ? 1 : 0);
    const int rc = q->run();
    if (rc == SQLITE_DONE) return status::ok();
    return write_failure(rc, writer_->handle(),
                         "seat " + std::to_string(s.seat) + " of room " + s.room_id,
                         "the room does not exist", "another seat of the room has this token");
  }

  status put(const document_record& d) {
    auto q = writer_->prepare(
        "INSERT INTO documents (room_id, doc_id, title, position, removed, meta) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (room_id, doc_id) DO UPDATE SET "
        "title = excluded.title, position = excluded.position, removed = excluded.removed, "
        "meta = excluded.meta");
    if (!q) return q.error();
    q->bind_text(1, d.room_id).bind_text(2, d.doc_id).bind_text(3, d.title);
    q->bind_int(4, d.position).bind_int(5, d.removed ? 1 : 0).bind_blob(6, d.meta);
    const int rc = q->run();
    if (rc == SQLITE_DONE) return status::ok();
    return write_failure(rc, writer_->handle(), "document " + d.doc_id + " of room " + d.room_id,
                         "the room does not exist", "");
  }

  status put(const op_record& o) {
    // Built only when something fails: most ops are saved without it.
    auto what = [&o] {
      return "op rev " + std::to_string(o.rev) + " of document " + o.doc_id + " in room " +
             o.room_id;
    };
    const std::string key = revision_cache::key(o.room_id, o.doc_id);
    std::int64_t last = 0;
    if (auto known = revisions_.find(key)) {
      last = *known;
    } else {
      auto q = writer_->prepare(
          "SELECT rev FROM ops WHERE room_id = ?1 AND doc_id = ?2 ORDER BY rev DESC LIMIT 1");
      if (!q) return q.error();
      q->bind_text(1, o.room_id).bind_text(2, o.doc_id);
      const int rc = q->step();
      if (rc == SQLITE_ROW) {
        last = q->column_int(0);
      } else if (rc != SQLITE_DONE) {
        return sqlite_failure(rc, writer_->handle(), what());
      }
      revisions_.set(key, last);
    }
    const auto rev = static_cast<std::int64_t>(o.rev);
    if (rev <= last) return status::already_exists(what() + ": that revision is already stored");
    if (rev != last + 1) {
      return status::conflict(what() + ": the last stored revision is " + std::to_string(last));
    }
    int rc;
    {
      auto q = writer_->prepare(
          "INSERT INTO ops (room_id, doc_id, rev, author, edit_id, at_ms, op) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
      if (!q) return q.error();
      q->bind_text(1, o.room_id).bind_text(2, o.doc_id).bind_int(3, rev);
      q->bind_text(4, o.author).bind_text(5, o.edit_id).bind_int(6, o.at_ms).bind_blob(7, o.op);
      rc = q->run();
    }
    if (rc == SQLITE_DONE) {
      revisions_.set(key, rev);
      return status::ok();
    }
    std::string duplicate = "edit id " + o.edit_id + " is already stored";
    if (rc == SQLITE_CONSTRAINT_UNIQUE) {
      if (auto earlier = find_edit(*writer_, o.room_id, o.doc_id, o.edit_id); earlier && *earlier) {
        duplicate += " as rev " + std::to_string(**earlier);
      }
    }
    return write_failure(rc, writer_->handle(), what(), "the document does not exist", duplicate);
  }

  status put(const snapshot_record& s) {
    const std::string what = "snapshot at rev " + std::to_string(s.rev) + " of document " +
                             s.doc_id + " in room " + s.room_id;
    if (s.rev != 0) {
      auto q =
          writer_->prepare("SELECT 1 FROM ops WHERE room_id = ?1 AND doc_id = ?2 AND rev = ?3");
      if (!q) return q.error();
      q->bind_text(1, s.room_id).bind_text(2, s.doc_id).bind_int(3, clamp_rev(s.rev));
      const int rc = q->step();
      if (rc == SQLITE_DONE) return status::conflict(what + ": no op with that revision is stored");
      if (rc != SQLITE_ROW) return sqlite_failure(rc, writer_->handle(), what);
    }
    auto q = writer_->prepare(
        "INSERT INTO snapshots (room_id, doc_id, rev, text, authorship) "
        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (room_id, doc_id, rev) DO UPDATE SET "
        "text = excluded.text, authorship = excluded.authorship");
    if (!q) return q.error();
    q->bind_text(1, s.room_id).bind_text(2, s.doc_id).bind_int(3, clamp_rev(s.rev));
    q->bind_text(4, s.text).bind_blob(5, s.authorship);
    const int rc = q->run();
    if (rc == SQLITE_DONE) return status::ok();
    return write_failure(rc, writer_->handle(), what, "the document does not exist", "");
  }

  status put(const item_record& i) {
    return put_versioned(room_items, i.room_id, i.kind, i.item_id, i.version, i.at_ms, i.payload,
                         " in room ");
  }

  // The SQL of one table of versioned items and of its history: a room's or a cohort's.
  struct versioned_items {
    const char* read_version;  // ?1 owner, ?2 kind, ?3 item id
    const char* to_history;    // the same keys: moves the stored version into the history
    const char* upsert;        // ?1..?6: owner, kind, item id, version, at_ms, payload
    const char* no_owner;      // why a missing owner fails the write
  };
  static constexpr versioned_items room_items{
      "SELECT version FROM items WHERE room_id = ?1 AND kind = ?2 AND item_id = ?3",
      "INSERT INTO item_history (room_id, kind, item_id, version, at_ms, payload) "
      "SELECT room_id, kind, item_id, version, at_ms, payload FROM items "
      "WHERE room_id = ?1 AND kind = ?2 AND item_id = ?3",
      "INSERT INTO items (room_id, kind, item_id, version, at_ms, payload) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (room_id, kind, item_id) DO UPDATE SET "
      "version = excluded.version, at_ms = excluded.at_ms, payload = excluded.payload",
      "the room does not exist"};
  static constexpr versioned_items cohort_items{
      "SELECT version FROM cohort_items WHERE cohort_id = ?1 AND kind = ?2 AND item_id = ?3",
      "INSERT INTO cohort_item_history (cohort_id, kind, item_id, version, at_ms, payload) "
      "SELECT cohort_id, kind, item_id, version, at_ms, payload FROM cohort_items "
      "WHERE cohort_id = ?1 AND kind = ?2 AND item_id = ?3",
      "INSERT INTO cohort_items (cohort_id, kind, item_id, version, at_ms, payload) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (cohort_id, kind, item_id) DO UPDATE SET "
      "version = excluded.version, at_ms = excluded.at_ms, payload = excluded.payload",
      "the cohort does not exist"};

  // Writes one version of an item; a newer version moves the stored one into the history
  // first, and an older or equal one is a conflict.
  status put_versioned(const versioned_items& t, const std::string& owner, const std::string& kind,
                       const std::string& item_id, std::uint64_t item_version, std::int64_t at_ms,
                       const std::string& payload, const char* in_owner) {
    const std::string what =
        kind + " " + item_id + " version " + std::to_string(item_version) + in_owner + owner;
    std::optional<std::int64_t> stored;
    {
      auto q = writer_->prepare(t.read_version);
      if (!q) return q.error();
      q->bind_text(1, owner).bind_text(2, kind).bind_text(3, item_id);
      const int rc = q->step();
      if (rc == SQLITE_ROW) {
        stored = q->column_int(0);
      } else if (rc != SQLITE_DONE) {
        return sqlite_failure(rc, writer_->handle(), what);
      }
    }
    const auto version = static_cast<std::int64_t>(item_version);
    if (stored) {
      if (version <= *stored) {
        return status::conflict(what + ": version " + std::to_string(*stored) +
                                " is already stored");
      }
      // The previous version moves into the history before it is replaced.
      auto h = writer_->prepare(t.to_history);
      if (!h) return h.error();
      h->bind_text(1, owner).bind_text(2, kind).bind_text(3, item_id);
      if (const int rc = h->run(); rc != SQLITE_DONE) {
        return write_failure(rc, writer_->handle(), what, "", "that version is in the history");
      }
    }
    auto q = writer_->prepare(t.upsert);
    if (!q) return q.error();
    q->bind_text(1, owner).bind_text(2, kind).bind_text(3, item_id);
    q->bind_int(4, version).bind_int(5, at_ms).bind_blob(6, payload);
    const int rc = q->run();
    if (rc == SQLITE_DONE) return status::ok();
    return write_failure(rc, writer_->handle(), what, t.no_owner, "");
  }

  status put(const touch_record& t) {
    auto q =
        writer_->prepare("UPDATE rooms SET last_active_ms = max(last_active_ms, ?2) WHERE id = ?1");
    if (!q) return q.error();
    q->bind_text(1, t.room_id).bind_int(2, t.at_ms);
    const int rc = q->run();
    if (rc != SQLITE_DONE) return sqlite_failure(rc, writer_->handle(), "touch room " + t.room_id);
    if (sqlite3_changes(writer_->handle()) == 0) {
      return status::not_found("touch room " + t.room_id + ": the room does not exist");
    }
    return status::ok();
  }

  // Whether a cohort exists, for messages clearer than a foreign key's.
  result<bool> cohort_stored(const std::string& cohort_id, const std::string& what) {
    auto q = writer_->prepare("SELECT 1 FROM cohorts WHERE id = ?1");
    if (!q) return q.error();
    q->bind_text(1, cohort_id);
    const int rc = q->step();
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_failure(rc, writer_->handle(), what);
  }

  status put(const cohort_record& c) {
    auto q = writer_->prepare(
        "INSERT INTO cohorts (id, title, created_at_ms, state) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (id) DO UPDATE SET title = excluded.title, state = excluded.state");
    if (!q) return q.error();
    q->bind_text(1, c.id).bind_text(2, c.title).bind_int(3, c.created_at_ms);
    q->bind_blob(4, c.state);
    const int rc = q->run();
    if (rc == SQLITE_DONE) return status::ok();
    return write_failure(rc, writer_->handle(), "cohort " + c.id, "", "");
  }

  status put(const facilitator_record& f) {
    auto q = writer_->prepare(
        "INSERT INTO facilitators (cohort_id, number, token_hash, name) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT (cohort_id, number) DO UPDATE SET token_hash = excluded.token_hash, "
        "name = excluded.name");
    if (!q) return q.error();
    q->bind_text(1, f.cohort_id).bind_int(2, f.number).bind_blob(3, bytes_of(f.token_hash));
    q->bind_text(4, f.name);
    const int rc = q->run();
    if (rc == SQLITE_DONE) return status::ok();
    return write_failure(rc, writer_->handle(),
                         "facilitator " + std::to_string(f.number) + " of cohort " + f.cohort_id,
                         "the cohort does not exist",
                         "another facilitator of the cohort has this token");
  }

  status put(const cohort_room_record& r) {
    const std::string what = "room " + r.room_id + " in cohort " + r.cohort_id;
    auto known = cohort_stored(r.cohort_id, what);
    if (!known) return known.error();
    if (!*known) return status::not_found(what + ": the cohort does not exist");
    {
      auto q = writer_->prepare("SELECT cohort_id FROM cohort_rooms WHERE room_id = ?1");
      if (!q) return q.error();
      q->bind_text(1, r.room_id);
      const int rc = q->step();
      if (rc == SQLITE_ROW) {
        const std::string other = q->column_text(0);
        if (other != r.cohort_id) {
          return status::already_exists(what + ": the room is in cohort " + other);
        }
      } else if (rc != SQLITE_DONE) {
        return sqlite_failure(rc, writer_->handle(), what);
      }
    }
    auto q = writer_->prepare(
        "INSERT INTO cohort_rooms (room_id, cohort_id, position) VALUES (?1, ?2, ?3) "
        "ON CONFLICT (room_id) DO UPDATE SET position = excluded.position");
    if (!q) return q.error();
    q->bind_text(1, r.room_id).bind_text(2, r.cohort_id).bind_int(3, r.position);
    const int rc = q->run();
    if (rc == SQLITE_DONE) return status::ok();
    return write_failure(rc, writer_->handle(), what, "the room does not exist", "");
  }

  status put(const cohort_item_record& i) {
    return put_versioned(cohort_items, i.cohort_id, i.kind, i.item_id, i.version, i.at_ms,
                         i.payload, " in cohort ");
  }

  // ---- erasure --------------------------------------------------------------------------

  status erase_now(const std::string& room_id) {
    const std::string what = "erase room " + room_id;
    revisions_.clear();  // the room's documents lose their ops
    if (status s = writer_->run("BEGIN IMMEDIATE", what); !s) return s;
    status s = [&]() -> status {
      auto q = writer_->prepare("SELECT 1 FROM rooms WHERE id = ?1");
      if (!q) return q.error();
      q->bind_text(1, room_id);
      const int rc = q->step();
      if (rc == SQLITE_DONE) return status::not_found(what + ": there is no such room");
      if (rc != SQLITE_ROW) return sqlite_failure(rc, writer_->handle(), what);
      return status::ok();
    }();
    // Children first, so nothing depends on the cascade; secure_delete zeroes every row.
    static constexpr const char* deletes[] = {
        "DELETE FROM item_history WHERE room_id = ?1", "DELETE FROM items WHERE room_id = ?1",
        "DELETE FROM snapshots WHERE room_id = ?1",    "DELETE FROM ops WHERE room_id = ?1",
        "DELETE FROM documents WHERE room_id = ?1",    "DELETE FROM seats WHERE room_id = ?1",
        "DELETE FROM cohort_rooms WHERE room_id = ?1", "DELETE FROM rooms WHERE id = ?1",
    };
    for (const char* sql : deletes) {
      if (!s) break;
      auto q = writer_->prepare(sql);
      if (!q) {
        s = q.error();
        break;
      }
      q->bind_text(1, room_id);
      if (const int rc = q->run(); rc != SQLITE_DONE)
        s = sqlite_failure(rc, writer_->handle(), what);
    }
    if (s) s = writer_->run("COMMIT", what);
    if (!s) {
      if (writer_->in_transaction()) writer_->run("ROLLBACK", what);
      return s;
    }
    spdlog::info("store: room {} erased", room_id);
    return truncate_wal(room_id);
  }

  // Copies the WAL into the database file and truncates it to zero bytes, so the pages
  // that held erased rows (and the zeroed ones that replaced them) leave the -wal file. The
  // checkpoint waits (busy timeout) for readers still on an older snapshot.
  status truncate_wal(const std::string& erased_room = {}) {
    const int rc = sqlite3_wal_checkpoint_v2(writer_->handle(), "main", SQLITE_CHECKPOINT_TRUNCATE,
                                             nullptr, nullptr);
    if (rc == SQLITE_OK) {
      wal_needs_truncate_ = false;
      return status::ok();
    }
    // Retried after the next group the writer commits.
    wal_needs_truncate_ = true;
    status why = sqlite_failure(rc, writer_->handle(), "checkpoint");
    if (!erased_room.empty()) {
      spdlog::warn("store: room {} is erased but the WAL still holds its old pages: {}",
                   erased_room, why.message());
      return status::busy("room " + erased_room +
                          " is erased, but colead.db-wal could not be truncated yet (" +
                          why.message() + "); the store retries after its next write");
    }
    return why;
  }

  const std::filesystem::path path_;
  const sqlite_options options_;

  // Used by the writer thread only (and by close() once the thread has stopped).
  std::unique_ptr<connection> writer_;
  // Set when an erasure could not truncate the WAL; writer thread only.
  bool wal_needs_truncate_ = false;
  // The last stored revision of the documents written lately; writer thread only.
  revision_cache revisions_;

  mutable std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<job> queue_;           // guarded by queue_mu_
  std::size_t queued_batches_ = 0;  // guarded by queue_mu_
  std::size_t queued_bytes_ = 0;    // guarded by queue_mu_
  bool closing_ = false;            // guarded by queue_mu_
  std::thread writer_thread_;

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<connection>> idle_readers_;  // guarded by readers_mu_
  bool readers_closed_ = false;                            // guarded by readers_mu_

  std::atomic<std::uint64_t> groups_committed_{0};
  std::atomic<std::uint64_t> batches_committed_{0};
  std::atomic<std::uint64_t> batches_rejected_{0};
  std::atomic<std::uint64_t> batches_failed_{0};
  commit_health health_;  // thread-safe

  std::mutex observer_mu_;               // held while the observer is called or changed
  commit_observer* observer_ = nullptr;  // guarded by observer_mu_
};

}  // namespace

std::filesystem::path database_path(const std::filesystem::path& data_dir) {
  return data_dir / "colead.db";
}

std::uint32_t oldest_known_schema() {
  return detail::colead_migrations().front().version;
}
std::uint32_t newest_known_schema() {
  return detail::colead_migrations().back().version;
}

result<std::unique_ptr<store>> open_sqlite(const std::filesystem::path& path,
                                           const sqlite_options& given) {
  sqlite_options options = given;
  options.read_connections = std::max(1u, options.read_connections);
  options.max_queued_batches = std::max<std::size_t>(1, options.max_queued_batches);
  options.max_group_batches = std::max<std::size_t>(1, options.max_group_batches);
  const std::string name = path.filename().string();
  if (status s = prepare_files(path); !s) return s;
  auto writer = connection::open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, options.vfs,
                                 options.busy_timeout_ms);
  if (!writer) return writer.error();
  connection& db = **writer;

  // Check before changing anything: a damaged file or a newer schema is refused untouched.
  if (status s = detail::quick_check(db, name); !s) return s;
  const auto migrations = detail::colead_migrations();
  if (status s = detail::check_version(db, migrations, name); !s) return s;

  if (status s = require_pragma(db, "PRAGMA journal_mode = WAL", "PRAGMA journal_mode", "wal",
                                "WAL needs shared memory; put the data folder on a local disk");
      !s) {
    return s;
  }
  if (status s = require_pragma(db, "PRAGMA synchronous = FULL", "PRAGMA synchronous", "2",
                                "every commit must be fsynced before it is acknowledged");
      !s) {
    return s;
  }
  if (status s = require_pragma(db, "PRAGMA foreign_keys = ON", "PRAGMA foreign_keys", "1",
                                "rows must not outlive their room");
      !s) {
    return s;
  }
  if (status s = require_pragma(db, "PRAGMA secure_delete = ON", "PRAGMA secure_delete", "1",
                                "erased rooms must be zeroed in the file");
      !s) {
    return s;
  }
  const std::string checkpoint_pages = std::to_string(std::max(1, options.wal_checkpoint_pages));
  if (status s = require_pragma(db, "PRAGMA wal_autocheckpoint = " + checkpoint_pages,
                                "PRAGMA wal_autocheckpoint", checkpoint_pages,
                                "the WAL must be checkpointed as configured");
      !s) {
    return s;
  }
  if (status s = db.exec_script(
          "PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = " +
              std::to_string(options.wal_size_limit_bytes) + "; PRAGMA cache_size = -" +
              std::to_string(std::max<std::int64_t>(1, options.writer_cache_bytes / 1024)),
          "settings");
      !s) {
    return s;
  }
  if (status s = detail::migrate(db, migrations, wall_clock_ms(), name); !s) return s;

  std::vector<std::unique_ptr<connection>> readers;
  for (unsigned i = 0; i < options.read_connections; ++i) {
    auto reader =
        connection::open(path, SQLITE_OPEN_READWRITE, options.vfs, options.busy_timeout_ms);
    if (!reader) return reader.error();
    if (status s = (*reader)->exec_script("PRAGMA query_only = ON", "reader settings"); !s) {
      return s;
    }
    readers.push_back(std::move(*reader));
  }
  auto version = detail::schema_version(db);
  if (!version) return version.error();
  spdlog::info(
      "store: opened {} (schema {}, WAL checkpointed every {} pages, synchronous=FULL, {} "
      "readers)",
      path.string(), *version, checkpoint_pages, readers.size());
  return std::unique_ptr<store>(
      new sqlite_store(path, options, std::move(*writer), std::move(readers)));
}

}  // namespace colead::store
