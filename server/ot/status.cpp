#include "ot/status.hpp"

namespace colead::ot {

std::string_view wire_name(error_code code) {
  switch (code) {
    case error_code::invalid_op:
      return "INVALID_OP";
    case error_code::too_large:
      return "TOO_LARGE";
    case error_code::bad_revision:
      return "BAD_REVISION";
  }
  return "INTERNAL";
}

std::string status::to_string() const {
  if (is_ok()) return "OK";
  std::string out(wire_name(code_));
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

}  // namespace colead::ot
