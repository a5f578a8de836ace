// Conversions between a room's model and the store's records: what is written when a room
// changes, and how a room is rebuilt from what was stored (on any node).
#pragma once

#include <string>

#include "ot/server.hpp"
#include "room/room_model.hpp"
#include "store/records.hpp"
#include "store/write_batch.hpp"

namespace colead::room {

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
// stored history does not replay (a damaged store).
bool model_from_image(const store::room_image& image, const ot::server_options& options,
                      room_model& out, std::string& error);

// The applied edit stored in an op record; false when its payload does not parse.
bool applied_from_record(const store::op_record& record, ot::applied_edit& out);

}  // namespace colead::room
