#pragma once

// A small JSON reader for the golden vector files in tests/vectors/.
//
// Why a reader here rather than a library: the project allows no second JSON library, and the
// one JSON parser it has (protobuf's JsonStringToMessage) needs a message schema, which would
// tie test data files to protocol/ and make colead::ot's tests depend on protobuf although
// the library itself uses the standard library only. Generating the vectors in a second
// format would give two sources of truth for the C++ and JavaScript tests. The vector files
// use plain JSON (objects, arrays, strings, integers), so a reader of about 200 lines that
// accepts exactly that, and fails loudly on anything else, is the simplest honest choice.
//
// Strings are decoded to UTF-8. A \u escape naming a lone surrogate is encoded as its
// three-byte (invalid) UTF-8 form, so vectors can carry text that the OT layer must refuse,
// just as JavaScript's JSON.parse hands such strings to the browser client.
//
// Thread safety: values are plain data.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace colead::ot::testing {

struct json_value;
using json_array = std::vector<json_value>;
using json_object = std::map<std::string, json_value, std::less<>>;

struct json_value {
  // null, bool, integer, string, array, object (numbers with a fraction or exponent are
  // refused: the vectors hold counts only).
  std::variant<std::nullptr_t, bool, std::int64_t, std::string, std::shared_ptr<json_array>,
               std::shared_ptr<json_object>>
      data;

  bool is_null() const { return data.index() == 0; }
  bool is_bool() const { return data.index() == 1; }
  bool is_int() const { return data.index() == 2; }
  bool is_string() const { return data.index() == 3; }
  bool is_array() const { return data.index() == 4; }
  bool is_object() const { return data.index() == 5; }

  // Accessors; each throws std::runtime_error (which GoogleTest reports as a failure of the
  // running test) if the value has another type.
  bool as_bool() const;
  std::int64_t as_int() const;
  const std::string& as_string() const;
  const json_array& as_array() const;
  const json_object& as_object() const;

  // The member `key` of an object; throws if missing. has() checks first.
  const json_value& operator[](std::string_view key) const;
  bool has(std::string_view key) const;
};

// Parses `text`; on malformed input returns false and sets `error` to what and where.
bool parse_json(std::string_view text, json_value& out, std::string& error);

// Reads and parses the file at `path`; throws std::runtime_error naming the file and the
// problem on failure (a test-data file that does not load is a failed test, not a skipped one).
json_value load_json_file(const std::string& path);

}  // namespace colead::ot::testing
