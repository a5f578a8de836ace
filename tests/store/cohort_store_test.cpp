// Cohorts in the store, run against every backend: a cohort with its facilitators, rooms and
// versioned items; a room in at most one cohort; erasure taking a room out of its cohort.
// And the SQLite file of the previous schema, upgraded with its data kept.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/memory_store.hpp"
#include "store/sqlite_db.hpp"
#include "store/sqlite_schema.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace colead::store {
namespace {

using testing::digest_of;
using testing::make_note;
using testing::make_op;
using testing::new_room_batch;
using testing::save;

cohort_record make_cohort(std::string id, std::int64_t at_ms = 7000) {
  return cohort_record{std::move(id), "Integrated care leaders 2027", at_ms, "state-bytes"};
}

facilitator_record make_facilitator(std::string cohort_id, std::uint32_t number, std::uint8_t seed,
                                    std::string name = "Morgan") {
  return facilitator_record{std::move(cohort_id), number, digest_of(seed), std::move(name)};
}

cohort_item_record make_cohort_item(std::string cohort_id, std::string kind, std::string id,
                                    std::uint64_t version, std::string payload) {
  return cohort_item_record{std::move(cohort_id),
                            std::move(kind),
                            std::move(id),
                            version,
                            static_cast<std::int64_t>(9000 + version),
                            std::move(payload)};
}

// Two rooms and a cohort holding both, with two facilitators.
write_batch new_cohort_batch(const std::string& cohort_id = "c1") {
  write_batch b = new_room_batch("r1");
  b.put_room(testing::make_room("r2"));
  b.put_seat(testing::make_seat("r2", 1));
  b.put_cohort(make_cohort(cohort_id));
  b.put_facilitator(make_facilitator(cohort_id, 1, 1, "Morgan"));
  b.put_facilitator(make_facilitator(cohort_id, 2, 2, "Priya"));
  b.put_cohort_room(cohort_room_record{cohort_id, "r2", 0});
  b.put_cohort_room(cohort_room_record{cohort_id, "r1", 1});
  return b;
}

struct backend {
  const char* name;
  bool sqlite;
};

class CohortStore : public ::testing::TestWithParam<backend> {
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

  void must_save(write_batch batch) {
    status s = save(db(), std::move(batch));
    ASSERT_TRUE(s) << s.to_string();
  }

  testing::temp_folder folder_;
  std::unique_ptr<store> store_;
};

TEST_P(CohortStore, LoadCohortReturnsWhatWasSaved) {
  write_batch b = new_cohort_batch();
  b.put_cohort_item(make_cohort_item("c1", "raised", "i2", 1, "second raised, written first"));
  b.put_cohort_item(make_cohort_item("c1", "raised", "i1", 1, "first raised"));
  b.put_cohort_item(make_cohort_item("c1", "answer", "a1", 1, "we did"));
  b.put_cohort_item(make_cohort_item("c1", "proposal", "p1.r2", 1, "proposal for r2"));
  must_save(std::move(b));

  auto image = db().load_cohort("c1");
  ASSERT_TRUE(image) << image.error().to_string();
  EXPECT_EQ(image->cohort, make_cohort("c1"));
  ASSERT_EQ(image->facilitators.size(), 2u);
  EXPECT_EQ(image->facilitators[0], make_facilitator("c1", 1, 1, "Morgan"));
  EXPECT_EQ(image->facilitators[1], make_facilitator("c1", 2, 2, "Priya"));
  ASSERT_EQ(image->rooms.size(), 2u);
  EXPECT_EQ(image->rooms[0], (cohort_room_record{"c1", "r2", 0}));
  EXPECT_EQ(image->rooms[1], (cohort_room_record{"c1", "r1", 1}));
  // By kind, then in the order items were first written.
  ASSERT_EQ(image->items.size(), 4u);
  EXPECT_EQ(image->items[0].kind, "answer");
  EXPECT_EQ(image->items[1].item_id, "p1.r2");
  EXPECT_EQ(image->items[2].item_id, "i2");
  EXPECT_EQ(image->items[3], make_cohort_item("c1", "raised", "i1", 1, "first raised"));

  EXPECT_EQ(*db().cohort_of_room("r1"), std::optional<std::string>("c1"));
  EXPECT_EQ(*db().cohort_of_room("r2"), std::optional<std::string>("c1"));
  EXPECT_EQ(*db().cohort_of_room("elsewhere"), std::nullopt);

  auto missing = db().load_cohort("nope");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), error_code::not_found);
}

