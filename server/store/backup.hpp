// Online backup of a Colead database with the SQLite backup API.
//
// The copy is one consistent snapshot of the database, taken through its own read
// connection while a server keeps writing (WAL readers do not block the writer). It is
// written to "<out>.partial", checked (PRAGMA quick_check), made durable (fsync), and only
// then renamed to `out`, so `out` is either the previous file or a complete backup.
//
// Thread safety: free function; safe to call from any thread, also while a store on the
// same file is open in this or another process.
#pragma once

#ifdef COLEAD_LAYER_ROOM
#error "the room layer saves through room::journal and never sees a store backend"
#endif

#include <cstdint>
#include <filesystem>

#include "store/status.hpp"

namespace colead::store {

struct backup_report {
  std::uint64_t pages = 0;           // pages copied
  std::uint64_t bytes = 0;           // size of the backup file
  std::uint32_t schema_version = 0;  // schema of the copy (0 when it has none)
};

// Copies the database at `db_path` (which must exist; it is never created or changed) to
// `out`. Refuses to write over the database itself or its -wal/-shm files.
result<backup_report> backup_database(const std::filesystem::path& db_path,
                                      const std::filesystem::path& out);

}  // namespace colead::store
