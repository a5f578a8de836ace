// Thin RAII wrappers over the SQLite C API, private to the SQLite backend.
//
// A `connection` owns one sqlite3 handle and a cache of prepared statements; `query` is one
// cached statement in use, reset (and its bindings cleared) when it goes out of scope, so a
// read never leaves a transaction open by accident.
//
// Thread safety: a connection is used by one thread at a time (the writer thread, or the
// reader that leased it from the pool); SQLite is opened in multi-thread mode.
#pragma once

#ifdef COLEAD_LAYER_ROOM
#error "the room layer saves through room::journal and never sees a store backend"
#endif

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "store/status.hpp"

namespace colead::store::detail {

// "SQLITE_FULL", "SQLITE_IOERR", ... for the primary code of `rc`.
std::string_view sqlite_code_name(int rc);

// The status for a failed SQLite call: corruption for SQLITE_CORRUPT and SQLITE_NOTADB,
// io_error otherwise. The message reads "<context>: <sqlite message> (SQLITE_X)".
status sqlite_failure(int rc, sqlite3* db, std::string_view context);

// One prepared statement in use. Binding errors are remembered and returned by step().
class query {
 public:
  explicit query(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~query();
  query(query&& other) noexcept;
  query(const query&) = delete;
  query& operator=(const query&) = delete;
  query& operator=(query&&) = delete;

  // Parameters are 1-based, as in SQL's ?1.
  query& bind_text(int index, std::string_view text);
  query& bind_blob(int index, std::string_view bytes);
  query& bind_int(int index, std::int64_t value);

  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  // Steps until SQLITE_DONE; returns SQLITE_DONE or the error.
  int run();

  // Columns of the current row, 0-based.
  std::string column_text(int index) const;
  std::string column_blob(int index) const;
  std::int64_t column_int(int index) const;
  bool column_is_null(int index) const;

 private:
  sqlite3_stmt* stmt_;
  int bind_error_ = SQLITE_OK;
};

class connection {
 public:
  // Opens `path` with `flags` (SQLITE_OPEN_*; multi-thread mode is added) through `vfs`
  // (empty: the default) and sets the busy timeout.
  static result<std::unique_ptr<connection>> open(const std::filesystem::path& path, int flags,
                                                  const std::string& vfs, int busy_timeout_ms);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  sqlite3* handle() const { return db_; }

  // A cached statement for `sql`, which must be a string literal (the cache is keyed by its
  // address) holding exactly one statement.
  result<query> prepare(const char* sql);

  // Prepares (cached) and runs one statement that returns no rows the caller needs.
  status run(const char* sql, std::string_view context);

  // Runs a script of several statements, uncached (migrations, pragmas).
  status exec_script(const std::string& sql, std::string_view context);

  // Runs a pragma that returns one value and gives it back as text ("wal", "2", ...).
  result<std::string> pragma_value(const char* sql);

  // True inside an explicit transaction.
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

 private:
  explicit connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

// Runs PRAGMA quick_check. A damaged file gives corruption: "<file_name> is damaged
// (quick_check: ...); restore the latest backup (see docs/operations.md)".
status quick_check(connection& db, std::string_view file_name);

}  // namespace colead::store::detail
