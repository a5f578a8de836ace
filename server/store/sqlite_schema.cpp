#include "store/sqlite_schema.hpp"

#include <array>
#include <cstdio>

namespace colead::store::detail {
namespace {

// Version 1: rooms, seats, documents with their ops and snapshots, and versioned items.
// Content (titles, names, text, payloads) lives only in table rows, never in an index, so
// secure_delete zeroes all of it when a room is erased; indexes hold ids and numbers only.
constexpr const char* schema_v1 = R"sql(
CREATE TABLE rooms (
  id TEXT NOT NULL PRIMARY KEY,
  title TEXT NOT NULL,
  seats INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 64),
  created_at_ms INTEGER NOT NULL,
  last_active_ms INTEGER NOT NULL,
  settings BLOB NOT NULL,
  state BLOB NOT NULL
) STRICT;
CREATE INDEX rooms_by_last_active ON rooms (last_active_ms);

CREATE TABLE seats (
  room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  seat INTEGER NOT NULL CHECK (seat >= 1),
  token_hash BLOB NOT NULL CHECK (length(token_hash) = 32),
  member_id TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  joined INTEGER NOT NULL CHECK (joined IN (0, 1)),
  PRIMARY KEY (room_id, seat),
  UNIQUE (room_id, token_hash)
) STRICT;

CREATE TABLE documents (
  room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  doc_id TEXT NOT NULL,
  title TEXT NOT NULL,
  position INTEGER NOT NULL,
  removed INTEGER NOT NULL CHECK (removed IN (0, 1)),
  meta BLOB NOT NULL,
  PRIMARY KEY (room_id, doc_id)
) STRICT;

CREATE TABLE ops (
  room_id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  rev INTEGER NOT NULL CHECK (rev >= 1),
  author TEXT NOT NULL,
  edit_id TEXT NOT NULL CHECK (edit_id <> ''),
  at_ms INTEGER NOT NULL,
  op BLOB NOT NULL,
  PRIMARY KEY (room_id, doc_id, rev),
  UNIQUE (room_id, doc_id, edit_id),
  FOREIGN KEY (room_id, doc_id) REFERENCES documents (room_id, doc_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE snapshots (
  room_id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  rev INTEGER NOT NULL CHECK (rev >= 0),
  text TEXT NOT NULL,
  authorship BLOB NOT NULL,
  PRIMARY KEY (room_id, doc_id, rev),
  FOREIGN KEY (room_id, doc_id) REFERENCES documents (room_id, doc_id) ON DELETE CASCADE
) STRICT;

CREATE TABLE items (
  room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  item_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (room_id, kind, item_id)
) STRICT;

CREATE TABLE item_history (
  room_id TEXT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  item_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (room_id, kind, item_id, version)
) STRICT;
)sql";

// Version 2: cohorts of rooms, their facilitators and their versioned items. A room is in at
// most one cohort (cohort_rooms is keyed by the room) and leaves it when it is erased.
constexpr const char* schema_v2 = R"sql(
CREATE TABLE cohorts (
  id TEXT NOT NULL PRIMARY KEY,
  title TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  state BLOB NOT NULL
) STRICT;

CREATE TABLE facilitators (
  cohort_id TEXT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  number INTEGER NOT NULL CHECK (number >= 1),
  token_hash BLOB NOT NULL CHECK (length(token_hash) = 32),
  name TEXT NOT NULL,
  PRIMARY KEY (cohort_id, number),
  UNIQUE (cohort_id, token_hash)
) STRICT;

CREATE TABLE cohort_rooms (
  room_id TEXT NOT NULL PRIMARY KEY REFERENCES rooms (id) ON DELETE CASCADE,
  cohort_id TEXT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  position INTEGER NOT NULL
) STRICT;
CREATE INDEX cohort_rooms_by_cohort ON cohort_rooms (cohort_id, position);

CREATE TABLE cohort_items (
  cohort_id TEXT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  item_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (cohort_id, kind, item_id)
) STRICT;

CREATE TABLE cohort_item_history (
  cohort_id TEXT NOT NULL REFERENCES cohorts (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  item_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  at_ms INTEGER NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (cohort_id, kind, item_id, version)
) STRICT;
)sql";

constexpr std::array<migration, 2> all_migrations{{
    {1, "rooms, seats, documents, ops, snapshots, items", schema_v1},
    {2, "cohorts, facilitators, cohort rooms, cohort items", schema_v2},
}};

constexpr const char* create_schema_version = R"sql(
CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER NOT NULL PRIMARY KEY,
  applied_at_ms INTEGER NOT NULL,
  description TEXT NOT NULL
) STRICT;
)sql";

