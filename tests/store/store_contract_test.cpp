// The store contract, run against every backend: the SQLite store on a real file in a fresh
// temporary folder, and the in-memory store the room tests use.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/memory_store.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace colead::store {
namespace {

using testing::make_document;
using testing::make_note;
using testing::make_op;
using testing::make_room;
using testing::make_seat;
using testing::new_room_batch;
using testing::numbered;
using testing::save;

struct backend {
  const char* name;
  bool sqlite;
};

class StoreContract : public ::testing::TestWithParam<backend> {
 protected:
  void SetUp() override {
    if (GetParam().sqlite) {
      auto opened = open_sqlite(folder_ / "colead.db");
      ASSERT_TRUE(opened) << opened.error().to_string();
      store_ = std::move(*opened);
    } else {
      store_ = std::make_unique<memory_store>();
    }
  }

  store& db() { return *store_; }

  // Saves and expects success.
  void must_save(write_batch batch) {
    status s = save(db(), std::move(batch));
    ASSERT_TRUE(s) << s.to_string();
  }

  testing::temp_folder folder_;
  std::unique_ptr<store> store_;
};

TEST_P(StoreContract, MalformedBatchIsRefusedAtOnceAndDoneNeverCalled) {
  bool called = false;
  status s = db().submit(write_batch{}, [&](status) { called = true; });
  EXPECT_EQ(s.code(), error_code::invalid_argument) << s.to_string();

  write_batch bad_id;
  bad_id.put_room(make_room("../etc"));
  s = db().submit(std::move(bad_id), [&](status) { called = true; });
  EXPECT_EQ(s.code(), error_code::invalid_argument);
  EXPECT_NE(s.message().find("room id"), std::string::npos) << s.message();

  write_batch no_edit_id;
  no_edit_id.append_op(make_op("r1", "purpose", 1, "x", "-"));
  no_edit_id.append_op(op_record{"r1", "purpose", 2, "m1", "", 0, ""});
  s = db().submit(std::move(no_edit_id), [&](status) { called = true; });
  EXPECT_EQ(s.code(), error_code::invalid_argument);
  EXPECT_NE(s.message().find("mutation 2"), std::string::npos) << s.message();

  db().close();
  EXPECT_FALSE(called);
}

TEST_P(StoreContract, LoadRoomReturnsWhatWasSaved) {
  write_batch b = new_room_batch("r1");
  b.put_document(document_record{"r1", "principles", "Shared principles", 1, false, "meta"});
  b.put_item(make_note("r1", "n2", 1, "second note, written first"));
  b.put_item(make_note("r1", "n1", 1, "first note"));
  b.put_item(item_record{"r1", "meeting", "mt1", 1, 5, "meeting-bytes"});
  must_save(std::move(b));

  auto image = db().load_room("r1");
  ASSERT_TRUE(image) << image.error().to_string();
  EXPECT_EQ(image->room, make_room("r1"));
  ASSERT_EQ(image->seats.size(), 2u);
  EXPECT_EQ(image->seats[0], make_seat("r1", 1, "Asha"));
  EXPECT_EQ(image->seats[1], make_seat("r1", 2, "Dr Rees"));
  ASSERT_EQ(image->documents.size(), 2u);
  EXPECT_EQ(image->documents[0].document, make_document("r1", "purpose"));
  EXPECT_EQ(image->documents[1].document.meta, "meta");
  EXPECT_FALSE(image->documents[0].snapshot);
  EXPECT_TRUE(image->documents[0].ops.empty());
  // By kind, then in the order items were first written.
  ASSERT_EQ(image->items.size(), 3u);
  EXPECT_EQ(image->items[0].kind, "meeting");
  EXPECT_EQ(image->items[1].item_id, "n2");
  EXPECT_EQ(image->items[2].item_id, "n1");
  EXPECT_EQ(testing::note_text(image->items[2]), "first note");

  auto missing = db().load_room("nope");
  EXPECT_EQ(missing.error().code(), error_code::not_found);
  EXPECT_EQ(*db().room_exists("r1"), true);
  EXPECT_EQ(*db().room_exists("nope"), false);
}

TEST_P(StoreContract, PutRoomKeepsCreationTimeAndNeverMovesActivityBack) {
  must_save(new_room_batch("r1", 5000));
  write_batch again;
  room_record changed = make_room("r1", 3000, "Renamed");
  changed.created_at_ms = 1;
  again.put_room(changed);
  must_save(std::move(again));
  auto image = db().load_room("r1");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->room.title, "Renamed");
  EXPECT_EQ(image->room.created_at_ms, 5000);
  EXPECT_EQ(image->room.last_active_ms, 5000);
}

