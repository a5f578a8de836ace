// Errors as values, for every layer of the server and for the clients. Nothing throws across
// an interface for bad input or a failed operation: every function that can fail returns a
// `status` or a `result<T>` whose message names what was wrong in words a person can act on
// ("operation covers 12 characters but the document has 10"; "colead.db is damaged (...);
// restore the latest backup").
//
// Standard library only, so the OT layer and the clients may use it too.
//
// Thread safety: plain values; distinct objects may be used from distinct threads.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace colead {

// The kinds of failure, by where they arise. The room maps each onto an error code of the
// wire protocol (wire_name).
enum class error_code {
  // What a member asked cannot be done.
  invalid_op,    // INVALID_OP: malformed operation, lengths that do not match, bad UTF-8
  too_large,     // TOO_LARGE: the result would exceed a size limit
  bad_revision,  // BAD_REVISION: a revision that is in the future or no longer retained
  not_allowed,   // NOT_ALLOWED: the rules (a consult phase's, the run's state) forbid it
  wrong_state,   // NOT_ALLOWED: not in the meeting's current mode
  out_of_order,  // a time before the last recorded change (a caller's mistake)
  // The store.
  not_found,         // no such room, document, item
  already_exists,    // a duplicate op revision or edit id
  conflict,          // a write that does not follow what is stored (a gap in revisions, a
                     // stale item version)
  invalid_argument,  // a malformed value or record (bad id, a value out of range)
  busy,              // not now (the write queue is full, the WAL is in use); try again shortly
  closed,            // the store is closed
  io_error,          // SQLite or the disk failed (SQLITE_IOERR, SQLITE_FULL, ...)
  corruption,        // the database file is damaged
  incompatible,      // written by a newer version of Colead, or not a Colead database
  not_supported,     // this backend cannot do that
  // The client library.
  failed,  // the network or the server did not do what was asked
};

// The name of an error code, as people read it ("not found", "io error", ...).
std::string_view name(error_code code);
// The wire protocol's error code for `code` ("INVALID_OP", "NOT_ALLOWED", ...; "INTERNAL"
// for what a member cannot act on).
std::string_view wire_name(error_code code);

// Either success or an error code with a message. Cheap to copy when ok.
class status {
 public:
  // Success.
  status() = default;
  static status ok() { return status(); }

  static status invalid_op(std::string m) { return {error_code::invalid_op, std::move(m)}; }
  static status too_large(std::string m) { return {error_code::too_large, std::move(m)}; }
  static status bad_revision(std::string m) { return {error_code::bad_revision, std::move(m)}; }
  static status not_allowed(std::string m) { return {error_code::not_allowed, std::move(m)}; }
  static status wrong_state(std::string m) { return {error_code::wrong_state, std::move(m)}; }
  static status out_of_order(std::string m) { return {error_code::out_of_order, std::move(m)}; }
  static status not_found(std::string m) { return {error_code::not_found, std::move(m)}; }
  static status already_exists(std::string m) { return {error_code::already_exists, std::move(m)}; }
  static status conflict(std::string m) { return {error_code::conflict, std::move(m)}; }
  static status invalid_argument(std::string m) {
    return {error_code::invalid_argument, std::move(m)};
  }
  static status busy(std::string m) { return {error_code::busy, std::move(m)}; }
  static status closed(std::string m) { return {error_code::closed, std::move(m)}; }
  static status io_error(std::string m) { return {error_code::io_error, std::move(m)}; }
  static status corruption(std::string m) { return {error_code::corruption, std::move(m)}; }
  static status incompatible(std::string m) { return {error_code::incompatible, std::move(m)}; }
  static status not_supported(std::string m) { return {error_code::not_supported, std::move(m)}; }
  static status failed(std::string m) { return {error_code::failed, std::move(m)}; }

  bool is_ok() const { return !failed_; }
  explicit operator bool() const { return is_ok(); }

  // Only meaningful when !is_ok().
  error_code code() const { return code_; }
  // Empty when ok.
  const std::string& message() const { return message_; }

  // "OK" or "<name>: <message>", for logs and test failure output.
  std::string to_string() const;
  // A copy whose message is prefixed with `context` and ": ", so a caller can say where an
  // error came from without losing what it was.
  status with_context(std::string_view context) const;

  friend bool operator==(const status&, const status&) = default;

 private:
  status(error_code code, std::string message)
      : failed_(true), code_(code), message_(std::move(message)) {}

  bool failed_ = false;
  error_code code_ = error_code::failed;
  std::string message_;
};

// A value of type T, or a failed status explaining why there is none (an expected-like type;
// std::expected arrives only in C++23).
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

}  // namespace colead
