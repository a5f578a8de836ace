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

// The number of continuation bytes (10xxxxxx) among the eight bytes at `p`: bit 7 set and
// bit 6 clear; shifting left by one lines bit 6 of each byte up under its bit 7. The flags are
// then summed with a multiply rather than std::popcount, which compiles to a library call
// on baseline x86-64.
std::size_t continuation_count(const char* p) {
  std::uint64_t chunk;
  std::memcpy(&chunk, p, sizeof chunk);
  const std::uint64_t flags = (chunk & ~(chunk << 1) & high_bits) >> 7;
  return static_cast<std::size_t>((flags * 0x0101010101010101ULL) >> 56);
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
  // Every byte that is not a continuation byte starts a code point; count eight at a time.
  std::size_t count = 0;
  std::size_t i = 0;
  const std::size_t size = text.size();
  for (; i + 8 <= size; i += 8)
    count += 8 - continuation_count(text.data() + i);
  for (; i < size; ++i)
    count += !is_continuation(static_cast<unsigned char>(text[i]));
  return count;
}

std::size_t advance(std::string_view text, std::size_t from, std::size_t count) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = from;
  // Skip whole chunks of eight bytes while they hold fewer code point starts than are left
  // to pass, so the target is never inside a skipped chunk.
  while (i + 8 <= size) {
    const std::size_t starts = 8 - continuation_count(text.data() + i);
    if (starts >= count) break;
    count -= starts;
    i += 8;
  }
  // The target is the first code point start after `count` more starts (or the end).
  for (; i < size; ++i) {
    if (is_continuation(bytes[i])) continue;
    if (count == 0) return i;
    --count;
  }
  return size;
}

std::size_t byte_offset(std::string_view text, std::size_t index) {
  const std::size_t offset = advance(text, 0, index);
  if (offset < text.size()) return offset;
  // Reaching the end is fine only if exactly `index` code points were there.
  return count_code_points(text) >= index ? text.size() : std::string_view::npos;
}

}  // namespace colead::ot::utf8
