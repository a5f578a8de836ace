#include "codec.hpp"

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
  return true;
}

}  // namespace colead::protocol
