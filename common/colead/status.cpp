#include "colead/status.hpp"

namespace colead {

std::string_view name(error_code code) {
  switch (code) {
    case error_code::invalid_op:
      return "invalid op";
    case error_code::too_large:
      return "too large";
    case error_code::bad_revision:
      return "bad revision";
    case error_code::not_allowed:
      return "not allowed";
    case error_code::wrong_state:
      return "wrong state";
    case error_code::out_of_order:
      return "out of order";
    case error_code::not_found:
      return "not found";
    case error_code::already_exists:
      return "already exists";
    case error_code::conflict:
      return "conflict";
    case error_code::invalid_argument:
      return "invalid argument";
    case error_code::busy:
      return "busy";
    case error_code::closed:
      return "closed";
    case error_code::io_error:
      return "io error";
    case error_code::corruption:
      return "corruption";
    case error_code::incompatible:
      return "incompatible";
    case error_code::not_supported:
      return "not supported";
    case error_code::failed:
      return "failed";
  }
  return "unknown";
}

std::string_view wire_name(error_code code) {
  switch (code) {
    case error_code::invalid_op:
      return "INVALID_OP";
    case error_code::too_large:
      return "TOO_LARGE";
    case error_code::bad_revision:
      return "BAD_REVISION";
    case error_code::not_allowed:
    case error_code::wrong_state:
    case error_code::invalid_argument:
      return "NOT_ALLOWED";
    case error_code::not_found:
      return "NOT_FOUND";
    default:
      return "INTERNAL";
  }
}

std::string status::to_string() const {
  if (is_ok()) return "OK";
  std::string out(name(code_));
  out += ": ";
  out += message_;
  return out;
}

status status::with_context(std::string_view context) const {
  if (is_ok()) return *this;
  std::string message(context);
  message += ": ";
  message += message_;
  return status(code_, std::move(message));
}

}  // namespace colead