TEST_P(CohortStore, PutCohortKeepsCreationTimeAndTakesTheRest) {
  must_save(new_cohort_batch());
  write_batch again;
  cohort_record changed = make_cohort("c1", 1);
  changed.title = "Renamed programme";
  changed.state = "new-state";
  again.put_cohort(changed);
  must_save(std::move(again));
  auto image = db().load_cohort("c1");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->cohort.title, "Renamed programme");
  EXPECT_EQ(image->cohort.state, "new-state");
  EXPECT_EQ(image->cohort.created_at_ms, 7000);
}

TEST_P(CohortStore, ARoomIsInOneCohortOnlyAndARefusedBatchSavesNothing) {
  must_save(new_cohort_batch("c1"));
  write_batch other;
  other.put_room(testing::make_room("r3"));
  other.put_cohort(make_cohort("c2"));
  other.put_cohort_room(cohort_room_record{"c2", "r3", 0});
  other.put_cohort_room(cohort_room_record{"c2", "r1", 1});
  status s = save(db(), std::move(other));
  EXPECT_EQ(s.code(), error_code::already_exists) << s.to_string();
  EXPECT_NE(s.message().find("the room is in cohort c1"), std::string::npos) << s.message();
  EXPECT_EQ(db().load_cohort("c2").error().code(), error_code::not_found);
  EXPECT_FALSE(*db().room_exists("r3"));
  EXPECT_EQ(*db().cohort_of_room("r3"), std::nullopt);
  EXPECT_EQ(*db().cohort_of_room("r1"), std::optional<std::string>("c1"));

  // In its own cohort again: it moves.
  write_batch move;
  move.put_cohort_room(cohort_room_record{"c1", "r1", -1});
  must_save(std::move(move));
  auto image = db().load_cohort("c1");
  ASSERT_TRUE(image);
  ASSERT_EQ(image->rooms.size(), 2u);
  EXPECT_EQ(image->rooms[0].room_id, "r1");
}

TEST_P(CohortStore, CohortMutationsNeedTheirCohortAndRoom) {
  must_save(new_cohort_batch());
  write_batch no_cohort;
  no_cohort.put_facilitator(make_facilitator("c9", 1, 9));
  status s = save(db(), std::move(no_cohort));
  EXPECT_EQ(s.code(), error_code::not_found) << s.to_string();
  EXPECT_NE(s.message().find("the cohort does not exist"), std::string::npos) << s.message();

  write_batch no_room;
  no_room.put_cohort_room(cohort_room_record{"c1", "r9", 3});
  s = save(db(), std::move(no_room));
  EXPECT_EQ(s.code(), error_code::not_found) << s.to_string();
  EXPECT_NE(s.message().find("the room does not exist"), std::string::npos) << s.message();

  write_batch room_no_cohort;
  room_no_cohort.put_cohort_room(cohort_room_record{"c9", "r1", 3});
  EXPECT_EQ(save(db(), std::move(room_no_cohort)).code(), error_code::not_found);

  write_batch item_no_cohort;
  item_no_cohort.put_cohort_item(make_cohort_item("c9", "raised", "i1", 1, "x"));
  EXPECT_EQ(save(db(), std::move(item_no_cohort)).code(), error_code::not_found);

  auto image = db().load_cohort("c1");
  ASSERT_TRUE(image);
  EXPECT_EQ(image->rooms.size(), 2u);
  EXPECT_EQ(db().load_cohort("c9").error().code(), error_code::not_found);
}

