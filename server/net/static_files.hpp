// The browser client's files, read into memory once at start: served without touching the
// disk, and still served after the server has dropped root for a user who may not read the
// folder. Only plain names are taken ([A-Za-z0-9._-], no hidden files, no links out).
//
// Thread safety: immutable after construction.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace colead::net {

class static_files {
 public:
  // Reads every file under `root`, up to `max_bytes` in all; throws std::runtime_error when
  // `root` has no index.html or holds more than that.
  static_files(const std::string& root, std::size_t max_bytes = 32 << 20);

  // The content of `path` ("/js/app.js"), or null when there is no such file.
  std::shared_ptr<const std::string> find(std::string_view path) const;

  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, std::shared_ptr<const std::string>, std::less<>> files_;
};

}  // namespace colead::net
