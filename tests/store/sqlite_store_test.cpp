// The SQLite backend on a real file: opening, migrations, refusals, group commit, failures
// of the disk, and erasure down to the bytes of the files.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fault_vfs.hpp"
#include "store/sqlite_db.hpp"
#include "store/sqlite_schema.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace colead::store {
namespace {

using testing::file_bytes;
using testing::file_contains;
using testing::make_note;
using testing::make_op;
using testing::new_room_batch;
using testing::numbered;
using testing::save;

// A one-shot gate: wait() blocks until open().
class gate {
 public:
  void open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Runs one SQL statement on the file with a plain SQLite connection and returns the first
// column of the first row ("" when none).
std::string sql_value(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  sqlite3_stmt* stmt = nullptr;
  std::string value;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != nullptr) {
    value = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  } else if (stmt == nullptr || sqlite3_errcode(db) != SQLITE_DONE) {
    value = std::string("error: ") + sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

class SqliteStore : public ::testing::Test {
 protected:
  std::filesystem::path db_path() const { return folder_ / "data" / "colead.db"; }

  std::unique_ptr<store> open_store(sqlite_options options = {}) {
    auto opened = open_sqlite(db_path(), options);
    EXPECT_TRUE(opened) << opened.error().to_string();
    return opened ? std::move(*opened) : nullptr;
  }

  testing::temp_folder folder_;
};

TEST_F(SqliteStore, OpenCreatesTheFileAndMigratesItToTheNewestSchema) {
  auto db = open_store();
  ASSERT_TRUE(db);
  ASSERT_TRUE(std::filesystem::exists(db_path()));
  struct stat info {};
  ASSERT_EQ(::stat(db_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u) << "colead.db must be readable by its owner only";
  ASSERT_EQ(::stat(db_path().parent_path().c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700u);

  EXPECT_EQ(sql_value(db_path(), "SELECT max(version) FROM schema_version"),
            std::to_string(newest_known_schema()));
  EXPECT_EQ(sql_value(db_path(), "PRAGMA journal_mode"), "wal");
  EXPECT_EQ(sql_value(db_path(), "PRAGMA application_id"),
            std::to_string(detail::colead_application_id));
  for (const char* table :
       {"rooms", "seats", "documents", "ops", "snapshots", "items", "item_history", "cohorts",
        "facilitators", "cohort_rooms", "cohort_items", "cohort_item_history"}) {
    EXPECT_EQ(
        sql_value(db_path(),
                  std::string("SELECT count(*) FROM sqlite_schema WHERE name = '") + table + "'"),
        "1")
        << table;
  }
}

// The WAL gathers up to 10,000 pages before a commit copies them into colead.db (SQLite's
// own default, 1,000, had busy servers checkpoint many times a second): 600 commits of a page
// or more each leave more than 1,000 pages' worth in the WAL file.
TEST_F(SqliteStore, TheWalGathersThousandsOfPagesBeforeACheckpoint) {
  auto db = open_store();
  ASSERT_TRUE(save(*db, new_room_batch("r1")));
  const std::string page_of_text(3500, 'x');
  for (std::uint64_t rev = 1; rev <= 600; ++rev) {
    write_batch b;
    b.append_op(make_op("r1", "purpose", rev, page_of_text));
    ASSERT_TRUE(save(*db, std::move(b))) << rev;
  }
  const auto wal = std::filesystem::path(db_path().string() + "-wal");
  const auto bytes = std::filesystem::file_size(wal);
  // A checkpoint every 1,000 pages would keep it near 1,000 frames (4 KiB and a header each).
  EXPECT_GT(bytes, std::uintmax_t{1'500 * (4'096 + 24)})
      << "the WAL was checkpointed too soon: " << bytes << " bytes";
  EXPECT_LT(bytes, std::uintmax_t{10'000 * (4'096 + 24)});
  db->close();
  auto reopened = open_store();
  EXPECT_EQ(reopened->read_ops("r1", "purpose", 1, UINT64_MAX)->size(), 600u);
}

TEST_F(SqliteStore, ReopeningKeepsEverythingAcknowledged) {
  {
    auto db = open_store();
    write_batch b = new_room_batch("r1");
    b.append_op(make_op("r1", "purpose", 1, "We want fewer readmissions"));
    b.put_item(make_note("r1", "n1", 1, "listening went well"));
    ASSERT_TRUE(save(*db, std::move(b)));
  }
  auto db = open_store();
  auto image = db->load_room("r1");
  ASSERT_TRUE(image) << image.error().to_string();
  ASSERT_EQ(image->documents.size(), 1u);
  ASSERT_EQ(image->documents[0].ops.size(), 1u);
  EXPECT_EQ(testing::inserted_text(image->documents[0].ops[0]), "We want fewer readmissions");
  EXPECT_EQ(testing::note_text(image->items[0]), "listening went well");
  EXPECT_EQ(image->seats[1].name, "Dr Rees");
  EXPECT_EQ(sql_value(db_path(), "SELECT count(*) FROM schema_version"),
            std::to_string(newest_known_schema()))
      << "reopening applies no migration twice";
}

TEST_F(SqliteStore, RefusesAFileFromANewerColeadAndLeavesItUntouched) {
  { open_store(); }
  const std::uint32_t future = newest_known_schema() + 6;
  sql_value(db_path(), "INSERT INTO schema_version VALUES (" + std::to_string(future) +
                           ", 0, 'from the future')");
  sql_value(db_path(), "PRAGMA journal_mode = DELETE");
  const std::string before = file_bytes(db_path());

  auto opened = open_sqlite(db_path());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code(), error_code::incompatible);
  EXPECT_EQ(opened.error().message(),
            "colead.db was written by a newer Colead (schema " + std::to_string(future) +
                "; this build knows " + std::to_string(oldest_known_schema()) + ".." +
                std::to_string(newest_known_schema()) + "); upgrade Colead or restore a backup");
  std::cout << "refusal: " << opened.error().message() << "\n";
  EXPECT_EQ(file_bytes(db_path()), before);
  EXPECT_EQ(sql_value(db_path(), "PRAGMA journal_mode"), "delete");
}

TEST_F(SqliteStore, RefusesADamagedCopyWithAClearMessage) {
  {
    auto db = open_store();
    // Enough rows over enough pages that the middle of the file is table data.
    for (int r = 0; r < 20; ++r) {
      const std::string id = "room" + std::to_string(r);
      write_batch b = new_room_batch(id);
      for (std::uint64_t rev = 1; rev <= 40; ++rev) {
        b.append_op(make_op(id, "purpose", rev, "a line of shared purpose " + std::to_string(rev)));
      }
      ASSERT_TRUE(save(*db, std::move(b)));
    }
  }
  const auto copy_folder = folder_ / "copy";
  std::filesystem::create_directories(copy_folder);
  const auto copy = copy_folder / "colead.db";
  std::filesystem::copy_file(db_path(), copy);
  std::string bytes = file_bytes(copy);
  ASSERT_GT(bytes.size(), 16u * 4096);
  // Overwrite one whole page in the middle with garbage.
  const std::size_t page = (bytes.size() / 4096) / 2;
  std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(page * 4096),
            bytes.begin() + static_cast<std::ptrdiff_t>((page + 1) * 4096), '\xa5');
  std::ofstream(copy, std::ios::binary | std::ios::trunc) << bytes;

