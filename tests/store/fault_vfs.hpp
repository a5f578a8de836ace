// A SQLite VFS for tests, "colead-fault": the default VFS with two controls, so tests can
// make a commit fail the way a failing or full disk does, and hold a commit in its fsync.
//
// Thread safety: the controls may be set from any thread; they apply to every connection
// opened through the VFS.
#pragma once

#include <functional>

namespace colead::store::testing {

// Registers the VFS (once) and returns its name, for sqlite_options::vfs.
const char* fault_vfs_name();

// Writes to write-ahead-log files fail with `code` (SQLITE_IOERR_WRITE, SQLITE_FULL) until
// called again with 0.
void fail_wal_writes(int code);

// Every xSync calls `hook` first (nullptr: none). The hook may block.
void on_sync(std::function<void()> hook);

}  // namespace colead::store::testing
