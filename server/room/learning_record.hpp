// The learning record of a room: what a pair or trio can take to their board. Built from
// what the store holds (so it is exactly what is durable) and rendered as JSON (RoomExport)
// or Markdown. Pure: no I/O.
#pragma once

#include <map>
#include <string>

#include "colead/v1/colead.pb.h"
#include "store/records.hpp"

namespace colead::room {

// Revisions per author of one document, as read from its stored ops.
using revision_counts = std::map<std::string, std::uint32_t>;

// The record of `image` as seen by `member_id` (whose personal notes are included; nobody
// else's are). `revisions` maps a document id to its authors' revision counts. Returns false
// with `error` when the stored documents do not replay.
bool build_learning_record(const store::room_image& image,
                           const std::map<std::string, revision_counts>& revisions,
                           const std::string& member_id, std::int64_t now_ms, v1::RoomExport& out,
                           std::string& error);

// A note's category as every page and export shows it: unspecified, and any number the
// schema does not name (from an older or a misbehaving client), is OTHER.
v1::LearningNote::Category shown_category(int category);

// The record as a Markdown document. Members' text is escaped (markdown_text.hpp): it cannot
// make headings, links, HTML or scripts.
std::string render_markdown(const v1::RoomExport& record);

}  // namespace colead::room
