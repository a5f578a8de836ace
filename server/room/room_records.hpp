// Conversions between a room's model and the store's records: what is written when a room
// changes, and how a room is rebuilt from what was stored (on any node).
//
// The store keeps bytes it does not read; their format is the storage schema
// (protocol/colead/storage/v1/records.proto), and this is the one place that converts
// between it and the room's model or the wire's messages, field by field, so a change on the
// wire is never a change of what is stored. docs/architecture.md, "Stored records".
#pragma once

#include <cstdint>
#include <string>

#include "colead/v1/colead.pb.h"
#include "ot/server.hpp"
#include "room/room_model.hpp"
#include "store/records.hpp"
#include "store/write_batch.hpp"

namespace colead::room {

// The stored format this server writes (in the room's state record) and the newest it reads.
// A room written in a newer format is refused when it loads, rather than misread.
inline constexpr std::uint32_t stored_format = 1;

store::room_record room_record_of(const room_model& model, std::int64_t now_ms);
store::seat_record seat_record_of(const std::string& room_id, const seat_model& seat);
store::document_record document_record_of(const std::string& room_id, const document_state& doc);
store::op_record op_record_of(const std::string& room_id, const std::string& doc_id,
                              const ot::applied_edit& edit);
store::snapshot_record snapshot_record_of(const std::string& room_id, const std::string& doc_id,
                                          const ot::snapshot& snap);

// Everything a new room writes: the room, its seats and its documents.
store::write_batch creation_batch(const room_model& model, std::int64_t now_ms);

// Rebuilds a room from its stored image. Fails with a message naming the document whose
// stored history does not replay (a damaged store), or the format when the room was written
// by a newer server.
bool model_from_image(const store::room_image& image, const ot::server_options& options,
                      room_model& out, std::string& error);

// The applied edit stored in an op record; false when its payload does not parse.
bool applied_from_record(const store::op_record& record, ot::applied_edit& out);

// The payloads of a room's items (store::item_record): a meeting as it stood when last
// changed, a learning-log note, a consult's question, a consult as it stood. Each
// `*_from_stored` sets `out` and returns true, or returns false when `bytes` do not parse.
std::string stored_meeting(const v1::MeetingState& meeting);
bool meeting_from_stored(const std::string& bytes, v1::MeetingState& out);
std::string stored_note(const v1::LearningNote& note);
bool note_from_stored(const std::string& bytes, v1::LearningNote& out);
std::string stored_question(const v1::QuestionAdded& question);
bool question_from_stored(const std::string& bytes, v1::QuestionAdded& out);
std::string stored_consult(const v1::ConsultState& consult);
bool consult_from_stored(const std::string& bytes, v1::ConsultState& out);

// A facilitator's message or call of time that reached the room (an "event" item).
std::string stored_event(const v1::Nudge& nudge);
bool event_from_stored(const std::string& bytes, v1::Nudge& out);

// A facilitator's proposal as the room answers it (a "proposal" item, keyed by its id).
struct proposal_answer {
  v1::ScriptProposal proposal;      // as proposed, with the members who accepted so far
  std::string answer;               // "" while open, then "accepted" or "declined"
  std::string answered_by;          // the last to accept, or who declined
  std::int64_t answered_at_ms = 0;  // when, wall clock
};
std::string stored_proposal(const proposal_answer& proposal);
bool proposal_from_stored(const std::string& bytes, proposal_answer& out);

}  // namespace colead::room