TEST_P(StoreContract, OpsMustFollowTheLastStoredRevision) {
  must_save(new_room_batch("r1"));
  write_batch gap;
  gap.append_op(make_op("r1", "purpose", 2, "too early"));
  EXPECT_EQ(save(db(), std::move(gap)).code(), error_code::conflict);

  write_batch first;
  first.append_op(make_op("r1", "purpose", 1, "a"));
  first.append_op(make_op("r1", "purpose", 2, "b"));
  must_save(std::move(first));

  write_batch skip;
  skip.append_op(make_op("r1", "purpose", 4, "d"));
  status s = save(db(), std::move(skip));
  EXPECT_EQ(s.code(), error_code::conflict);
  EXPECT_NE(s.message().find("last stored revision is 2"), std::string::npos) << s.message();
}

TEST_P(StoreContract, DuplicateRevOrEditIdIsRejectedWithoutTouchingStoredData) {
  write_batch b = new_room_batch("r1");
  b.append_op(make_op("r1", "purpose", 1, "first", "edit-a"));
  b.put_item(make_note("r1", "n1", 1, "kept"));
  must_save(std::move(b));

  // Same rev again, in a batch that also tries to change a note: nothing of it is stored.
  write_batch same_rev;
  same_rev.put_item(make_note("r1", "n1", 2, "must not appear"));
  same_rev.append_op(make_op("r1", "purpose", 1, "again", "edit-b"));
  status s = save(db(), std::move(same_rev));
  EXPECT_EQ(s.code(), error_code::already_exists) << s.to_string();

  // A new rev with an edit id already applied.
  write_batch same_edit;
  same_edit.put_item(make_note("r1", "n1", 2, "must not appear"));
  same_edit.append_op(make_op("r1", "purpose", 2, "resent", "edit-a"));
  s = save(db(), std::move(same_edit));
  EXPECT_EQ(s.code(), error_code::already_exists) << s.to_string();
  EXPECT_NE(s.message().find("edit-a"), std::string::npos) << s.message();

  auto ops = db().read_ops("r1", "purpose", 0, UINT64_MAX);
  ASSERT_TRUE(ops);
  ASSERT_EQ(ops->size(), 1u);
  EXPECT_EQ(testing::inserted_text((*ops)[0]), "first");
  EXPECT_EQ((*ops)[0].edit_id, "edit-a");
  auto history = db().item_history("r1", "note", "n1");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ(testing::note_text((*history)[0]), "kept");
  EXPECT_EQ(db().rev_of_edit("r1", "purpose", "edit-a")->value_or(0), 1u);
  EXPECT_FALSE(db().rev_of_edit("r1", "purpose", "edit-b")->has_value());
}

TEST_P(StoreContract, WritesToAMissingRoomOrDocumentAreNotFound) {
  write_batch seat;
  seat.put_seat(make_seat("ghost", 1));
  EXPECT_EQ(save(db(), std::move(seat)).code(), error_code::not_found);
  write_batch touch;
  touch.touch_room("ghost", 5);
  EXPECT_EQ(save(db(), std::move(touch)).code(), error_code::not_found);
  write_batch item;
  item.put_item(make_note("ghost", "n1", 1, "x"));
  EXPECT_EQ(save(db(), std::move(item)).code(), error_code::not_found);

  must_save(new_room_batch("r1"));
  write_batch op;
  op.append_op(make_op("r1", "no-such-doc", 1, "x"));
  EXPECT_EQ(save(db(), std::move(op)).code(), error_code::not_found);
  write_batch snapshot;
  snapshot.put_snapshot(snapshot_record{"r1", "no-such-doc", 0, "", ""});
  EXPECT_EQ(save(db(), std::move(snapshot)).code(), error_code::not_found);
  EXPECT_FALSE(*db().room_exists("ghost"));
}