  auto opened = open_sqlite(copy);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code(), error_code::corruption);
  const std::string message = opened.error().message();
  std::cout << "refusal: " << message << "\n";
  EXPECT_EQ(message.rfind("colead.db is damaged (quick_check: ", 0), 0u) << message;
  EXPECT_NE(message.find("); restore the latest backup (see docs/operations.md)"),
            std::string::npos)
      << message;

  // The original is fine.
  auto db = open_store();
  ASSERT_TRUE(db);
  EXPECT_TRUE(*db->room_exists("room7"));
}

TEST_F(SqliteStore, RefusesADatabaseThatIsNotColeads) {
  std::filesystem::create_directories(db_path().parent_path());
  sqlite3* raw = nullptr;
  sqlite3_open(db_path().c_str(), &raw);
  sqlite3_exec(raw, "CREATE TABLE invoices (id INTEGER)", nullptr, nullptr, nullptr);
  sqlite3_close(raw);

  auto opened = open_sqlite(db_path());
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code(), error_code::incompatible);
  EXPECT_NE(opened.error().message().find("is not a Colead database"), std::string::npos)
      << opened.error().message();
  EXPECT_EQ(sql_value(db_path(), "SELECT count(*) FROM sqlite_schema"), "1");
}

// Migrations apply in order, each with its schema_version row, and a failing one leaves the
// file at the version before it.
TEST(SqliteMigrations, ApplyInOrderEachInItsOwnTransaction) {
  testing::temp_folder folder;
  auto opened = detail::connection::open(folder / "m.db",
                                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "", 1000);
  ASSERT_TRUE(opened);
  detail::connection& db = **opened;
  const detail::migration steps[] = {
      {1, "one", "CREATE TABLE a (x INTEGER);"},
      {2, "two", "ALTER TABLE a ADD COLUMN y TEXT; CREATE TABLE b (z INTEGER);"},
      {3, "three", "CREATE TABLE c (w INTEGER); INSERT INTO nowhere VALUES (1);"},
  };
  ASSERT_TRUE(detail::migrate(db, std::span(steps, 1), 10, "m.db"));
  EXPECT_EQ(*detail::schema_version(db), 1u);

  status s = detail::migrate(db, steps, 20, "m.db");
  EXPECT_FALSE(s);
  EXPECT_NE(s.message().find("migration to schema 3"), std::string::npos) << s.message();
  EXPECT_EQ(*detail::schema_version(db), 2u);
  EXPECT_EQ(*db.pragma_value("SELECT count(*) FROM sqlite_schema WHERE name = 'c'"), "0");
  EXPECT_EQ(*db.pragma_value("SELECT group_concat(description) FROM schema_version"), "one,two");

  const detail::migration fixed[] = {
      steps[0], steps[1], {3, "three", "CREATE TABLE c (w INTEGER);"}};
  ASSERT_TRUE(detail::migrate(db, fixed, 30, "m.db"));
  EXPECT_EQ(*detail::schema_version(db), 3u);
  EXPECT_EQ(detail::check_version(db, std::span(fixed, 2), "m.db").message(),
            "m.db was written by a newer Colead (schema 3; this build knows 1..2); upgrade "
            "Colead or restore a backup");
}

