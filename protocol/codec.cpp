#include "codec.hpp"

#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

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
    error.message = "the binary frame is not a valid " + out.GetTypeName() + " message";
    return false;
  }
  std::string why;
  if (from_json(frame, out, why)) return true;
  error.message = "the text frame is not a valid " + out.GetTypeName() + " in JSON: " + why;
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

}  // namespace

bool known_enum_values(const google::protobuf::Message& message, std::string& why) {
  return check_enums(message, "", why);
}

bool decode_client_message(std::string_view frame, encoding e, v1::ClientMessage& out,
                           decode_error& error) {
  if (!decode(frame, e, out, error)) {
    if (e != encoding::json) return false;
    // A well-formed JSON object whose only problem is a top-level field we do not know is
    // an unknown kind, not garbage: parse again leniently to tell the two apart.
    v1::ClientMessage lenient;
    pbu::JsonParseOptions options;
    options.ignore_unknown_fields = true;
    if (!pbu::JsonStringToMessage(frame, &lenient, options).ok()) return false;
    // Keep the request number so the error can answer it: a client waiting on its request
    // learns at once that it was refused, whatever field was wrong.
    out.Clear();
    out.set_req(lenient.req());
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
