// The last stored revision of each document, as the store's writer knows it, so that saving
// an op checks its revision without reading the file.
//
// Changes are made inside a transaction that may still be rolled back: every `set` is logged
// with the value it replaced, `mark` names a point in that log (a savepoint), `roll_back_to`
// restores the values as they were at a mark, and `keep` forgets the log once the
// transaction is committed. The cache forgets everything when it holds more than `capacity`
// documents (between transactions only), so it stays small on a server with many rooms; a
// document it does not know is read from the file again.
//
// Thread safety: none; the writer thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace colead::store {

class revision_cache {
 public:
  explicit revision_cache(std::size_t capacity = 100'000) : capacity_(capacity) {}

  // The key of a document: ids never hold a newline.
  static std::string key(std::string_view room_id, std::string_view doc_id) {
    std::string k;
    k.reserve(room_id.size() + 1 + doc_id.size());
    k.append(room_id).append(1, '\n').append(doc_id);
    return k;
  }

  // The last revision known for `key`, if the cache knows it.
  std::optional<std::int64_t> find(const std::string& key) const {
    auto it = last_.find(key);
    if (it == last_.end()) return std::nullopt;
    return it->second;
  }

  // From now on `key`'s last revision is `rev` (logged, so a rollback undoes it).
  void set(const std::string& key, std::int64_t rev) {
    auto [it, added] = last_.try_emplace(key, rev);
    undo_.emplace_back(key, added ? std::nullopt : std::optional<std::int64_t>(it->second));
    it->second = rev;
  }

  // The point a later roll_back_to returns to.
  std::size_t mark() const { return undo_.size(); }

  // Undoes every set since `mark`, newest first.
  void roll_back_to(std::size_t mark) {
    while (undo_.size() > mark) {
      auto& [key, before] = undo_.back();
      if (before) {
        last_[key] = *before;
      } else {
        last_.erase(key);
      }
      undo_.pop_back();
    }
  }

  // The transaction is committed: what was set stays; past the capacity everything goes.
  void keep() {
    undo_.clear();
    if (last_.size() > capacity_) last_.clear();
  }

  // Forgets every revision (after writes the cache did not see, such as an erasure).
  void clear() {
    undo_.clear();
    last_.clear();
  }

  std::size_t size() const { return last_.size(); }

 private:
  std::size_t capacity_;
  std::unordered_map<std::string, std::int64_t> last_;
  std::vector<std::pair<std::string, std::optional<std::int64_t>>> undo_;
};

}  // namespace colead::store