TEST_P(StoreContract, SnapshotsLetLoadSkipHistoryAndHistoryStaysReadable) {
  must_save(new_room_batch("r1"));
  std::string text;
  for (std::uint64_t rev = 1; rev <= 250; ++rev) {
    const std::string piece = numbered("p", rev) + " ";
    text = piece + text;
    write_batch b;
    b.append_op(make_op("r1", "purpose", rev, piece));
    if (snapshot_due(rev, 100)) b.put_snapshot(snapshot_record{"r1", "purpose", rev, text, "a"});
    b.touch_room("r1", static_cast<std::int64_t>(1000 + rev));
    must_save(std::move(b));
  }
  auto image = db().load_room("r1");
  ASSERT_TRUE(image);
  const document_image& doc = image->documents[0];
  ASSERT_TRUE(doc.snapshot);
  EXPECT_EQ(doc.snapshot->rev, 200u);
  ASSERT_EQ(doc.ops.size(), 50u);
  EXPECT_EQ(doc.ops.front().rev, 201u);
  EXPECT_EQ(doc.ops.back().rev, 250u);
  // Replaying the ops after the snapshot gives the current text.
  std::string replayed = doc.snapshot->text;
  for (const op_record& op : doc.ops)
    replayed = testing::inserted_text(op) + replayed;
  EXPECT_EQ(replayed, text);
  EXPECT_EQ(image->room.last_active_ms, 1250);

  auto all = db().read_ops("r1", "purpose", 1, UINT64_MAX);
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 250u);
  for (std::size_t i = 0; i < all->size(); ++i)
    EXPECT_EQ((*all)[i].rev, i + 1);
  auto some = db().read_ops("r1", "purpose", 10, 12);
  ASSERT_TRUE(some);
  EXPECT_EQ(some->size(), 3u);
  EXPECT_EQ(db().snapshot_at_or_before("r1", "purpose", 150)->value().rev, 100u);
  EXPECT_EQ(db().snapshot_at_or_before("r1", "purpose", 200)->value().rev, 200u);
  EXPECT_FALSE(db().snapshot_at_or_before("r1", "purpose", 99)->has_value());
  EXPECT_EQ(db().rev_of_edit("r1", "purpose", "e7")->value_or(0), 7u);

  write_batch ahead;
  ahead.put_snapshot(snapshot_record{"r1", "purpose", 251, "x", ""});
  EXPECT_EQ(save(db(), std::move(ahead)).code(), error_code::conflict);
}

TEST_P(StoreContract, ItemsKeepEveryVersion) {
  write_batch b = new_room_batch("r1");
  b.put_item(make_note("r1", "n1", 1, "we listen first"));
  must_save(std::move(b));
  for (std::uint64_t v = 2; v <= 3; ++v) {
    write_batch edit;
    edit.put_item(make_note("r1", "n1", v, "we listen first, v" + std::to_string(v)));
    must_save(std::move(edit));
  }
  write_batch stale;
  stale.put_item(make_note("r1", "n1", 3, "stale"));
  EXPECT_EQ(save(db(), std::move(stale)).code(), error_code::conflict);

  auto history = db().item_history("r1", "note", "n1");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ(testing::note_text((*history)[0]), "we listen first");
  EXPECT_EQ((*history)[2].version, 3u);
  auto image = db().load_room("r1");
  ASSERT_EQ(image->items.size(), 1u);
  EXPECT_EQ(testing::note_text(image->items[0]), "we listen first, v3");
  EXPECT_TRUE(db().item_history("r1", "note", "none")->empty());
}

TEST_P(StoreContract, ListsRoomsIdleBeforeTheCutoff) {
  const std::int64_t day = 24 * 3600 * 1000;
  must_save(new_room_batch("old", 1 * day));
  must_save(new_room_batch("recent", 50 * day));
  must_save(new_room_batch("revived", 2 * day));
  write_batch touch;
  touch.touch_room("revived", 60 * day);
  touch.touch_room("old", 0);  // never moves activity back
  must_save(std::move(touch));

  // Idle longer than 30 days on day 61.
  auto idle = db().list_rooms_idle_since(61 * day - 30 * day);
  ASSERT_TRUE(idle);
  ASSERT_EQ(idle->size(), 1u);
  EXPECT_EQ((*idle)[0].id, "old");
  EXPECT_EQ((*idle)[0].last_active_ms, 1 * day);
  auto all = db().list_rooms_idle_since(100 * day);
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "old");
  EXPECT_EQ((*all)[1].id, "recent");
  EXPECT_EQ((*all)[2].id, "revived");
}

TEST_P(StoreContract, EraseRoomRemovesEverythingOfThatRoomOnly) {
  for (const char* id : {"gone", "kept"}) {
    write_batch b = new_room_batch(id);
    b.append_op(make_op(id, "purpose", 1, "text"));
    b.put_snapshot(snapshot_record{id, "purpose", 1, "text", ""});
    b.put_item(make_note(id, "n1", 1, "note"));
    b.put_item(make_note(id, "n1", 2, "note v2"));
    must_save(std::move(b));
  }
  ASSERT_TRUE(db().erase_room("gone"));
  EXPECT_FALSE(*db().room_exists("gone"));
  EXPECT_EQ(db().load_room("gone").error().code(), error_code::not_found);
  EXPECT_TRUE(db().read_ops("gone", "purpose", 0, UINT64_MAX)->empty());
  EXPECT_TRUE(db().item_history("gone", "note", "n1")->empty());
  EXPECT_FALSE(db().snapshot_at_or_before("gone", "purpose", 5)->has_value());
  EXPECT_EQ(db().erase_room("gone").code(), error_code::not_found);

  auto kept = db().load_room("kept");
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->documents[0].snapshot->text, "text");
  EXPECT_EQ(db().item_history("kept", "note", "n1")->size(), 2u);
  // The id is free again: a new room may take it.
  must_save(new_room_batch("gone"));
}

