#include "net/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace colead::net {

namespace fs = std::filesystem;

namespace {

bool plain_name(const std::string& name) {
  if (name.empty() || name.front() == '.') return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

static_files::static_files(const std::string& root, std::size_t max_bytes) {
  std::error_code ec;
  if (!fs::exists(fs::path(root) / "index.html", ec)) {
    throw std::runtime_error("web-root " + root + " has no index.html");
  }
  std::size_t total = 0;
  fs::recursive_directory_iterator it(root, fs::directory_options::none, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (!plain_name(name) || it->is_symlink(ec)) {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    if (!in) throw std::runtime_error("cannot read " + it->path().string());
    total += content.str().size();
    if (total > max_bytes) {
      throw std::runtime_error("web-root " + root + " holds more than " +
                               std::to_string(max_bytes) + " bytes");
    }
    auto relative = fs::relative(it->path(), root, ec).generic_string();
    files_.emplace("/" + relative, std::make_shared<const std::string>(std::move(content).str()));
  }
  if (ec) throw std::runtime_error("cannot list web-root " + root + ": " + ec.message());
}

std::shared_ptr<const std::string> static_files::find(std::string_view path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : it->second;
}

}  // namespace colead::net
