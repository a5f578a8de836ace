// `colead-server backup`: a consistent online copy of a server's database, taken while it runs.
//
//   colead-server backup --data-dir DIR --out FILE
//
// Copies DIR/colead.db to FILE with the SQLite backup API (colead::store::backup_database):
// one consistent snapshot, checked with quick_check, fsynced, then renamed into place, so
// FILE is either untouched or a complete backup. docs/operations.md tells how to restore it.
// It is part of the server because it opens the server's database; the `colead` client
// speaks to a server over the network only.
#pragma once

namespace colead::app {

// Runs the subcommand. argv[0] is the subcommand's name ("backup"); the options follow.
// Prints a summary line on stdout, or the reason on stderr. Returns 0 on success, 1 when the
// backup failed, 2 for a usage error.
int run_backup(int argc, char** argv);

}  // namespace colead::app