// The first batch's `done` holds the writer until everything else is queued; the rest must
// then be saved in groups of at most max_group_batches, one commit each.
TEST_F(SqliteStore, QueuedBatchesShareOneCommitPerGroup) {
  sqlite_options options;
  options.max_group_batches = 64;
  auto db = open_store(options);
  ASSERT_TRUE(save(*db, new_room_batch("r1")));
  const auto before = db->stats();

  gate release;
  std::promise<void> first_done;
  write_batch first;
  first.touch_room("r1", 1);
  ASSERT_TRUE(db->submit(std::move(first), [&](status) {
    first_done.set_value();
    release.wait();
  }));
  first_done.get_future().wait();  // the writer is now inside the callback

  constexpr int queued = 200;
  std::atomic<int> ok{0};
  std::vector<int> order;
  for (int i = 1; i <= queued; ++i) {
    write_batch b;
    b.append_op(make_op("r1", "purpose", static_cast<std::uint64_t>(i), "x"));
    ASSERT_TRUE(db->submit(std::move(b), [&, i](status s) {
      if (s) ++ok;
      order.push_back(i);  // the writer thread only
    }));
  }
  EXPECT_EQ(db->stats().queued_batches, static_cast<std::uint64_t>(queued));
  release.open();
  db->close();

  EXPECT_EQ(ok.load(), queued);
  ASSERT_EQ(order.size(), static_cast<std::size_t>(queued));
  EXPECT_TRUE(std::is_sorted(order.begin(), order.end()));
  const auto after = db->stats();
  // One group for the first batch, then ceil(200 / 64) = 4.
  EXPECT_EQ(after.groups_committed - before.groups_committed, 5u);
  EXPECT_EQ(after.batches_committed - before.batches_committed, 201u);
  auto reopened = open_store();
  EXPECT_EQ(reopened->read_ops("r1", "purpose", 1, UINT64_MAX)->size(), 200u);
}