TEST_P(CohortStore, MalformedCohortMutationsAreRefusedAtSubmit) {
  bool called = false;
  auto refused = [&](write_batch b, std::string_view expected) {
    status s = db().submit(std::move(b), [&](status) { called = true; });
    EXPECT_EQ(s.code(), error_code::invalid_argument) << s.to_string();
    EXPECT_NE(s.message().find(expected), std::string::npos) << s.message();
  };
  write_batch bad_cohort;
  bad_cohort.put_cohort(make_cohort("../c1"));
  refused(std::move(bad_cohort), "cohort id is not a valid id");

  write_batch facilitator_zero;
  facilitator_zero.put_facilitator(make_facilitator("c1", 0, 1));
  refused(std::move(facilitator_zero), "facilitator numbers start at 1");

  write_batch bad_room;
  bad_room.put_cohort_room(cohort_room_record{"c1", "r 1", 0});
  refused(std::move(bad_room), "room id is not a valid id");

  for (const char* id : {"", "a.b.c", ".a", "a.", "a..b", "a/b"}) {
    write_batch bad_item;
    bad_item.put_cohort_item(make_cohort_item("c1", "proposal", id, 1, ""));
    refused(std::move(bad_item), "proposal id is not valid");
  }
  write_batch bad_kind;
  bad_kind.put_cohort_item(make_cohort_item("c1", "Raised", "i1", 1, ""));
  refused(std::move(bad_kind), "cohort item kind is not valid");

  db().close();
  EXPECT_FALSE(called);
}

TEST_P(CohortStore, CohortItemsAreVersionedAndNeverOverwritten) {
  must_save(new_cohort_batch());
  write_batch v1;
  v1.put_cohort_item(make_cohort_item("c1", "group", "i1", 1, "workforce"));
  must_save(std::move(v1));
  write_batch v2;
  v2.put_cohort_item(make_cohort_item("c1", "group", "i1", 2, "workforce and rotas"));
  must_save(std::move(v2));

  write_batch stale;
  stale.put_cohort_item(make_cohort_item("c1", "group", "i1", 2, "lost"));
  status s = save(db(), std::move(stale));
  EXPECT_EQ(s.code(), error_code::conflict) << s.to_string();
  EXPECT_NE(s.message().find("version 2 is already stored"), std::string::npos) << s.message();

  auto image = db().load_cohort("c1");
  ASSERT_TRUE(image);
  ASSERT_EQ(image->items.size(), 1u);
  EXPECT_EQ(image->items[0], make_cohort_item("c1", "group", "i1", 2, "workforce and rotas"));
}

TEST_P(CohortStore, ARotatedFacilitatorTokenReplacesTheOldOne) {
  must_save(new_cohort_batch());
  write_batch rotate;
  rotate.put_facilitator(make_facilitator("c1", 1, 77, "Morgan"));
  must_save(std::move(rotate));
  auto image = db().load_cohort("c1");
  ASSERT_TRUE(image);
  ASSERT_EQ(image->facilitators.size(), 2u);
  EXPECT_EQ(image->facilitators[0].token_hash, digest_of(77));
  EXPECT_NE(image->facilitators[0].token_hash, digest_of(1));

  // Two facilitators of one cohort never share a token.
  write_batch same;
  same.put_facilitator(make_facilitator("c1", 3, 2, "Sam"));
  status s = save(db(), std::move(same));
  EXPECT_EQ(s.code(), error_code::already_exists) << s.to_string();
  EXPECT_EQ(db().load_cohort("c1")->facilitators.size(), 2u);
}

TEST_P(CohortStore, ARoomWritesACohortItemInItsOwnBatch) {
  must_save(new_cohort_batch());
  write_batch change;
  change.put_item(make_note("r1", "n1", 1, "we raised staffing"));
  change.put_cohort_item(make_cohort_item("c1", "raised", "i1", 1, "staffing"));
  change.touch_room("r1", 8000);
  must_save(std::move(change));
  EXPECT_EQ(db().load_room("r1")->items.size(), 1u);
  EXPECT_EQ(db().load_cohort("c1")->items.size(), 1u);

  // Either half refused: neither saved.
  write_batch half;
  half.put_item(make_note("r1", "n2", 1, "not kept"));
  half.put_cohort_item(make_cohort_item("c1", "raised", "i1", 1, "stale version"));
  EXPECT_EQ(save(db(), std::move(half)).code(), error_code::conflict);
  EXPECT_EQ(db().load_room("r1")->items.size(), 1u);
}

