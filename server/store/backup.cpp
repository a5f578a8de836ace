#include "store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <system_error>
#include <thread>

#include "store/sqlite_db.hpp"
#include "store/sqlite_schema.hpp"

namespace colead::store {
namespace {

namespace fs = std::filesystem;
using detail::connection;

constexpr int busy_timeout_ms = 5000;

status errno_failure(const std::string& what) {
  return status::io_error(what + ": " + std::strerror(errno));
}

// fsync of a file or a folder by path.
status sync_path(const fs::path& path, bool folder) {
  const int fd = ::open(path.c_str(), (folder ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return errno_failure("cannot open " + path.string() + " to sync it");
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  errno = saved;
  return rc == 0 ? status::ok() : errno_failure("cannot sync " + path.string());
}

bool same_file_or_companion(const fs::path& out, const fs::path& db) {
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(out, ec);
  const fs::path b = fs::weakly_canonical(db, ec);
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    if (a == fs::path(b.string() + suffix)) return true;
  }
  return false;
}

// Copies every page of `source` into `dest` in one step, that is within one read
// transaction of the source: one consistent snapshot, which in WAL mode does not hold up
// the writer. SQLITE_BUSY or SQLITE_LOCKED (a writer checkpointing, say) are retried.
status copy_pages(connection& source, connection& dest, std::uint64_t& pages) {
  sqlite3_backup* backup = sqlite3_backup_init(dest.handle(), "main", source.handle(), "main");
  if (backup == nullptr) {
    return detail::sqlite_failure(sqlite3_extended_errcode(dest.handle()), dest.handle(),
                                  "cannot start the backup");
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  int rc;
  for (;;) {
    rc = sqlite3_backup_step(backup, -1);
    const int primary = rc & 0xff;
    if ((primary != SQLITE_BUSY && primary != SQLITE_LOCKED) ||
        std::chrono::steady_clock::now() > deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  pages = static_cast<std::uint64_t>(sqlite3_backup_pagecount(backup));
  const int finish = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return detail::sqlite_failure(rc, source.handle(), "backup");
  if (finish != SQLITE_OK) return detail::sqlite_failure(finish, dest.handle(), "backup");
  return status::ok();
}

result<backup_report> write_partial(const fs::path& db_path, const fs::path& partial) {
  // The copy may hold health data: readable by its owner only, like colead.db.
  const int fd = ::open(partial.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) return errno_failure("cannot create " + partial.string());
  ::close(fd);

  auto source = connection::open(db_path, SQLITE_OPEN_READWRITE, "", busy_timeout_ms);
  if (!source) return source.error();
  if (status s = (*source)->exec_script("PRAGMA query_only = ON", "backup source"); !s) return s;
  auto dest = connection::open(partial, SQLITE_OPEN_READWRITE, "", busy_timeout_ms);
  if (!dest) return dest.error();

  backup_report report;
  if (status s = copy_pages(**source, **dest, report.pages); !s) return s;
  // The copy carries the source's WAL flag; a rollback journal makes it one self-contained
  // file (a server opening it switches it back to WAL).
  if (status s = (*dest)->exec_script("PRAGMA journal_mode = DELETE", "backup copy"); !s) {
    return s;
  }
  if (status s = detail::quick_check(**dest, partial.filename().string()); !s) return s;
  auto version = detail::schema_version(**dest);
  if (!version) return version.error();
  report.schema_version = *version;
  return report;
}

}  // namespace

result<backup_report> backup_database(const fs::path& db_path, const fs::path& out) {
  std::error_code ec;
  if (!fs::is_regular_file(db_path, ec)) {
    return status::not_found("there is no database at " + db_path.string() +
                             " (is --data-dir right?)");
  }
  if (out.empty() || out.filename().empty()) {
    return status::invalid_argument("the backup needs a file name to write to");
  }
  if (same_file_or_companion(out, db_path)) {
    return status::invalid_argument("the backup cannot be written over the database itself (" +
                                    out.string() + ")");
  }
  const fs::path folder = out.has_parent_path() ? out.parent_path() : fs::path(".");
  if (!fs::is_directory(folder, ec)) {
    return status::not_found("the folder " + folder.string() + " does not exist");
  }
  const fs::path partial = out.string() + ".partial";
  fs::remove(partial, ec);  // left over from an interrupted backup

  auto report = write_partial(db_path, partial);
  if (report) {
    status s = sync_path(partial, false);
    if (s && ::rename(partial.c_str(), out.c_str()) != 0) {
      s = errno_failure("cannot rename " + partial.string() + " to " + out.string());
    }
    if (s) s = sync_path(folder, true);
    if (!s) report = s;
  }
  if (!report) {
    fs::remove(partial, ec);
    fs::remove(fs::path(partial.string() + "-journal"), ec);
    return report;
  }
  report->bytes = static_cast<std::uint64_t>(fs::file_size(out, ec));
  return report;
}

}  // namespace colead::store
