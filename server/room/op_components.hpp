// A text operation as a list of protobuf components, each exactly one of retain, insert and
// delete: the form both the wire (colead.v1.OpComponent) and the store
// (colead.storage.v1.OpComponent) use. Templates over the component message, so the two
// schemas share one conversion without sharing a type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ot/text_operation.hpp"

namespace colead::room {

// An operation from untrusted components (a RepeatedPtrField of either OpComponent);
// INVALID_OP naming the component that is none of the three, or what from_components finds.
template <typename Components>
ot::result<ot::text_operation> op_from_components(const Components& components) {
  using part = typename Components::value_type;
  std::vector<ot::component> parts;
  parts.reserve(static_cast<std::size_t>(components.size()));
  for (int i = 0; i < components.size(); ++i) {
    const auto& c = components.Get(i);
    switch (c.component_case()) {
      case part::kRetain:
        parts.push_back(ot::component::retain(c.retain()));
        break;
      case part::kInsert:
        parts.push_back({ot::component_kind::insert, 0, c.insert()});
        break;
      case part::kDelete:
        parts.push_back(ot::component::remove(c.delete_()));
        break;
      default:
        return ot::status::invalid_op("component " + std::to_string(i + 1) +
                                      " of the operation is none of retain, insert, delete");
    }
  }
  return ot::text_operation::from_components(parts);
}

// Writes `op` as components into `out` (cleared first).
template <typename Components>
void op_to_components(const ot::text_operation& op, Components* out) {
  out->Clear();
  for (const auto& c : op.components()) {
    auto* w = out->Add();
    switch (c.kind) {
      case ot::component_kind::retain:
        w->set_retain(static_cast<std::uint32_t>(c.count));
        break;
      case ot::component_kind::insert:
        w->set_insert(c.text);
        break;
      case ot::component_kind::remove:
        w->set_delete_(static_cast<std::uint32_t>(c.count));
        break;
    }
  }
}

}  // namespace colead::room