TEST_F(SqliteStore, ARejectedBatchLeavesTheRestOfItsGroupSaved) {
  auto db = open_store();
  ASSERT_TRUE(save(*db, new_room_batch("r1")));
  gate release;
  std::promise<void> holding;
  write_batch first;
  first.touch_room("r1", 1);
  ASSERT_TRUE(db->submit(std::move(first), [&](status) {
    holding.set_value();
    release.wait();
  }));
  holding.get_future().wait();

  std::vector<status> results(3);
  write_batch a, dup, c;
  a.append_op(make_op("r1", "purpose", 1, "one", "ea"));
  dup.put_item(make_note("r1", "n1", 1, "must not appear"));
  dup.append_op(make_op("r1", "purpose", 2, "two", "ea"));  // edit id of a
  c.append_op(make_op("r1", "purpose", 2, "two", "ec"));
  ASSERT_TRUE(db->submit(std::move(a), [&](status s) { results[0] = s; }));
  ASSERT_TRUE(db->submit(std::move(dup), [&](status s) { results[1] = s; }));
  ASSERT_TRUE(db->submit(std::move(c), [&](status s) { results[2] = s; }));
  release.open();
  db->close();

  EXPECT_TRUE(results[0]) << results[0].to_string();
  EXPECT_EQ(results[1].code(), error_code::already_exists) << results[1].to_string();
  EXPECT_EQ(results[1].message(),
            "op rev 2 of document purpose in room r1: edit id ea is already stored as rev 1");
  EXPECT_TRUE(results[2]) << results[2].to_string();
  auto reopened = open_store();
  auto ops = reopened->read_ops("r1", "purpose", 1, 9);
  ASSERT_EQ(ops->size(), 2u);
  EXPECT_EQ((*ops)[1].edit_id, "ec");
  EXPECT_TRUE(reopened->item_history("r1", "note", "n1")->empty());
}

// The writer keeps each document's last revision in memory; what a rejected batch or an
// erasure undid must not stay in it.
TEST_F(SqliteStore, RevisionsOfARejectedBatchOrAnErasedRoomAreNotKept) {
  auto db = open_store();
  ASSERT_TRUE(save(*db, new_room_batch("r1")));
  write_batch first;
  first.append_op(make_op("r1", "purpose", 1, "one", "e1"));
  ASSERT_TRUE(save(*db, std::move(first)));

  // The op is written, then the batch's next mutation fails: the whole batch is undone.
  write_batch rejected;
  rejected.append_op(make_op("r1", "purpose", 2, "undone", "e2"));
  rejected.touch_room("no-such-room", 5);
  EXPECT_EQ(save(*db, std::move(rejected)).code(), error_code::not_found);
  write_batch second;
  second.append_op(make_op("r1", "purpose", 2, "two", "e3"));
  ASSERT_TRUE(save(*db, std::move(second)));
  write_batch gap;
  gap.append_op(make_op("r1", "purpose", 4, "four", "e4"));
  auto conflict = save(*db, std::move(gap));
  EXPECT_EQ(conflict.code(), error_code::conflict);
  EXPECT_EQ(conflict.message(),
            "op rev 4 of document purpose in room r1: the last stored revision is 2");

  // A room made again under an erased one's id starts from revision 1.
  ASSERT_TRUE(db->erase_room("r1"));
  ASSERT_TRUE(save(*db, new_room_batch("r1")));
  write_batch again;
  again.append_op(make_op("r1", "purpose", 1, "anew", "e5"));
  ASSERT_TRUE(save(*db, std::move(again)));
  db->close();

  auto reopened = open_store();
  auto ops = reopened->read_ops("r1", "purpose", 1, UINT64_MAX);
  ASSERT_EQ(ops->size(), 1u);
  EXPECT_EQ(testing::inserted_text((*ops)[0]), "anew");
}

TEST_F(SqliteStore, AFullQueueFailsFastAndNothingIsLost) {
  sqlite_options options;
  options.max_queued_batches = 4;
  auto db = open_store(options);
  ASSERT_TRUE(save(*db, new_room_batch("r1")));
  gate release;
  std::promise<void> holding;
  write_batch first;
  first.touch_room("r1", 1);
  ASSERT_TRUE(db->submit(std::move(first), [&](status) {
    holding.set_value();
    release.wait();
  }));
  holding.get_future().wait();

  std::atomic<int> saved{0};
  for (int i = 1; i <= 4; ++i) {
    write_batch b;
    b.append_op(make_op("r1", "purpose", static_cast<std::uint64_t>(i), "x"));
    ASSERT_TRUE(db->submit(std::move(b), [&](status s) { saved += s ? 1 : 0; }));
  }
  write_batch extra;
  extra.append_op(make_op("r1", "purpose", 5, "x"));
  bool called = false;
  status s = db->submit(std::move(extra), [&](status) { called = true; });
  EXPECT_EQ(s.code(), error_code::busy) << s.to_string();
  EXPECT_NE(s.message().find("write queue is full"), std::string::npos);
  release.open();
  db->close();
  EXPECT_FALSE(called);
  EXPECT_EQ(saved.load(), 4);
}

