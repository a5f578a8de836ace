// The store's records of a room (room_records.hpp): every conversion between the wire's
// messages or the room's model and the stored bytes round-trips; what earlier servers stored
// (the wire's own messages) reads the same; the bytes written for a message are those an
// earlier server wrote for it; a room in a newer stored format is refused.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>

#include "colead/storage/v1/records.pb.h"
#include "room/room_records.hpp"

namespace colead::room {
namespace {

namespace storage = colead::storage::v1;
using google::protobuf::Message;

template <typename T>
T parsed(const std::string& text) {
  T out;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &out)) << text;
  return out;
}

// Fails unless every field of `m` is set, and of every message in it (one case of a oneof,
// the first element of a repeated field): the samples below must exercise every stored field.
void expect_every_field_set(const Message& m, const std::string& path = "") {
  const auto* d = m.GetDescriptor();
  const auto* r = m.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const auto* f = d->field(i);
    const auto name = path + f->name();
    if (f->containing_oneof() != nullptr) {
      EXPECT_TRUE(r->HasOneof(m, f->containing_oneof())) << name;
      continue;
    }
    if (f->is_repeated()) {
      EXPECT_GT(r->FieldSize(m, f), 0) << name;
      if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE &&
          r->FieldSize(m, f) > 0 && !f->is_map()) {
        expect_every_field_set(r->GetRepeatedMessage(m, f, 0), name + ".");
      }
      continue;
    }
    EXPECT_TRUE(r->HasField(m, f)) << name;
    if (f->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE && r->HasField(m, f))
      expect_every_field_set(r->GetMessage(m, f), name + ".");
  }
}

constexpr const char* note_text = R"(
  id: "n1" text: "We listen better" author: "m1" at_ms: 1700000000001 category: HOW_WE_WORK
  meeting_id: "k1" consult_id: "c1" takeaway: true personal: true version: 3 removed: true)";

constexpr const char* question_text = R"(
  id: "q1" text: "What would good look like?" author: "m2" phase: "Questions only"
  at_ms: 1700000000002 consult_id: "c1")";

