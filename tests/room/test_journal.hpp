// A journal for room tests: keeps every saved batch until the test completes it, so tests
// control when writes become durable, and can make them fail.
#pragma once

#include <deque>
#include <functional>
#include <utility>
#include <vector>

#include "room/journal.hpp"

namespace colead::room::testing {

class test_journal final : public journal {
 public:
  void save(store::write_batch batch, std::function<void(store::status)> then) override {
    saved.push_back(batch);
    waiting_.emplace_back(std::move(batch), std::move(then));
  }

  // Completes every waiting save with `result`, oldest first (including saves made while
  // completing).
  void complete_all(store::status result = store::status::ok()) {
    while (!waiting_.empty()) {
      auto [batch, then] = std::move(waiting_.front());
      waiting_.pop_front();
      then(result);
    }
  }

  std::size_t waiting() const { return waiting_.size(); }

  std::vector<store::write_batch> saved;  // every batch ever saved, in order

 private:
  std::deque<std::pair<store::write_batch, std::function<void(store::status)>>> waiting_;
};

}  // namespace colead::room::testing
