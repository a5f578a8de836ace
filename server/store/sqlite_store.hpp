// The SQLite backend of the store: one database file, colead.db, in the data folder.
//
// Design. One writer connection owned by one writer thread commits queued batches in groups
// (one transaction, one fsync for many rooms). A small pool of read connections serves
// reads; in WAL mode they never block the writer nor wait for it. Settings that durability
// rests on are set and then read back at open, and open refuses to run without them:
//   journal_mode=WAL, synchronous=FULL (fsync of the WAL at every commit), foreign_keys=ON,
//   secure_delete=ON (deleted content is zeroed).
// Open also checks the file (PRAGMA quick_check) and the schema version, then applies the
// versioned migrations this build knows, each in its own transaction.
//
// Thread safety: as store (store.hpp).
#pragma once

#ifdef COLEAD_LAYER_ROOM
#error "the room layer saves through room::journal and never sees a store backend"
#endif

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "store/status.hpp"
#include "store/store.hpp"

namespace colead::store {

struct sqlite_options {
  // Read connections in the pool (at least 1). Reads beyond this wait for a free one.
  unsigned read_connections = 4;
  // Batches (and their bytes) the write queue holds before submit answers `busy`.
  std::size_t max_queued_batches = 4096;
  std::size_t max_queued_bytes = std::size_t{64} << 20;
  // Most batches saved in one transaction. Bounds the latency one group adds to the next.
  std::size_t max_group_batches = 512;
  // How long a connection waits for a lock another process holds (sqlite3_busy_timeout).
  int busy_timeout_ms = 5000;
  // Recommended snapshot interval handed to the room (store::snapshot_every).
  std::uint32_t snapshot_every = 100;
  // The WAL is truncated back to this size after a checkpoint (PRAGMA journal_size_limit).
  std::int64_t wal_size_limit_bytes = std::int64_t{64} << 20;
  // Pages the WAL may gather before a commit copies them into colead.db (PRAGMA
  // wal_autocheckpoint; SQLite's default is 1,000). A checkpoint writes each page once however
  // many commits changed it, and fsyncs colead.db while the next commits wait, so with many
  // rooms editing, rarer checkpoints write less and keep acknowledgements quick.
  int wal_checkpoint_pages = 10'000;
  // The most memory the writer's page cache may take (PRAGMA cache_size): the more of the
  // pages that rooms' edits go to stay in memory, the fewer a commit reads back from the file
  // first. Pages are kept once read, so this much memory stays taken.
  std::int64_t writer_cache_bytes = std::int64_t{8} << 20;
  // SQLite VFS name; empty for the default. Tests name a fault-injecting VFS here.
  std::string vfs;
};

// The database file of a data folder: <data_dir>/colead.db.
std::filesystem::path database_path(const std::filesystem::path& data_dir);

// The schema versions this build can open, oldest to newest (migrations go up to the
// newest; a file with a newer version is refused).
std::uint32_t oldest_known_schema();
std::uint32_t newest_known_schema();

// Opens (creating if missing, with its folder, readable by the owner only) the database at
// `path` and starts its writer. Fails with:
//  - corruption: "colead.db is damaged (quick_check: ...); restore the latest backup (see
//    docs/operations.md)";
//  - incompatible: "colead.db was written by a newer Colead (schema 7; this build knows
//    1..3); upgrade Colead or restore a backup", or a file that is not Colead's;
//  - io_error: the file cannot be opened, or a durability setting does not hold.
result<std::unique_ptr<store>> open_sqlite(const std::filesystem::path& path,
                                           const sqlite_options& options = {});

}  // namespace colead::store
