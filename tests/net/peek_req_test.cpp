// protocol::peek_req: the request number of a frame that is refused before it is decoded.
#include <gtest/gtest.h>

#include "codec.hpp"

namespace colead::protocol {
namespace {

TEST(PeekReqJson, FindsTheTopLevelReqAsNumberOrString) {
  EXPECT_EQ(peek_req(R"({"req": 42, "ping": {}})", encoding::json), 42u);
  EXPECT_EQ(peek_req(R"({"ping": {}, "req": "43"})", encoding::json), 43u);
  EXPECT_EQ(peek_req(R"(  {"edit": {"req": 1, "op": [{"insert": "\"req\": 9"}]}, "req": 44})",
                     encoding::json),
            44u);
  EXPECT_EQ(peek_req(R"({"req":"18446744073709551615"})", encoding::json), 18446744073709551615u);
}

TEST(PeekReqJson, ValueErrorsElsewhereStillYieldTheReq) {
  // Each of these is refused by the parser; the req is still there to answer.
  EXPECT_EQ(
      peek_req(R"({"req": 5, "consult": {"extend": {"minutes": 99999999999999}}})", encoding::json),
      5u);
  EXPECT_EQ(peek_req(R"({"req": 6, "note": {"text": "\ud800"}})", encoding::json), 6u);
  EXPECT_EQ(peek_req(R"({"req": 7, "ping": {}, "hello": {}})", encoding::json), 7u);
  // Cut off after the req: the start of a message too large to keep.
  EXPECT_EQ(peek_req(R"({"req": 8, "note": {"text": "xxxxxxxx)", encoding::json), 8u);
}

TEST(PeekReqJson, NothingToFindIsZero) {
  EXPECT_EQ(peek_req("", encoding::json), 0u);
  EXPECT_EQ(peek_req("not json", encoding::json), 0u);
  EXPECT_EQ(peek_req("[1, 2]", encoding::json), 0u);
  EXPECT_EQ(peek_req(R"({"ping": {}})", encoding::json), 0u);
  EXPECT_EQ(peek_req(R"({"req": -1})", encoding::json), 0u);
  EXPECT_EQ(peek_req(R"({"req": 1.5})", encoding::json), 0u);
  EXPECT_EQ(peek_req(R"({"req": "18446744073709551616"})", encoding::json), 0u);
  EXPECT_EQ(peek_req(R"({"note": {"text": "unterminated)", encoding::json), 0u);
}

TEST(PeekReqBinary, ReadsFieldOneWithoutParsing) {
  v1::ClientMessage m;
  m.set_req(77);
  m.mutable_note()->set_text(std::string(1000, 'x'));
  const std::string wire = m.SerializeAsString();
  EXPECT_EQ(peek_req(wire, encoding::binary), 77u);
  // The first bytes of the same message are enough.
  EXPECT_EQ(peek_req(std::string_view(wire).substr(0, 20), encoding::binary), 77u);
  // After other fields (protobuf writes req first, but any order is valid).
  v1::ClientMessage kind;
  kind.mutable_ping();
  EXPECT_EQ(
      peek_req(kind.SerializeAsString() + m.SerializeAsString().substr(0, 2), encoding::binary),
      77u);
  // Invalid UTF-8 in a string field: the message does not parse, the req is still read.
  v1::ClientMessage bad;
  bad.set_req(78);
  bad.mutable_note()->set_text("ok");
  std::string bytes = bad.SerializeAsString();
  bytes.back() = '\xff';
  EXPECT_EQ(peek_req(bytes, encoding::binary), 78u);
}

TEST(PeekReqBinary, GarbageIsZero) {
  EXPECT_EQ(peek_req("", encoding::binary), 0u);
  EXPECT_EQ(peek_req(std::string(12, '\xff'), encoding::binary), 0u);
}

TEST(DecodeClientMessage, RefusedFramesKeepTheirReq) {
  v1::ClientMessage out;
  decode_error why;
  EXPECT_FALSE(
      decode_client_message(R"({"req": 9, "note": {"text": "\ud800"}})", encoding::json, out, why));
  EXPECT_EQ(out.req(), 9u);
}

// The answer describes the message, whichever kind of frame carried it: a refused binary
// message is not called a text frame.
TEST(DecodeClientMessage, RefusalsNameTheEncodingNotAFrameType) {
  v1::ClientMessage out;
  decode_error binary_why;
  EXPECT_FALSE(decode_client_message(std::string(12, '\xff'), encoding::binary, out, binary_why));
  EXPECT_NE(binary_why.message.find("binary form"), std::string::npos) << binary_why.message;
  EXPECT_EQ(binary_why.message.find("text"), std::string::npos) << binary_why.message;
  decode_error json_why;
  EXPECT_FALSE(decode_client_message("{", encoding::json, out, json_why));
  EXPECT_NE(json_why.message.find("in JSON"), std::string::npos) << json_why.message;
}

}  // namespace
}  // namespace colead::protocol