TEST_P(CohortStore, ErasingARoomTakesItOutOfItsCohort) {
  write_batch b = new_cohort_batch();
  b.append_op(make_op("r1", "purpose", 1, "shared purpose"));
  must_save(std::move(b));
  ASSERT_TRUE(db().erase_room("r1"));
  EXPECT_EQ(*db().cohort_of_room("r1"), std::nullopt);
  auto image = db().load_cohort("c1");
  ASSERT_TRUE(image);
  ASSERT_EQ(image->rooms.size(), 1u);
  EXPECT_EQ(image->rooms[0].room_id, "r2");

  // A new room of that id starts outside any cohort and can join another.
  write_batch again = new_room_batch("r1");
  again.put_cohort(make_cohort("c2"));
  again.put_cohort_room(cohort_room_record{"c2", "r1", 0});
  must_save(std::move(again));
  EXPECT_EQ(*db().cohort_of_room("r1"), std::optional<std::string>("c2"));
}

TEST_P(CohortStore, AppendedBatchesSaveAsOne) {
  write_batch rooms = new_room_batch("r1");
  write_batch cohort;
  cohort.put_cohort(make_cohort("c1"));
  cohort.put_cohort_room(cohort_room_record{"c1", "r1", 0});
  const std::size_t bytes = rooms.byte_size() + cohort.byte_size();
  rooms.append(std::move(cohort));
  EXPECT_EQ(rooms.size(), 4u + 2u);
  EXPECT_EQ(rooms.byte_size(), bytes);
  EXPECT_TRUE(std::holds_alternative<cohort_room_record>(rooms.mutations().back()));
  must_save(std::move(rooms));
  EXPECT_EQ(*db().cohort_of_room("r1"), std::optional<std::string>("c1"));
}

INSTANTIATE_TEST_SUITE_P(Backends, CohortStore,
                         ::testing::Values(backend{"Sqlite", true}, backend{"Memory", false}),
                         [](const auto& info) { return std::string(info.param.name); });

// A database written by the real server at schema 1 (tests/fixtures/upgrade) opens at the
// newest schema with every room kept, and takes cohorts.
TEST(CohortMigration, AFileOfSchemaOneKeepsItsRoomsAndTakesCohorts) {
  testing::temp_folder folder;
  const auto fixture = std::filesystem::path(COLEAD_SOURCE_DIR) / "tests/fixtures/upgrade";
  const auto path = folder / "colead.db";
  std::filesystem::copy_file(fixture / "colead.db", path);
  {
    auto raw = detail::connection::open(path, SQLITE_OPEN_READWRITE, "", 1000);
    ASSERT_TRUE(raw);
    ASSERT_EQ(*detail::schema_version(**raw), 1u) << "the fixture is of schema 1";
  }
  std::vector<std::string> room_ids;
  {
    std::ifstream rooms(fixture / "rooms.txt");
    std::string line;
    while (std::getline(rooms, line)) {
      if (!line.empty()) room_ids.push_back(line.substr(0, line.find(' ')));
    }
  }
  ASSERT_FALSE(room_ids.empty());

  auto opened = open_sqlite(path);
  ASSERT_TRUE(opened) << opened.error().to_string();
  store& db = **opened;
  for (const std::string& id : room_ids) {
    auto image = db.load_room(id);
    ASSERT_TRUE(image) << id << ": " << image.error().to_string();
    EXPECT_FALSE(image->seats.empty()) << id;
    EXPECT_FALSE(image->documents.empty()) << id;
    EXPECT_EQ(*db.cohort_of_room(id), std::nullopt);
  }
  write_batch cohort;
  cohort.put_cohort(make_cohort("c1"));
  cohort.put_facilitator(make_facilitator("c1", 1, 1));
  cohort.put_cohort_room(cohort_room_record{"c1", room_ids[0], 0});
  ASSERT_TRUE(save(db, std::move(cohort)));
  EXPECT_EQ(*db.cohort_of_room(room_ids[0]), std::optional<std::string>("c1"));
  db.close();

  auto raw = detail::connection::open(path, SQLITE_OPEN_READWRITE, "", 1000);
  ASSERT_TRUE(raw);
  EXPECT_EQ(*detail::schema_version(**raw), newest_known_schema());
  EXPECT_EQ(*(*raw)->pragma_value("SELECT count(*) FROM schema_version"),
            std::to_string(newest_known_schema()));
}

}  // namespace
}  // namespace colead::store
