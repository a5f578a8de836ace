#include "codec.hpp"

#include <charconv>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/wire_format_lite.h>

namespace colead::protocol {

namespace pbu = google::protobuf::util;

std::string_view subprotocol_name(encoding e) {
  return e == encoding::binary ? binary_subprotocol : json_subprotocol;
}

std::string encode(const google::protobuf::Message& message, encoding e) {
  if (e == encoding::binary) return message.SerializeAsString();
  return to_json(message);
}

std::string to_json(const google::protobuf::Message& message) {
  std::string out;
  pbu::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  // Printing a valid message cannot fail; a failure would be a bug in protobuf itself.
  (void)pbu::MessageToJsonString(message, &out, options);
  return out;
}

bool from_json(std::string_view json, google::protobuf::Message& out, std::string& error) {
  pbu::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = pbu::JsonStringToMessage(json, &out, options);
  if (status.ok()) return true;
  error = std::string(status.message());
  return false;
}

bool decode(std::string_view frame, encoding e, google::protobuf::Message& out,
            decode_error& error) {
  if (e == encoding::binary) {
    if (out.ParseFromArray(frame.data(), static_cast<int>(frame.size()))) return true;
    error.message =
        "the message is not a valid " + out.GetTypeName() + " in protobuf's binary form";
    return false;
  }
  std::string why;
  if (from_json(frame, out, why)) return true;
  error.message = "the message is not a valid " + out.GetTypeName() + " in JSON: " + why;
  return false;
}

namespace {

// `known_enum_values` for `message`, whose own path is `path` ("" at the top).
bool check_enums(const google::protobuf::Message& message, const std::string& path,
                 std::string& why) {
  using google::protobuf::FieldDescriptor;
  const auto* reflection = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);  // only the fields that are set
  for (const auto* field : fields) {
    // Reflection reaches a map's entries only by copying the map into a repeated field of
    // entry messages; a map of plain values holds no enum, so it is not walked at all.
    if (field->is_map()) {
      const auto value_type = field->message_type()->map_value()->cpp_type();
      if (value_type != FieldDescriptor::CPPTYPE_ENUM &&
          value_type != FieldDescriptor::CPPTYPE_MESSAGE)
        continue;
    }
    const std::string name = path.empty() ? field->json_name() : path + "." + field->json_name();
    const bool repeated = field->is_repeated();
    const int count = repeated ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i) {
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
        const int value = repeated ? reflection->GetRepeatedEnumValue(message, field, i)
                                   : reflection->GetEnumValue(message, field);
        if (field->enum_type()->FindValueByNumber(value) != nullptr) continue;
        why = "the field " + name + " has the value " + std::to_string(value) + ", which " +
              field->enum_type()->name() + " does not name; use one of";
        for (int v = 0; v < field->enum_type()->value_count(); ++v)
          why += (v ? ", " : " ") + field->enum_type()->value(v)->name();
        return false;
      }
      if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const auto& child = repeated ? reflection->GetRepeatedMessage(message, field, i)
                                     : reflection->GetMessage(message, field);
        if (!check_enums(child, name, why)) return false;
      }
    }
  }
  return true;
}

// A JSON number or string of decimal digits as a request number; 0 when it is anything else
// (a fraction, a sign, out of range), as the parser would refuse it too.
std::uint64_t req_of(std::string_view text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
    text = text.substr(1, text.size() - 2);
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return 0;
  return value;
}

