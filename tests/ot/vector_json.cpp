#include "vector_json.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace colead::ot::testing {
namespace {

class parser {
 public:
  explicit parser(std::string_view text) : text_(text) {}

  bool parse_document(json_value& out) {
    if (!parse_value(out, 0)) return false;
    skip_space();
    if (pos_ != text_.size()) return fail("unexpected text after the value");
    return true;
  }

  const std::string& error() const { return error_; }

 private:
  static constexpr int max_depth = 64;

  bool fail(const std::string& what) {
    if (error_.empty()) error_ = what + " at byte " + std::to_string(pos_);
    return false;
  }

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }

  bool consume(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool parse_value(json_value& out, int depth) {
    if (depth > max_depth) return fail("nesting too deep");
    skip_space();
    if (pos_ >= text_.size()) return fail("unexpected end of text");
    const char c = text_[pos_];
    if (c == '{') return parse_object(out, depth);
    if (c == '[') return parse_array(out, depth);
    if (c == '"') {
      std::string s;
      if (!parse_string(s)) return false;
      out.data = std::move(s);
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return parse_integer(out);
    if (consume("null")) {
      out.data = nullptr;
      return true;
    }
    if (consume("true")) {
      out.data = true;
      return true;
    }
    if (consume("false")) {
      out.data = false;
      return true;
    }
    return fail(std::string("unexpected character '") + c + "'");
  }

  bool parse_integer(json_value& out) {
    const std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    const std::size_t digits = pos_;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9')
      ++pos_;
    if (pos_ == digits) return fail("a number needs digits");
    if (pos_ < text_.size() && (text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E')) {
      return fail("only integers are expected in vector files");
    }
    if (pos_ - digits > 18) return fail("integer too large");
    out.data =
        static_cast<std::int64_t>(std::stoll(std::string(text_.substr(start, pos_ - start))));
    return true;
  }

  bool parse_hex4(std::uint32_t& out) {
    if (pos_ + 4 > text_.size()) return fail("truncated \\u escape");
    out = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = text_[pos_++];
      out <<= 4;
      if (h >= '0' && h <= '9') {
        out |= static_cast<std::uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        out |= static_cast<std::uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        out |= static_cast<std::uint32_t>(h - 'A' + 10);
      } else {
        return fail("bad hex digit in \\u escape");
      }
    }
    return true;
  }

  static void append_utf8(std::string& s, std::uint32_t cp) {
    if (cp < 0x80) {
      s += static_cast<char>(cp);
    } else if (cp < 0x800) {
      s += static_cast<char>(0xC0 | (cp >> 6));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      // Also reached for lone surrogates, which become invalid UTF-8 on purpose.
      s += static_cast<char>(0xE0 | (cp >> 12));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (cp >> 18));
      s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool parse_string(std::string& out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) return fail("unterminated string");
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) return fail("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!parse_hex4(cp)) return false;
          // A high surrogate followed by an escaped low surrogate is one astral code point.
          if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
            const std::size_t saved = pos_;
            pos_ += 2;
            std::uint32_t low = 0;
            if (!parse_hex4(low)) return false;
            if (low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = saved;
            }
          }
          append_utf8(out, cp);
          break;
        }
        default:
          return fail(std::string("unknown escape \\") + e);
      }
    }
  }

  bool parse_array(json_value& out, int depth) {
    ++pos_;
    auto array = std::make_shared<json_array>();
    skip_space();
    if (consume("]")) {
      out.data = std::move(array);
      return true;
    }
    while (true) {
      json_value element;
      if (!parse_value(element, depth + 1)) return false;
      array->push_back(std::move(element));
      skip_space();
      if (consume("]")) break;
      if (!consume(",")) return fail("expected ',' or ']' in array");
    }
    out.data = std::move(array);
    return true;
  }

  bool parse_object(json_value& out, int depth) {
    ++pos_;
    auto object = std::make_shared<json_object>();
    skip_space();
    if (consume("}")) {
      out.data = std::move(object);
      return true;
    }
    while (true) {
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a member name");
      std::string key;
      if (!parse_string(key)) return false;
      skip_space();
      if (!consume(":")) return fail("expected ':' after member name");
      json_value member;
      if (!parse_value(member, depth + 1)) return false;
      if (!object->emplace(std::move(key), std::move(member)).second) {
        return fail("duplicate member name");
      }
      skip_space();
      if (consume("}")) break;
      if (!consume(",")) return fail("expected ',' or '}' in object");
    }
    out.data = std::move(object);
    return true;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

[[noreturn]] void type_error(const char* wanted) {
  throw std::runtime_error(std::string("vector file: expected ") + wanted);
}

}  // namespace

std::int64_t json_value::as_int() const {
  if (!is_int()) type_error("an integer");
  return std::get<std::int64_t>(data);
}

bool json_value::as_bool() const {
  if (!is_bool()) type_error("true or false");
  return std::get<bool>(data);
}

const std::string& json_value::as_string() const {
  if (!is_string()) type_error("a string");
  return std::get<std::string>(data);
}

const json_array& json_value::as_array() const {
  if (!is_array()) type_error("an array");
  return *std::get<std::shared_ptr<json_array>>(data);
}

const json_object& json_value::as_object() const {
  if (!is_object()) type_error("an object");
  return *std::get<std::shared_ptr<json_object>>(data);
}

bool json_value::has(std::string_view key) const {
  return is_object() && as_object().find(key) != as_object().end();
}

const json_value& json_value::operator[](std::string_view key) const {
  const json_object& object = as_object();
  const auto found = object.find(key);
  if (found == object.end()) {
    throw std::runtime_error("vector file: missing member \"" + std::string(key) + "\"");
  }
  return found->second;
}

bool parse_json(std::string_view text, json_value& out, std::string& error) {
  parser p(text);
  if (p.parse_document(out)) return true;
  error = p.error();
  return false;
}

json_value load_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open vector file " + path);
  std::ostringstream content;
  content << in.rdbuf();
  json_value value;
  std::string error;
  if (!parse_json(content.str(), value, error)) {
    throw std::runtime_error("vector file " + path + ": " + error);
  }
  return value;
}

}  // namespace colead::ot::testing
