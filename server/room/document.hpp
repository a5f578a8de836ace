// A document of a room: a short shared text (the shared purpose, the shared principles, ...)
// with its OT authority, and the versions its members agreed to.
//
// Thread safety: none; owned by a room and used on its strand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ot/server.hpp"

namespace colead::room {

// A revision every member agreed to (or, as a proposal, is agreeing to).
struct agreed_version {
  std::uint64_t rev = 0;               // the revision
  std::string text;                    // its text
  std::vector<std::string> agreed_by;  // member ids, in the order they agreed
  std::string proposed_by;             // who proposed it
  std::int64_t at_ms = 0;              // when proposed, then when agreed (wall clock)
};

struct document_state {
  std::string id;             // path-safe id
  std::string title;          // e.g. "Shared purpose"
  std::int64_t position = 0;  // display order
  bool removed = false;       // removed from the room's list (history kept)
  ot::server text;            // text, revision, history, authorship
  // The last revision every connection has been told of (its `applied` left the outbox).
  // Edits after it are durable-pending; a joining member is shown the text at this revision
  // and receives the later ones as `applied`, in order, like everyone else.
  std::uint64_t announced_rev = 0;
  std::optional<agreed_version> proposal;  // a proposal in progress
  std::vector<agreed_version> agreed;      // agreed versions, oldest first
};

}  // namespace colead::room
