// A journal over an in-memory store, and a room loaded back from that store, for room tests
// of what survives a restart.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "room/journal.hpp"
#include "room/learning_record.hpp"
#include "room/room.hpp"
#include "room/room_records.hpp"
#include "store/memory_store.hpp"

namespace colead::room::testing {

// A journal over an in-memory store whose commits wait, as on a server, until the test makes
// them durable. `store` must outlive the journal.
class store_journal final : public journal {
 public:
  explicit store_journal(store::memory_store& store) : store_(store) { store_.hold_commits(true); }

  void save(store::write_batch batch, std::function<void(store::status)> then) override {
    const store::status queued = store_.submit(std::move(batch), then);
    ASSERT_TRUE(queued) << queued.message();
  }

  // Makes every write so far durable, including writes made while completing.
  void commit_all() {
    while (store_.commit_pending() > 0) {
    }
  }

 private:
  store::memory_store& store_;
};

// Loads `room_id` from the store, as a server does at its first join after a restart.
inline std::unique_ptr<room> load(store::memory_store& store, const std::string& room_id,
                                  const clock& clock, journal& journal) {
  auto image = store.load_room(room_id);
  EXPECT_TRUE(image) << image.error().message();
  room_model model;
  std::string error;
  EXPECT_TRUE(model_from_image(image.value(), {}, model, error)) << error;
  return std::make_unique<room>(std::move(model), clock, journal, room_options{});
}

// The learning record of `room_id`, built from what the store holds, as seat m1 reads it.
inline v1::RoomExport learning_record(store::memory_store& store, const std::string& room_id,
                                      const clock& clock) {
  v1::RoomExport out;
  std::string error;
  EXPECT_TRUE(build_learning_record(store.load_room(room_id).value(), {}, "m1", clock.wall_ms(),
                                    out, error))
      << error;
  return out;
}

}  // namespace colead::room::testing