v1::MeetingState sample_meeting() {
  return parsed<v1::MeetingState>(std::string(R"(
    meeting_id: "k1" mode: ENDED server_time_ms: 1700000000100 planned_ms: 1800000
    target_pct: 40 task_ms: 600000 reflection_ms: 300000 paused_ms: 1000 elapsed_ms: 901000
    remaining_ms: -5 share: 0.33 reflect_by_in_ms: 12 status: MISSED changed_by: "m1"
    auto_reflect: true title: "Monthly check-in" time_scale: 2.5 started_at_ms: 1700000000000
    end_on_time: true
    prompt { section: "The three role questions" text: "What did we learn?" index: 2 count: 9 }
    summary {
      meeting_id: "k1" title: "Monthly check-in" started_at_ms: 1700000000000
      ended_at_ms: 1700000900000 planned_ms: 1800000 task_ms: 600000 reflection_ms: 300000
      paused_ms: 1000 target_pct: 40 share: 0.33 met: true reason: "The ward round ran over."
      ended_by: "m2"
      notes {)") + note_text + R"( }
      purpose {
        id: "purpose" title: "Shared purpose" rev: 7 text: "Better care"
        agreed { rev: 5 text: "Better" agreed_by: "m1" proposed_by: "m2" at_ms: 3 }
        proposal { rev: 7 text: "Better care" agreed_by: "m2" proposed_by: "m2" at_ms: 4 }
        agreed_history { rev: 2 text: "Be" agreed_by: "m1" proposed_by: "m1" at_ms: 2 }
        authorship { author: "m1" length: 11 }
      }
      timeline { mode: REFLECTION from_ms: 10 to_ms: 20 by: "m1" }
    })");
}

v1::ConsultState sample_consult() {
  return parsed<v1::ConsultState>(std::string(R"(
    consult_id: "c1" script_id: "pair-consult" script_name: "Pair consult" active: true
    round: 2 presenter: "m1" phase_index: 1 server_time_ms: 1700000000200
    phase_remaining_ms: 4000 ready: "m2" paused: true presenter_turned_away: true
    changed_by: "m2" advance_when_ready: true time_scale: 300 status: "paused"
    round_count: 2 phase_rule: "questions only" waiting_for: "m1" facilitator: "m3"
    started_by: "m1" reflection_ms: 70 task_ms: 80 paused_by: "m2"
    stopped_reason: "the server restarted during this consult"
    roles {
      member_id: "m1" role: "presenter" role_name: "Presenter" prompt: "Describe it"
      speaks: true may_ask_questions: true may_write_notes: true may_edit_documents: true
      turned_away: true present: true ready: true kind: "presenter"
    }
    phases {
      title: "Questions only" minutes: 8 reflection: true speakers: "presenter"
      writers: "consultant" prompts { key: "consultant" value: "Ask open questions" }
      presenter_turned_away: true rule: "questions only" question_writers: "consultant"
      note_writers: "presenter" document_editors: "presenter"
    }
    questions {)") + question_text +
                                  R"( }
    takeaways { member_id: "m1" text: "Ask for help earlier" round: 1 phase: "What I take away" }
    process_notes { member_id: "m2" text: "We drifted" round: 2 phase: "Questions only" })");
}

// For each item kind: the conversion covers every stored field, round-trips, writes the bytes
// an earlier server wrote for the same message, and reads what it wrote.
template <typename Stored, typename Wire, typename Write, typename Read>
void expect_item_conversions(const Wire& sample, Write write, Read read) {
  const auto bytes = write(sample);
  Stored stored;
  ASSERT_TRUE(stored.ParseFromString(bytes));
  expect_every_field_set(stored);
  EXPECT_EQ(bytes, sample.SerializeAsString()) << "the stored bytes are not the earlier ones";
  Wire back;
  ASSERT_TRUE(read(bytes, back));
  EXPECT_EQ(back.SerializeAsString(), sample.SerializeAsString()) << back.DebugString();
  Wire earlier;
  ASSERT_TRUE(read(sample.SerializeAsString(), earlier));
  EXPECT_EQ(earlier.DebugString(), sample.DebugString());
  EXPECT_FALSE(read(std::string("\xff\xff\xff", 3), back));
}

TEST(StoredRecords, MeetingConverts) {
  expect_item_conversions<storage::Meeting>(sample_meeting(), stored_meeting, meeting_from_stored);
}

TEST(StoredRecords, NoteConverts) {
  expect_item_conversions<storage::Note>(parsed<v1::LearningNote>(note_text), stored_note,
                                         note_from_stored);
}

TEST(StoredRecords, QuestionConverts) {
  expect_item_conversions<storage::Question>(parsed<v1::QuestionAdded>(question_text),
                                             stored_question, question_from_stored);
}

TEST(StoredRecords, ConsultConverts) {
  expect_item_conversions<storage::Consult>(sample_consult(), stored_consult, consult_from_stored);
}

ot::text_operation operation(std::vector<ot::component> parts) {
  auto op = ot::text_operation::from_components(parts);
  EXPECT_TRUE(op) << op.error().message();
  return std::move(op.value());
}

TEST(StoredRecords, EditRoundTripsAndReadsTheEarlierAppliedMessage) {
  ot::applied_edit edit;
  edit.rev = 9;
  edit.op = operation({ot::component::retain(2), ot::component::remove(1),
                       ot::component::insert("💙 x"), ot::component::retain(4)});
  edit.edit_id = "e9";
  edit.author = "m2";
  edit.at_ms = 1700000000300;
  edit.base_rev = 6;
  const auto record = op_record_of("r1", "purpose", edit);
  // The stored edit has the wire Applied's layout (of the operation in its normal form, an
  // insert before a delete at the same place), the base revision included.
  const auto same = parsed<v1::Applied>(R"(
    doc: "purpose" rev: 9 op { retain: 2 } op { insert: "💙 x" } op { delete: 1 }
    op { retain: 4 } author: "m2" edit_id: "e9" at_ms: 1700000000300 base_rev: 6)");
  EXPECT_EQ(record.op, same.SerializeAsString());
  storage::Edit stored;
  ASSERT_TRUE(stored.ParseFromString(record.op));
  expect_every_field_set(stored);
  // What an earlier server stored: the wire's Applied without a base revision. Such an edit
  // lost every tie to later edits, as one made on rev - 1 does, so it reads back as that.
  const auto earlier = parsed<v1::Applied>(R"(
    doc: "purpose" rev: 9 op { retain: 2 } op { insert: "💙 x" } op { delete: 1 }
    op { retain: 4 } author: "m2" edit_id: "e9" at_ms: 1700000000300)");
  for (const auto& [bytes, base] : {std::pair{record.op, std::uint64_t{6}},
                                    std::pair{earlier.SerializeAsString(), std::uint64_t{8}}}) {
    auto from = record;
    from.op = bytes;
    ot::applied_edit back;
    ASSERT_TRUE(applied_from_record(from, back));
    EXPECT_EQ(back.rev, 9u);
    EXPECT_EQ(back.op, edit.op);
    EXPECT_EQ(back.edit_id, "e9");
    EXPECT_EQ(back.author, "m2");
    EXPECT_EQ(back.at_ms, 1700000000300);
    EXPECT_EQ(back.base_rev, base);
  }
  auto broken = record;
  broken.op = parsed<v1::Applied>("op { }").SerializeAsString();
  ot::applied_edit ignored;
  EXPECT_FALSE(applied_from_record(broken, ignored));
}

// A room of one document, stored as an earlier server stored it: settings as the wire's
// RoomSettings, erasure requests as a RoomChanged, agreed versions and authorship as
// DocumentStates, the edit as an Applied.
store::room_image earlier_image() {
  store::room_image image;
  image.room.id = "r1";
  image.room.title = "Pair";
  image.room.seats = 2;
  image.room.created_at_ms = 1700000000000;
  image.room.settings = parsed<v1::RoomSettings>(
                            "reflection_target_pct: 50 nudge_lead_minutes: 10 auto_reflect: true "
                            "advance_when_ready: false")
                            .SerializeAsString();
  image.room.state = parsed<v1::RoomChanged>(R"(erase_confirmed_by: "m2")").SerializeAsString();
  store::document_image doc;
  doc.document.room_id = "r1";
  doc.document.doc_id = "purpose";
  doc.document.title = "Shared purpose";
  doc.document.meta = parsed<v1::DocumentState>(R"(
    proposal { rev: 2 text: "Be care" agreed_by: "m2" proposed_by: "m2" at_ms: 4 }
    agreed_history { rev: 1 text: "Be" agreed_by: "m1" agreed_by: "m2" proposed_by: "m1"
                     at_ms: 2 })")
                          .SerializeAsString();
  doc.snapshot = store::snapshot_record{
      "r1", "purpose", 1, "Be",
      parsed<v1::DocumentState>(R"(authorship { author: "m1" length: 2 })").SerializeAsString()};
  doc.ops.push_back(store::op_record{
      "r1", "purpose", 2, "m2", "e2", 3,
      parsed<v1::Applied>(R"(doc: "purpose" rev: 2 op { retain: 2 } op { insert: " care" }
                             author: "m2" edit_id: "e2" at_ms: 3)")
          .SerializeAsString()});
  image.documents.push_back(std::move(doc));
  return image;
}

TEST(StoredRecords, RoomWrittenBeforeStoredRecordsLoads) {
  room_model model;
  std::string error;
  ASSERT_TRUE(model_from_image(earlier_image(), {}, model, error)) << error;
  EXPECT_EQ(model.settings.reflection_target_pct, 50u);
  EXPECT_EQ(model.settings.nudge_lead_minutes, 10u);
  EXPECT_TRUE(model.settings.auto_reflect);
  EXPECT_FALSE(model.settings.advance_when_ready);
  EXPECT_EQ(model.erase_confirmed_by, std::vector<std::string>{"m2"});
  ASSERT_EQ(model.docs.size(), 1u);
  const auto& doc = model.docs[0];
  EXPECT_EQ(doc.text.text(), "Be care");
  EXPECT_EQ(doc.text.revision(), 2u);
  ASSERT_TRUE(doc.proposal.has_value());
  EXPECT_EQ(doc.proposal->text, "Be care");
  EXPECT_EQ(doc.proposal->agreed_by, std::vector<std::string>{"m2"});
  ASSERT_EQ(doc.agreed.size(), 1u);
  EXPECT_EQ(doc.agreed[0].agreed_by, (std::vector<std::string>{"m1", "m2"}));
  EXPECT_EQ(doc.agreed[0].at_ms, 2);
  const auto runs = doc.text.authorship();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0], (ot::authorship_run{"m1", 2}));
  EXPECT_EQ(runs[1], (ot::authorship_run{"m2", 5}));
}

