// Conversions between the wire schema (colead.v1) and the room's domain types: the one
// place where protobuf messages become OT operations and documents become messages.
#pragma once

#include <google/protobuf/repeated_ptr_field.h>

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

// A document as the room shows it. `with_text` adds the text and authorship (welcome);
// without it only identity, title and agreed versions go (documents list changes).
v1::DocumentState document_to_wire(const document_state& doc, bool with_text);

// The room's shared settings as the wire shows them.
void settings_to_wire(const room_settings& settings, v1::RoomSettings* out);

void agreed_to_wire(const agreed_version& version, v1::AgreedVersion* out);
agreed_version agreed_from_wire(const v1::AgreedVersion& version);

}  // namespace colead::room
