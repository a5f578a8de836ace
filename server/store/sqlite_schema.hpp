// The versioned schema of colead.db and the migrations that build it, private to the SQLite
// backend.
//
// The table `schema_version` holds one row per migration applied (version, when, what); the
// file's version is its greatest. Migrations are applied in order at open, each in its own
// transaction together with its schema_version row, so a file is always at exactly one
// version. A file whose version is newer than this build's newest is refused, never changed.
//
// Thread safety: functions take the connection they use; call them from one thread.
#pragma once

#ifdef COLEAD_LAYER_ROOM
#error "the room layer saves through room::journal and never sees a store backend"
#endif

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "store/sqlite_db.hpp"
#include "store/status.hpp"

namespace colead::store::detail {

// Identifies a Colead database in the SQLite header (PRAGMA application_id): "Cole".
inline constexpr std::int32_t colead_application_id = 0x436f6c65;

struct migration {
  std::uint32_t version;    // the version the file is at once this migration is applied
  const char* description;  // one line, stored in schema_version
  const char* sql;          // the statements
};

// Every migration this build knows, oldest first; versions are consecutive.
std::span<const migration> colead_migrations();

// The file's schema version: 0 for a file without a schema_version table.
result<std::uint32_t> schema_version(connection& db);

// Checks, without changing anything, that the file is empty or Colead's, and that its
// version is one `migrations` can open or upgrade. `file_name` ("colead.db") names the file
// in messages.
status check_version(connection& db, std::span<const migration> migrations,
                     std::string_view file_name);

// check_version, then applies every migration newer than the file's version. `now_ms` is
// recorded with each.
status migrate(connection& db, std::span<const migration> migrations, std::int64_t now_ms,
               std::string_view file_name);

}  // namespace colead::store::detail