TEST(StoredRecords, RoomRoundTripsAndKeepsTheEarlierBytesButTheFormat) {
  const auto earlier = earlier_image();
  room_model model;
  std::string error;
  ASSERT_TRUE(model_from_image(earlier, {}, model, error)) << error;
  EXPECT_EQ(model.facilitator_seat, 0u) << "rooms stored before facilitator seats have none";
  model.facilitator_seat = 2;
  store::room_image image = earlier;
  image.room = room_record_of(model, 1700000000500);
  image.documents[0].document = document_record_of("r1", model.docs[0]);
  image.documents[0].snapshot =
      snapshot_record_of("r1", "purpose", model.docs[0].text.current_snapshot());
  image.documents[0].ops.clear();
  // Settings and agreed versions are stored as before; the state adds its format (and the
  // facilitator seat).
  EXPECT_EQ(image.room.settings, earlier.room.settings);
  EXPECT_EQ(image.documents[0].document.meta, earlier.documents[0].document.meta);
  storage::RoomState state;
  ASSERT_TRUE(state.ParseFromString(image.room.state));
  EXPECT_EQ(state.format(), stored_format);
  expect_every_field_set(state);
  storage::Document authorship;
  ASSERT_TRUE(authorship.ParseFromString(image.documents[0].snapshot->authorship));
  EXPECT_EQ(authorship.authorship_size(), 2);
  room_model again;
  ASSERT_TRUE(model_from_image(image, {}, again, error)) << error;
  EXPECT_EQ(again.settings.reflection_target_pct, 50u);
  EXPECT_EQ(again.erase_confirmed_by, model.erase_confirmed_by);
  EXPECT_EQ(again.facilitator_seat, 2u);
  EXPECT_EQ(again.docs[0].text.text(), "Be care");
  EXPECT_EQ(again.docs[0].text.authorship(), model.docs[0].text.authorship());
  EXPECT_EQ(again.docs[0].proposal->agreed_by, model.docs[0].proposal->agreed_by);
  EXPECT_EQ(again.docs[0].agreed[0].text, "Be");
}

TEST(StoredRecords, RoomInANewerFormatIsRefusedWithTheReason) {
  auto image = earlier_image();
  storage::RoomState state;
  state.set_format(stored_format + 1);
  image.room.state = state.SerializeAsString();
  room_model model;
  std::string error;
  EXPECT_FALSE(model_from_image(image, {}, model, error));
  EXPECT_NE(error.find("stored format 2"), std::string::npos) << error;
  EXPECT_NE(error.find("newer server"), std::string::npos) << error;
}

}  // namespace
}  // namespace colead::room
