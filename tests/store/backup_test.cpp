// Online backup, through the store and through `colead-server backup`, while writes continue.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "app/backup_command.hpp"
#include "store/backup.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace colead::store {
namespace {

using testing::make_op;
using testing::new_room_batch;
using testing::save;

int run_command(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  return app::run_backup(static_cast<int>(argv.size()), argv.data());
}

class Backup : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_sqlite(database_path(data_));
    ASSERT_TRUE(opened) << opened.error().to_string();
    db_ = std::move(*opened);
    for (int r = 0; r < 10; ++r) {
      const std::string id = "room" + std::to_string(r);
      write_batch b = new_room_batch(id);
      for (std::uint64_t rev = 1; rev <= 50; ++rev)
        b.append_op(make_op(id, "purpose", rev, "text"));
      ASSERT_TRUE(save(*db_, std::move(b)));
    }
  }

  // Writes to room "busy" from another thread until stop() is called, and counts them.
  void start_writing() {
    ASSERT_TRUE(save(*db_, new_room_batch("busy")));
    writer_ = std::thread([this] {
      for (std::uint64_t rev = 1; !stop_; ++rev) {
        write_batch b;
        b.append_op(make_op("busy", "purpose", rev, "during the backup"));
        if (save(*db_, std::move(b))) ++written_;
      }
    });
    while (written_ < 5)
      std::this_thread::yield();
  }
  std::uint64_t stop_writing() {
    stop_ = true;
    writer_.join();
    return written_;
  }

  // What a restored copy holds: it must open as a store and have the rooms saved before.
  void expect_restorable(const std::filesystem::path& backup_file) {
    const auto restored = folder_ / "restored";
    std::filesystem::create_directories(restored);
    std::filesystem::copy_file(backup_file, database_path(restored));
    auto opened = open_sqlite(database_path(restored));
    ASSERT_TRUE(opened) << opened.error().to_string();
    for (int r = 0; r < 10; ++r) {
      auto ops = (*opened)->read_ops("room" + std::to_string(r), "purpose", 1, UINT64_MAX);
      ASSERT_TRUE(ops);
      EXPECT_EQ(ops->size(), 50u);
    }
    // The busy room is there with a prefix of its edits: the copy is one consistent moment.
    auto busy = (*opened)->read_ops("busy", "purpose", 1, UINT64_MAX);
    ASSERT_TRUE(busy);
    for (std::size_t i = 0; i < busy->size(); ++i)
      EXPECT_EQ((*busy)[i].rev, i + 1);
    EXPECT_GE(busy->size(), 5u);
  }

  testing::temp_folder folder_;
  std::filesystem::path data_ = folder_ / "data";
  std::unique_ptr<store> db_;
  std::thread writer_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> written_{0};
};

TEST_F(Backup, CopyTakenWhileWritingOpensWithTheSameData) {
  start_writing();
  const auto out = folder_ / "colead-backup.db";
  ASSERT_TRUE(db_->backup_to(out));
  const auto at_backup = written_.load();
  while (written_ < at_backup + 5)
    std::this_thread::yield();  // writes carried on
  stop_writing();
  EXPECT_FALSE(std::filesystem::exists(out.string() + ".partial"));
  expect_restorable(out);
}

TEST_F(Backup, ServerBackupCommandCopiesARunningServersData) {
  start_writing();
  const auto out = folder_ / "nightly.db";
  EXPECT_EQ(run_command({"backup", "--data-dir", data_.string(), "--out", out.string()}), 0);
  stop_writing();
  auto report = backup_database(database_path(data_), folder_ / "second.db");
  ASSERT_TRUE(report) << report.error().to_string();
  EXPECT_EQ(report->schema_version, newest_known_schema());
  EXPECT_GT(report->pages, 10u);
  EXPECT_EQ(report->bytes, std::filesystem::file_size(folder_ / "second.db"));
  expect_restorable(out);
}

TEST_F(Backup, RefusesToWriteOverTheDatabaseOrToReadAMissingOne) {
  auto over = backup_database(database_path(data_), database_path(data_));
  EXPECT_EQ(over.error().code(), error_code::invalid_argument);
  auto over_wal = backup_database(database_path(data_), data_ / "colead.db-wal");
  EXPECT_EQ(over_wal.error().code(), error_code::invalid_argument);
  auto missing = backup_database(folder_ / "nowhere" / "colead.db", folder_ / "x.db");
  EXPECT_EQ(missing.error().code(), error_code::not_found);
  EXPECT_NE(missing.error().message().find("--data-dir"), std::string::npos);
  auto no_folder = backup_database(database_path(data_), folder_ / "no" / "such" / "x.db");
  EXPECT_EQ(no_folder.error().code(), error_code::not_found);
  EXPECT_TRUE(*db_->room_exists("room3"));
}

TEST_F(Backup, CommandLineMistakesAreUsageErrors) {
  EXPECT_EQ(run_command({"backup", "--data-dir", data_.string()}), 2);
  EXPECT_EQ(run_command({"backup", "--out", (folder_ / "x.db").string()}), 2);
  EXPECT_EQ(run_command({"backup", "--data-dir"}), 2);
  EXPECT_EQ(run_command({"backup", "--verbose"}), 2);
  EXPECT_EQ(run_command({"backup", "--data-dir", (folder_ / "none").string(), "--out",
                         (folder_ / "x.db").string()}),
            1);
  EXPECT_FALSE(std::filesystem::exists(folder_ / "x.db"));
}

}  // namespace
}  // namespace colead::store
