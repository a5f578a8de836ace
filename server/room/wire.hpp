// Conversions between the wire schema (colead.v1) and the room's domain types: the one
// place where protobuf messages become OT operations and documents become messages.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

#include "colead/status.hpp"
#include "colead/v1/colead.pb.h"
#include "ot/text_operation.hpp"
#include "room/document.hpp"
#include "room/room_model.hpp"

namespace colead::room {

using wire_op = google::protobuf::RepeatedPtrField<v1::OpComponent>;

// An operation from untrusted wire components; INVALID_OP naming the component otherwise.
ot::result<ot::text_operation> op_from_wire(const wire_op& components);

// Writes `op` as wire components into `out` (cleared first).
void op_to_wire(const ot::text_operation& op, wire_op* out);

// The wire's error code for a refusal (INVALID_OP, TOO_LARGE, BAD_REVISION, NOT_ALLOWED,
// NOT_FOUND; INTERNAL for what a member cannot act on).
v1::Error::Code wire_code(const status& refusal);

// A document as the room shows it. `with_text` adds the text and authorship (welcome);
// without it only identity, title and agreed versions go (documents list changes).
v1::DocumentState document_to_wire(const document_state& doc, bool with_text);

// The room's shared settings as the wire shows them.
void settings_to_wire(const room_settings& settings, v1::RoomSettings* out);

// A seat's invite: its number, the token (shown once) and the link, whose fragment carries
// the token (browsers never send a fragment to a server). `facilitator` marks the seat kept
// for the set's facilitator.
v1::Invite invite_to_wire(std::string_view public_url, std::string_view room_id, std::uint32_t seat,
                          std::string_view token, bool facilitator);

void agreed_to_wire(const agreed_version& version, v1::AgreedVersion* out);
agreed_version agreed_from_wire(const v1::AgreedVersion& version);

}  // namespace colead::room
