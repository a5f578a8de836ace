// Errors as values for the store. Nothing in colead::store throws across its interface:
// every operation that can fail returns a `status` or a `result<T>` whose message names what
// was wrong and, where it helps, what to do ("colead.db is damaged (...); restore the latest
// backup").
//
// Thread safety: plain values; distinct objects may be used from distinct threads.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace colead::store {

// The kinds of failure. The room maps them onto wire errors: every kind but `not_found` and
// `already_exists` means "the change was not saved" (INTERNAL to the author).
enum class error_code {
  not_found,         // no such room, document, item
  already_exists,    // a duplicate op revision or edit id
  conflict,          // a write that does not follow what is stored (a gap in revisions, a
                     // stale item version)
  invalid_argument,  // a malformed record (bad id, token hash not 32 bytes, empty batch)
  busy,              // not now (the write queue is full, the WAL is in use); try again shortly
  closed,            // the store is closed
  io_error,          // SQLite or the disk failed (SQLITE_IOERR, SQLITE_FULL, ...)
  corruption,        // the database file is damaged
  incompatible,      // the database was written by a newer Colead, or is not Colead's
  not_supported,     // this backend cannot do that
};

// The name of an error code ("not found", "io error", ...).
std::string_view name(error_code code);

// Either success or an error code with a message. Cheap to copy when ok.
class status {
 public:
  // Success.
  status() = default;

  static status ok() { return status(); }
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

  bool is_ok() const { return !failed_; }
  explicit operator bool() const { return is_ok(); }

  // Only meaningful when !is_ok().
  error_code code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK" or "<name>: <message>", for logs and test failure output.
  std::string to_string() const;

  friend bool operator==(const status&, const status&) = default;

 private:
  status(error_code code, std::string message)
      : failed_(true), code_(code), message_(std::move(message)) {}

  bool failed_ = false;
  error_code code_ = error_code::io_error;
  std::string message_;
};

// A value of type T, or a failed status explaining why there is none.
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

}  // namespace colead::store
