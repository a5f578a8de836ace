#include "ot/utf8.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace colead::ot::utf8 {
namespace {

constexpr std::uint64_t high_bits = 0x8080808080808080ULL;

// True when the eight bytes at `p` are all ASCII.
bool ascii8(const char* p) {
  std::uint64_t chunk;
  std::memcpy(&chunk, p, sizeof chunk);
  return (chunk & high_bits) == 0;
}

bool is_continuation(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

std::string hex_byte(unsigned char b) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02X", b);
  return buffer;
}

std::string code_point_name(std::uint32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", cp);
  return buffer;
}

validation failure(std::size_t offset, std::string what) {
  return {false, offset, what + " at byte " + std::to_string(offset)};
}

}  // namespace

std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;  // continuation byte, or C0/C1 which only start overlongs
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  if (lead < 0xF5) return 4;
  return 0;  // F5..FF would encode beyond U+10FFFF or are not UTF-8 at all
}

validation validate(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    if (i + 8 <= size && ascii8(text.data() + i)) {
      i += 8;
      continue;
    }
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    if (is_continuation(lead)) {
      return failure(i, "unexpected continuation byte " + hex_byte(lead));
    }
    if (lead >= 0xF5) {
      return failure(i, "byte " + hex_byte(lead) + " never appears in UTF-8");
    }
    const std::size_t length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    // Check the continuation bytes one by one so a truncated sequence is reported as such,
    // even when the text ends in the middle of it.
    for (std::size_t k = 1; k < length; ++k) {
      if (i + k >= size) return failure(i, "truncated sequence (text ends)");
      if (!is_continuation(bytes[i + k])) {
        return failure(i, "truncated sequence (byte " + hex_byte(bytes[i + k]) + " follows)");
      }
    }
    std::uint32_t cp = 0;
    if (length == 2) {
      cp = ((lead & 0x1Fu) << 6) | (bytes[i + 1] & 0x3Fu);
    } else if (length == 3) {
      cp = ((lead & 0x0Fu) << 12) | ((bytes[i + 1] & 0x3Fu) << 6) | (bytes[i + 2] & 0x3Fu);
    } else {
      cp = ((lead & 0x07u) << 18) | ((bytes[i + 1] & 0x3Fu) << 12) | ((bytes[i + 2] & 0x3Fu) << 6) |
           (bytes[i + 3] & 0x3Fu);
    }
    const std::uint32_t minimum = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
    if (cp < minimum) return failure(i, "overlong encoding of " + code_point_name(cp));
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      return failure(i, "encoded UTF-16 surrogate " + code_point_name(cp));
    }
    if (cp > 0x10FFFF) return failure(i, "code point beyond U+10FFFF");
    i += length;
  }
  return {};
}

bool is_valid(std::string_view text) {
  return validate(text).valid;
}

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  std::size_t i = 0;
  const std::size_t size = text.size();
  for (; i + 8 <= size; i += 8) {
    if (ascii8(text.data() + i)) {
      count += 8;
      continue;
    }
    for (std::size_t k = 0; k < 8; ++k) {
      count += !is_continuation(static_cast<unsigned char>(text[i + k]));
    }
  }
  for (; i < size; ++i)
    count += !is_continuation(static_cast<unsigned char>(text[i]));
  return count;
}

std::size_t advance(std::string_view text, std::size_t from, std::size_t count) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = from;
  while (count > 0 && i < size) {
    if (count >= 8 && i + 8 <= size && ascii8(text.data() + i)) {
      i += 8;
      count -= 8;
      continue;
    }
    // Step over the lead byte and its continuation bytes; for invalid input this still moves
    // forward by at least one byte and never past the end.
    ++i;
    while (i < size && is_continuation(bytes[i]))
      ++i;
    --count;
  }
  return i;
}

std::size_t byte_offset(std::string_view text, std::size_t index) {
  const std::size_t offset = advance(text, 0, index);
  if (offset < text.size()) return offset;
  // Reaching the end is fine only if exactly `index` code points were there.
  return count_code_points(text) >= index ? text.size() : std::string_view::npos;
}

}  // namespace colead::ot::utf8