TEST_F(SqliteStore, CloseSavesEveryAcceptedBatchAndThenRefuses) {
  auto db = open_store();
  ASSERT_TRUE(save(*db, new_room_batch("r1")));
  std::atomic<int> saved{0};
  for (int i = 1; i <= 100; ++i) {
    write_batch b;
    b.append_op(make_op("r1", "purpose", static_cast<std::uint64_t>(i), "x"));
    ASSERT_TRUE(db->submit(std::move(b), [&](status s) { saved += s ? 1 : 0; }));
  }
  db->close();
  EXPECT_EQ(saved.load(), 100);
  EXPECT_EQ(db->submit(new_room_batch("r2"), [](status) {}).code(), error_code::closed);
  EXPECT_EQ(db->load_room("r1").error().code(), error_code::closed);
  EXPECT_FALSE(std::filesystem::exists(db_path().string() + "-wal"))
      << "closing checkpoints the WAL into colead.db";
  auto reopened = open_store();
  EXPECT_EQ(reopened->read_ops("r1", "purpose", 1, UINT64_MAX)->size(), 100u);
}

// While the writer sits in the fsync of a commit, reads go on against the last committed
// state; the commit's batch is visible once its `done` has run.
TEST_F(SqliteStore, ReadsDoNotWaitForACommitInProgress) {
  sqlite_options options;
  options.vfs = testing::fault_vfs_name();
  auto db = open_store(options);
  ASSERT_TRUE(save(*db, new_room_batch("r1")));

  gate in_sync, release;
  std::atomic<bool> armed{true};
  testing::on_sync([&] {
    if (armed.exchange(false)) {
      in_sync.open();
      release.wait();
    }
  });
  std::promise<status> done;
  ASSERT_TRUE(db->submit(new_room_batch("r2"), [&](status s) { done.set_value(s); }));
  in_sync.wait();

  EXPECT_TRUE(*db->room_exists("r1"));
  EXPECT_FALSE(*db->room_exists("r2")) << "not durable yet, so not visible";
  EXPECT_EQ(db->list_rooms_idle_since(INT64_MAX)->size(), 1u);

  release.open();
  EXPECT_TRUE(done.get_future().get());
  EXPECT_TRUE(*db->room_exists("r2"));
  testing::on_sync(nullptr);
}

class SqliteStoreDiskFailure : public SqliteStore, public ::testing::WithParamInterface<int> {};