// Scans a JSON object's top level for "req" without building anything. Tolerates garbage
// after the member it looks for; gives up (0) at the first thing that is not JSON.
std::uint64_t peek_json_req(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  auto skip_space = [&] {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
      ++i;
  };
  // At an opening quote: moves past the closing one; the raw text between them in `raw`.
  auto skip_string = [&](std::string_view* raw) {
    const std::size_t start = ++i;
    while (i < n) {
      if (s[i] == '\\') {
        i += 2;
        continue;
      }
      if (s[i] == '"') {
        if (raw) *raw = s.substr(start, i - start);
        ++i;
        return true;
      }
      ++i;
    }
    return false;
  };
  // Moves past one value: a string, an object or array (nesting counted, strings skipped),
  // or a bare token (number, true, false, null).
  auto skip_value = [&] {
    if (i >= n) return false;
    if (s[i] == '"') return skip_string(nullptr);
    if (s[i] == '{' || s[i] == '[') {
      std::size_t depth = 0;
      while (i < n) {
        const char c = s[i];
        if (c == '"') {
          if (!skip_string(nullptr)) return false;
          continue;
        }
        if (c == '{' || c == '[') ++depth;
        if ((c == '}' || c == ']') && --depth == 0) {
          ++i;
          return true;
        }
        ++i;
      }
      return false;
    }
    while (i < n && s[i] != ',' && s[i] != '}' && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' &&
           s[i] != '\r')
      ++i;
    return true;
  };
  skip_space();
  if (i >= n || s[i] != '{') return 0;
  ++i;
  while (true) {
    skip_space();
    if (i >= n || s[i] != '"') return 0;
    std::string_view key;
    if (!skip_string(&key)) return 0;
    skip_space();
    if (i >= n || s[i] != ':') return 0;
    ++i;
    skip_space();
    const std::size_t value_start = i;
    if (!skip_value()) return 0;
    if (key == "req") return req_of(s.substr(value_start, i - value_start));
    skip_space();
    if (i >= n || s[i] != ',') return 0;
    ++i;
  }
}

// Reads field 1 of a ClientMessage off the wire, skipping every other field unparsed.
std::uint64_t peek_binary_req(std::string_view frame) {
  namespace wire = google::protobuf::internal;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const std::uint8_t*>(frame.data()),
                                            static_cast<int>(frame.size()));
  std::uint64_t req = 0;
  while (true) {
    const std::uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    if (tag == wire::WireFormatLite::MakeTag(v1::ClientMessage::kReqFieldNumber,
                                             wire::WireFormatLite::WIRETYPE_VARINT)) {
      std::uint64_t value = 0;
      if (!in.ReadVarint64(&value)) break;
      // The last occurrence wins, as when protobuf parses the message.
      req = value;
      continue;
    }
    if (!wire::WireFormatLite::SkipField(&in, tag)) break;
  }
  return req;
}

}  // namespace

bool known_enum_values(const google::protobuf::Message& message, std::string& why) {
  return check_enums(message, "", why);
}

std::uint64_t peek_req(std::string_view frame, encoding e) {
  return e == encoding::binary ? peek_binary_req(frame) : peek_json_req(frame);
}

bool decode_client_message(std::string_view frame, encoding e, v1::ClientMessage& out,
                           decode_error& error) {
  if (!decode(frame, e, out, error)) {
    // Keep the request number so the error can answer it: a client waiting on its request
    // learns at once that it was refused, whatever was wrong.
    out.Clear();
    out.set_req(peek_req(frame, e));
    if (e != encoding::json) return false;
    // A well-formed JSON object whose only problem is a top-level field we do not know is
    // an unknown kind, not garbage: parse again leniently to tell the two apart.
    v1::ClientMessage lenient;
    pbu::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!pbu::JsonStringToMessage(frame, &lenient, options).ok()) return false;
    if (lenient.kind_case() != v1::ClientMessage::KIND_NOT_SET) return false;
    error.unknown_kind = true;
    error.message =
        "the message names no kind this server knows; send one of hello, edit, "
        "selection, meeting, consult, note, question, ping, document, room";
    return false;
  }
  if (out.kind_case() == v1::ClientMessage::KIND_NOT_SET) {
    error.unknown_kind = true;
    error.message =
        "the message names no kind; send one of hello, edit, selection, meeting, "
        "consult, note, question, ping, document, room";
    return false;
  }
  if (std::string why; !known_enum_values(out, why)) {
    const auto req = out.req();
    out.Clear();
    out.set_req(req);
    error.message = std::move(why);
    return false;
  }
  return true;
}

}  // namespace colead::protocol
