// What the store keeps, as plain data. Payload fields hold the room's stored records
// (colead.storage.v1, protocol/colead/storage/v1/records.proto, written and read only by
// room/room_records.cpp) as opaque bytes, so the store knows nothing of room logic and a
// second backend stores exactly the same records.
//
// Identifiers (room, cohort, document, item ids, member ids, edit ids) are 1 to 64 characters of
// [A-Za-z0-9_-]; `valid_id` checks them. Item kinds are 1 to 32 characters of [a-z_].
// Times are wall-clock Unix milliseconds supplied by the caller; the store reads no clock.
//
// Thread safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace colead::store {

// A room: the persistent space of one pair, trio or set.
struct room_record {
  std::string id;                   // room id
  std::string title;                // what the room is for
  std::uint32_t seats = 0;          // number of seats (2 to 8 in the product; 1..64 stored)
  std::int64_t created_at_ms = 0;   // kept from the first put_room; later puts cannot move it
  std::int64_t last_active_ms = 0;  // last time anything happened in the room (touch_room)
  std::string settings;             // the room's settings, opaque bytes (the room layer's)
  std::string state;                // room-level state of the room layer (erasure requests,
                                    // organiser key hash, ...), opaque bytes
  friend bool operator==(const room_record&, const room_record&) = default;
};

// SHA-256 of a seat's invite token. The token itself is never stored.
using sha256_digest = std::array<std::uint8_t, 32>;

// One seat of a room and the member who holds it.
struct seat_record {
  std::string room_id;         // the room
  std::uint32_t seat = 0;      // 1-based seat number
  sha256_digest token_hash{};  // SHA-256 of the seat's invite token
  std::string member_id;       // stable member id (author id of their edits)
  std::string name;            // display name; empty until the seat is first taken
  std::string role;            // context role the member states
  bool joined = false;         // true once someone joined with the token
  friend bool operator==(const seat_record&, const seat_record&) = default;
};

// A document's identity; its text lives in snapshots and ops.
struct document_record {
  std::string room_id;        // the room
  std::string doc_id;         // document id
  std::string title;          // e.g. "Shared purpose"
  std::int64_t position = 0;  // display order within the room, ascending
  bool removed = false;       // removed from the room's list; history kept until erasure
  std::string meta;           // serialised agreed versions, proposal, ... (opaque bytes)
  friend bool operator==(const document_record&, const document_record&) = default;
};

// One applied edit: the op that took the document from rev-1 to rev.
struct op_record {
  std::string room_id;     // the room
  std::string doc_id;      // the document
  std::uint64_t rev = 0;   // the revision this op made (1 for the first edit)
  std::string author;      // member id of the author
  std::string edit_id;     // the author's edit id, unique within the document, never empty
  std::int64_t at_ms = 0;  // when it was applied
  std::string op;          // serialised colead.v1.Applied (or its repeated OpComponent)
  friend bool operator==(const op_record&, const op_record&) = default;
};

// A document's whole text at one revision, so loading does not replay the full history.
struct snapshot_record {
  std::string room_id;     // the room
  std::string doc_id;      // the document
  std::uint64_t rev = 0;   // the revision the text is at (0: before any edit)
  std::string text;        // UTF-8 text at `rev`
  std::string authorship;  // serialised author runs of `text` (opaque bytes)
  friend bool operator==(const snapshot_record&, const snapshot_record&) = default;
};

// A versioned item of a room: a note, a meeting, a consult, a question, an event.
// Keyed by (room_id, kind, item_id); each put of a newer version moves the previous one into
// the item's history, so nothing written is overwritten.
struct item_record {
  std::string room_id;        // the room
  std::string kind;           // "note", "meeting", "consult", "question", "event", ...
  std::string item_id;        // id within (room, kind)
  std::uint64_t version = 0;  // grows with every put of the item
  std::int64_t at_ms = 0;     // when this version was written
  std::string payload;        // the item, opaque bytes (the room layer's record of it)
  friend bool operator==(const item_record&, const item_record&) = default;
};

// A document as loaded: its record, the latest snapshot and every op after it, in order.
// Replaying `ops` on `snapshot` (or on the empty text at rev 0 when there is no snapshot)
// gives the current text; the current revision is ops.back().rev, or the snapshot's rev.
struct document_image {
  document_record document;
  std::optional<snapshot_record> snapshot;
  std::vector<op_record> ops;
};

// A room as loaded, enough to rebuild it on any node.
struct room_image {
  room_record room;
  std::vector<seat_record> seats;         // by seat number
  std::vector<document_image> documents;  // by position, then id (removed ones included)
  std::vector<item_record> items;         // latest versions, by kind, then first write
};

// A cohort: a programme's group of rooms (an action-learning set, a cohort of pairs) with
// its own facilitators. A room is in at most one cohort.
struct cohort_record {
  std::string id;                  // cohort id
  std::string title;               // what the programme is
  std::int64_t created_at_ms = 0;  // kept from the first put_cohort; later puts cannot move it
  std::string state;               // cohort-level state of the room layer, opaque bytes
  friend bool operator==(const cohort_record&, const cohort_record&) = default;
};

// One facilitator of a cohort. Facilitator tokens are their own: never a seat's.
struct facilitator_record {
  std::string cohort_id;       // the cohort
  std::uint32_t number = 0;    // 1-based facilitator number within the cohort
  sha256_digest token_hash{};  // SHA-256 of the facilitator's token (a new one on rotation)
  std::string name;            // the facilitator's name
  friend bool operator==(const facilitator_record&, const facilitator_record&) = default;
};

// A room's place in a cohort.
struct cohort_room_record {
  std::string cohort_id;      // the cohort
  std::string room_id;        // the room, in no other cohort
  std::int64_t position = 0;  // order within the cohort, ascending
  friend bool operator==(const cohort_room_record&, const cohort_room_record&) = default;
};

// A versioned item of a cohort ("raised", "answer", "group", "proposal", ...), stored exactly
// as a room's items are: keyed by (cohort_id, kind, item_id), each newer version moving the
// previous one into the history. item_id is an id, or two ids joined by one '.'
// ("<proposal id>.<room id>"); `valid_cohort_item_id` checks it.
struct cohort_item_record {
  std::string cohort_id;      // the cohort
  std::string kind;           // what the item is
  std::string item_id;        // id within (cohort, kind)
  std::uint64_t version = 0;  // grows with every put of the item
  std::int64_t at_ms = 0;     // when this version was written
  std::string payload;        // the item, opaque bytes
  friend bool operator==(const cohort_item_record&, const cohort_item_record&) = default;
};

// A cohort as loaded.
struct cohort_image {
  cohort_record cohort;
  std::vector<facilitator_record> facilitators;  // by number
  std::vector<cohort_room_record> rooms;         // by position, then room id
  std::vector<cohort_item_record> items;         // latest versions, by kind, then first write
};

// True when `id` is 1 to 64 characters of [A-Za-z0-9_-]: safe in a path, a query, a log line.
bool valid_id(std::string_view id);

// True when `id` is a valid id, or two valid ids joined by one '.'.
bool valid_cohort_item_id(std::string_view id);

// True when `kind` is 1 to 32 characters of [a-z_].
bool valid_kind(std::string_view kind);

}  // namespace colead::store
