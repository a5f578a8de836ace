// Whole and real numbers read from text given by a person (command-line flags, config
// lines): the whole text must be the number, within [min, max]. Standard library only.
#pragma once

#include <charconv>
#include <cstdlib>
#include <string>
#include <system_error>

namespace colead {

// Reads a whole number of type T; false (and `out` untouched) unless `text` is one in range.
template <typename T>
bool parse_number(const std::string& text, T& out, T min, T max) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

// Reads a real number; false (and `out` untouched) unless `text` is one in range.
inline bool parse_double(const std::string& text, double& out, double min, double max) {
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(value >= min && value <= max)) {
    return false;
  }
  out = value;
  return true;
}

}  // namespace colead
