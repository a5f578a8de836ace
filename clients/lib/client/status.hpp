// The outcome of a client operation: success, or a message that names what went wrong.
//
// A value type; copy it freely. Thread-safe as any value is (no shared state).
#pragma once

#include <string>
#include <utility>

namespace colead::client {

class status {
 public:
  // A successful outcome.
  static status success() { return status{}; }
  // A failed outcome; `message` says what went wrong in words a person can act on.
  static status failure(std::string message) { return status{std::move(message), false}; }

  status() = default;

  // True when the operation succeeded.
  bool ok() const { return ok_; }
  // What went wrong; empty on success.
  const std::string& message() const { return message_; }

 private:
  status(std::string message, bool ok) : message_(std::move(message)), ok_(ok) {}

  std::string message_;  // why it failed
  bool ok_ = true;       // whether it succeeded
};

}  // namespace colead::client
