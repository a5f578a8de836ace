#include "store/status.hpp"

namespace colead::store {

std::string_view name(error_code code) {
  switch (code) {
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
  }
  return "unknown";
}

std::string status::to_string() const {
  if (is_ok()) return "OK";
  std::string out(name(code_));
  out += ": ";
  out += message_;
  return out;
}

}  // namespace colead::store