// A commit that fails as a broken or full disk makes it fail: every batch of the group gets
// the error, nothing of them is stored, and the store carries on once the disk is back.
TEST_P(SqliteStoreDiskFailure, IsReportedToEveryBatchAndTheStoreStaysUsable) {
  sqlite_options options;
  options.vfs = testing::fault_vfs_name();
  auto db = open_store(options);
  ASSERT_TRUE(save(*db, new_room_batch("r1")));

  testing::fail_wal_writes(GetParam());
  write_batch b;
  b.append_op(make_op("r1", "purpose", 1, "lost to the disk"));
  status failed = save(*db, std::move(b));
  testing::fail_wal_writes(0);
  EXPECT_EQ(failed.code(), error_code::io_error) << failed.to_string();
  const bool full = (GetParam() & 0xff) == SQLITE_FULL;
  EXPECT_NE(failed.message().find(full ? "SQLITE_FULL" : "SQLITE_IOERR"), std::string::npos)
      << failed.message();
  std::cout << "reported: " << failed.message() << "\n";
  EXPECT_EQ(db->stats().batches_failed, 1u);
  // Until a commit succeeds again, the store reports itself failing, with the reason.
  auto health = db->health();
  EXPECT_FALSE(health.ok);
  EXPECT_NE(health.last_error.find(full ? "SQLITE_FULL" : "SQLITE_IOERR"), std::string::npos)
      << health.last_error;
  ASSERT_TRUE(health.ms_since_commit) << "the room was committed before";

  write_batch next;
  next.append_op(make_op("r1", "purpose", 1, "saved after the disk came back"));
  ASSERT_TRUE(save(*db, std::move(next)));
  auto ops = db->read_ops("r1", "purpose", 1, UINT64_MAX);
  ASSERT_EQ(ops->size(), 1u);
  EXPECT_EQ(testing::inserted_text((*ops)[0]), "saved after the disk came back");
  EXPECT_TRUE(db->health().ok);
  EXPECT_EQ(db->health().last_error, "");
  db->close();
  auto reopened = open_store();
  EXPECT_EQ(reopened->read_ops("r1", "purpose", 1, UINT64_MAX)->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Codes, SqliteStoreDiskFailure,
                         ::testing::Values(SQLITE_IOERR_WRITE, SQLITE_FULL), [](const auto& info) {
                           return std::string(info.param == SQLITE_FULL ? "Full" : "IoErr");
                         });

// Erasure: the room's text must be gone from the bytes of colead.db and colead.db-wal, not
// merely unreachable. The text is first put in both files, and another room's text is the
// control that shows the search finds what is there.
TEST_F(SqliteStore, ErasedRoomLeavesNoTraceInTheDatabaseOrTheWal) {
  const std::string secret = "ZEBRA-QUARTZ-7431";
  const std::string control = "OTTER-MAGNOLIA-2208";
  const std::string wal = db_path().string() + "-wal";
  auto fill = [&](store& db, const std::string& room, const std::string& word, std::uint64_t from,
                  std::uint64_t to) {
    for (std::uint64_t rev = from; rev <= to; ++rev) {
      write_batch b;
      b.append_op(make_op(room, "purpose", rev, word + " line " + std::to_string(rev)));
      if (rev % 10 == 0) {
        b.put_snapshot(
            snapshot_record{room, "purpose", rev, word + " text at " + std::to_string(rev), word});
      }
      b.put_item(
          make_note(room, numbered("n", rev % 7), rev, word + " note " + std::to_string(rev)));
      ASSERT_TRUE(save(db, std::move(b)));
    }
  };
  {
    auto db = open_store();
    for (const auto& [room, word] : {std::pair{"secret", secret}, std::pair{"control", control}}) {
      write_batch b;
      b.put_room(testing::make_room(room, 1000, word + " room title"));
      b.put_seat(testing::make_seat(room, 1, word + " name"));
      b.put_document(document_record{room, "purpose", word + " purpose", 0, false, word});
      ASSERT_TRUE(save(*db, std::move(b)));
    }
    // Interleaved, so the two rooms share pages.
    for (std::uint64_t step = 0; step < 6; ++step) {
      fill(*db, "secret", secret, step * 20 + 1, step * 20 + 20);
      fill(*db, "control", control, step * 20 + 1, step * 20 + 20);
    }
  }
  auto db = open_store();
  fill(*db, "secret", secret, 121, 140);
  fill(*db, "control", control, 121, 140);
  ASSERT_TRUE(file_contains(db_path(), secret)) << "the search must find the text first";
  ASSERT_TRUE(file_contains(wal, secret));
  ASSERT_TRUE(file_contains(db_path(), control));

  ASSERT_TRUE(db->erase_room("secret"));
  EXPECT_FALSE(file_contains(db_path(), secret)) << "erased text left in colead.db";
  EXPECT_FALSE(file_contains(wal, secret)) << "erased text left in colead.db-wal";
  EXPECT_EQ(std::filesystem::file_size(wal), 0u);
  EXPECT_FALSE(file_contains(db_path().string() + "-shm", secret));
  EXPECT_TRUE(file_contains(db_path(), control)) << "the other room must be intact";
  auto kept = db->load_room("control");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->documents[0].snapshot->rev, 140u);

  db->close();
  EXPECT_FALSE(file_contains(db_path(), secret));
  EXPECT_EQ(sql_value(db_path(), "PRAGMA quick_check"), "ok");
}

}  // namespace
}  // namespace colead::store
