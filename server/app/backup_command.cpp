#include "app/backup_command.hpp"

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>

#include "store/backup.hpp"
#include "store/sqlite_store.hpp"

namespace colead::app {
namespace {

constexpr const char* usage =
    "usage: colead-server backup --data-dir DIR --out FILE\n"
    "  Copies DIR/colead.db to FILE while the server keeps running: one consistent\n"
    "  snapshot, checked and synced before it replaces FILE. See docs/operations.md.\n";

int usage_error(const std::string& why) {
  std::fprintf(stderr, "colead-server backup: %s\n%s", why.c_str(), usage);
  return 2;
}

}  // namespace

int run_backup(int argc, char** argv) {
  std::string data_dir;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(usage, stdout);
      return 0;
    }
    std::string* target = arg == "--data-dir" ? &data_dir : arg == "--out" ? &out : nullptr;
    if (target == nullptr) return usage_error("unknown option " + std::string(arg));
    if (i + 1 >= argc) return usage_error(std::string(arg) + " needs a value");
    *target = argv[++i];
  }
  if (data_dir.empty()) return usage_error("--data-dir is required");
  if (out.empty()) return usage_error("--out is required");

  const std::filesystem::path db = store::database_path(data_dir);
  auto report = store::backup_database(db, out);
  if (!report) {
    std::fprintf(stderr, "colead-server backup: %s\n", report.error().message().c_str());
    return 1;
  }
  std::printf("backed up %s to %s: %llu pages, %llu bytes, schema %u, quick_check ok\n", db.c_str(),
              out.c_str(), static_cast<unsigned long long>(report->pages),
              static_cast<unsigned long long>(report->bytes), report->schema_version);
  return 0;
}

}  // namespace colead::app