// Several threads submit at once; the test's own lock fixes the submission order, which every
// `done` must then follow, and everything acknowledged must be readable.
TEST_P(StoreContract, ConcurrentSubmitsCompleteInSubmissionOrder) {
  constexpr int threads = 6;
  constexpr int per_thread = 60;
  for (int t = 0; t < threads; ++t)
    must_save(new_room_batch("room" + std::to_string(t)));

  std::mutex order_mu;  // held around submit: fixes the submission order
  int next_seq = 0;     // guarded by order_mu
  std::mutex completed_mu;
  std::vector<int> completed;  // guarded by completed_mu
  std::atomic<int> failures{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const std::string room = "room" + std::to_string(t);
      for (int i = 1; i <= per_thread; ++i) {
        write_batch b;
        b.append_op(make_op(room, "purpose", static_cast<std::uint64_t>(i), "x"));
        b.touch_room(room, 2000 + i);
        std::lock_guard lock(order_mu);
        const int seq = next_seq++;
        status s = db().submit(std::move(b), [&, seq](status st) {
          if (!st) ++failures;
          std::lock_guard inner(completed_mu);
          completed.push_back(seq);
        });
        if (!s) ++failures;
      }
    });
  }
  for (auto& w : workers)
    w.join();
  db().close();
  EXPECT_EQ(failures.load(), 0);
  ASSERT_EQ(completed.size(), static_cast<std::size_t>(threads * per_thread));
  for (std::size_t i = 0; i < completed.size(); ++i)
    ASSERT_EQ(completed[i], static_cast<int>(i));
}

// Counts the groups a store reports.
class counting_commit_observer final : public commit_observer {
 public:
  void group_committed(std::chrono::nanoseconds took, std::size_t batches, bool ok) override {
    std::lock_guard lock(mu);
    ++groups;
    this->batches += batches;
    failed += ok ? 0 : 1;
    negative += took.count() < 0 ? 1 : 0;
  }
  std::mutex mu;
  int groups = 0;           // guarded by mu
  std::size_t batches = 0;  // guarded by mu
  int failed = 0;           // guarded by mu
  int negative = 0;         // guarded by mu
};

TEST_P(StoreContract, HealthAndTheCommitObserverFollowEveryGroup) {
  auto fresh = db().health();
  EXPECT_TRUE(fresh.ok);
  EXPECT_EQ(fresh.last_error, "");
  EXPECT_FALSE(fresh.ms_since_commit) << "nothing committed yet";

  counting_commit_observer observer;
  db().set_commit_observer(&observer);
  must_save(new_room_batch("r1"));
  write_batch b;
  b.append_op(make_op("r1", "purpose", 1, "x"));
  must_save(std::move(b));
  {
    std::lock_guard lock(observer.mu);
    // Each save waited for its own durable write: two groups of one batch.
    EXPECT_EQ(observer.groups, 2);
    EXPECT_EQ(observer.batches, 2u);
    EXPECT_EQ(observer.failed, 0);
    EXPECT_EQ(observer.negative, 0);
  }
  auto after = db().health();
  EXPECT_TRUE(after.ok);
  ASSERT_TRUE(after.ms_since_commit);
  EXPECT_GE(*after.ms_since_commit, 0);

  // Once told to forget it, the store never calls the observer again.
  db().set_commit_observer(nullptr);
  write_batch c;
  c.append_op(make_op("r1", "purpose", 2, "y"));
  must_save(std::move(c));
  std::lock_guard lock(observer.mu);
  EXPECT_EQ(observer.groups, 2);
}

TEST(MemoryStore, HealthReportsAFailedCommitUntilTheNextGoodOne) {
  memory_store db;
  counting_commit_observer observer;
  db.set_commit_observer(&observer);
  ASSERT_TRUE(save(db, new_room_batch("r1")));
  db.fail_next_commit(status::io_error("disk full"));
  write_batch lost;
  lost.append_op(make_op("r1", "purpose", 1, "x"));
  EXPECT_FALSE(save(db, std::move(lost)));
  auto failing = db.health();
  EXPECT_FALSE(failing.ok);
  EXPECT_NE(failing.last_error.find("disk full"), std::string::npos) << failing.last_error;
  write_batch next;
  next.append_op(make_op("r1", "purpose", 1, "x"));
  ASSERT_TRUE(save(db, std::move(next)));
  EXPECT_TRUE(db.health().ok);
  EXPECT_EQ(db.health().last_error, "");
  std::lock_guard lock(observer.mu);
  EXPECT_EQ(observer.groups, 3);
  EXPECT_EQ(observer.failed, 1);
  db.set_commit_observer(nullptr);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContract,
                         ::testing::Values(backend{"Sqlite", true}, backend{"Memory", false}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace colead::store