result<std::int64_t> int_pragma(connection& db, const char* sql) {
  auto value = db.pragma_value(sql);
  if (!value) return value.error();
  return static_cast<std::int64_t>(std::stoll(value->empty() ? "0" : *value));
}

}  // namespace

std::span<const migration> colead_migrations() {
  return all_migrations;
}

result<std::uint32_t> schema_version(connection& db) {
  auto has_table = db.pragma_value(
      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'");
  if (!has_table) return has_table.error();
  if (*has_table == "0") return std::uint32_t{0};
  auto version = db.pragma_value("SELECT coalesce(max(version), 0) FROM schema_version");
  if (!version) return version.error();
  return static_cast<std::uint32_t>(std::stoul(*version));
}

status check_version(connection& db, std::span<const migration> migrations,
                     std::string_view file_name) {
  const std::string name(file_name);
  auto app_id = int_pragma(db, "PRAGMA application_id");
  if (!app_id) return app_id.error();
  if (*app_id != 0 && *app_id != colead_application_id) {
    char hex[24];
    std::snprintf(hex, sizeof hex, "%08llx",
                  static_cast<unsigned long long>(static_cast<std::uint32_t>(*app_id)));
    return status::incompatible(name + " is not a Colead database (application id 0x" + hex +
                                "); check --data-dir");
  }
  auto current = schema_version(db);
  if (!current) return current.error();
  if (*current == 0) {
    auto objects = int_pragma(db, "SELECT count(*) FROM sqlite_schema");
    if (!objects) return objects.error();
    if (*objects != 0) {
      return status::incompatible(name +
                                  " is not a Colead database (it has tables but no "
                                  "schema_version); check --data-dir");
    }
  }
  if (migrations.empty()) return status::ok();
  const std::uint32_t oldest = migrations.front().version;
  const std::uint32_t newest = migrations.back().version;
  const std::string known = std::to_string(oldest) + ".." + std::to_string(newest);
  if (*current > newest) {
    return status::incompatible(name + " was written by a newer Colead (schema " +
                                std::to_string(*current) + "; this build knows " + known +
                                "); upgrade Colead or restore a backup");
  }
  if (*current != 0 && *current + 1 < oldest) {
    return status::incompatible(name +
                                " was written by a Colead too old for this build to "
                                "upgrade (schema " +
                                std::to_string(*current) + "; this build knows " + known +
                                "); upgrade through an intermediate release first");
  }
  return status::ok();
}

status migrate(connection& db, std::span<const migration> migrations, std::int64_t now_ms,
               std::string_view file_name) {
  if (status s = check_version(db, migrations, file_name); !s) return s;
  if (migrations.empty()) return status::ok();
  auto current = schema_version(db);
  if (!current) return current.error();
  const std::uint32_t oldest = migrations.front().version;
  for (const migration& m : migrations) {
    if (m.version <= *current) continue;
    const std::string context = "migration to schema " + std::to_string(m.version);
    if (status s = db.exec_script("BEGIN IMMEDIATE", context); !s) return s;
    status s = db.exec_script(create_schema_version, context);
    if (s && *current == 0 && m.version == oldest) {
      s = db.exec_script("PRAGMA application_id = " + std::to_string(colead_application_id),
                         context);
    }
    if (s) s = db.exec_script(m.sql, context);
    if (s) {
      auto q = db.prepare(
          "INSERT INTO schema_version (version, applied_at_ms, description) VALUES (?1, ?2, ?3)");
      if (!q) {
        s = q.error();
      } else {
        q->bind_int(1, m.version).bind_int(2, now_ms).bind_text(3, m.description);
        const int rc = q->run();
        if (rc != SQLITE_DONE) s = sqlite_failure(rc, db.handle(), context);
      }
    }
    if (s) s = db.exec_script("COMMIT", context);
    if (!s) {
      if (db.in_transaction()) db.exec_script("ROLLBACK", context);
      return s;
    }
  }
  return status::ok();
}

}  // namespace colead::store::detail
