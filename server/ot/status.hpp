#pragma once

// Errors as values for the OT layer. Nothing in colead::ot throws for bad input: every
// function that can reject its input returns a `status` or a `result<T>` whose message names
// what was wrong in words a person can act on ("operation covers 12 characters but the
// document has 10").
//
// Thread safety: plain values; distinct objects may be used from distinct threads.

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace colead::ot {

// The kinds of rejection. Each maps one to one onto an error code of the wire protocol
// (design.md, "Error codes"), so the room can forward it without guessing.
enum class error_code {
  invalid_op,    // INVALID_OP: malformed operation, lengths that do not match, bad UTF-8
  too_large,     // TOO_LARGE: the result would exceed the document size limit
  bad_revision,  // BAD_REVISION: a revision that is in the future or no longer retained
};

// The wire name of an error code ("INVALID_OP", "TOO_LARGE", "BAD_REVISION").
std::string_view wire_name(error_code code);

// Either success or an error code with a message. Cheap to copy when ok.
class status {
 public:
  // Success.
  status() = default;

  static status ok() { return status(); }
  static status invalid_op(std::string message) {
    return status(error_code::invalid_op, std::move(message));
  }
  static status too_large(std::string message) {
    return status(error_code::too_large, std::move(message));
  }
  static status bad_revision(std::string message) {
    return status(error_code::bad_revision, std::move(message));
  }

  bool is_ok() const { return !failed_; }
  explicit operator bool() const { return is_ok(); }

  // Only meaningful when !is_ok().
  error_code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK" or "<WIRE_NAME>: <message>", for logs and test failure output.
  std::string to_string() const;

  // Returns a copy whose message is prefixed with `context` and ": ", so a caller can say
  // where an error came from without losing what it was.
  status with_context(std::string_view context) const;

  friend bool operator==(const status&, const status&) = default;

 private:
  status(error_code code, std::string message)
      : failed_(true), code_(code), message_(std::move(message)) {}

  bool failed_ = false;
  error_code code_ = error_code::invalid_op;
  std::string message_;
};

// A value of type T, or a failed status explaining why there is none (an expected-like
// type; std::expected arrives only in C++23).
template <class T>
class result {
 public:
  // NOLINTNEXTLINE(google-explicit-constructor): implicit so functions can `return value;`.
  result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
  // Precondition: !error.is_ok(). A result never carries a successful status instead of a
  // value.
  // NOLINTNEXTLINE(google-explicit-constructor): implicit so functions can `return status;`.
  result(status error) : storage_(std::in_place_index<1>, std::move(error)) {
    assert(!std::get<1>(storage_).is_ok());
  }

  bool is_ok() const { return storage_.index() == 0; }
  explicit operator bool() const { return is_ok(); }

  // Precondition: is_ok().
  T& value() & { return std::get<0>(storage_); }
  const T& value() const& { return std::get<0>(storage_); }
  T&& value() && { return std::get<0>(std::move(storage_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The failure; status::ok() when is_ok().
  status error() const { return is_ok() ? status::ok() : std::get<1>(storage_); }

 private:
  std::variant<T, status> storage_;
};

}  // namespace colead::ot
