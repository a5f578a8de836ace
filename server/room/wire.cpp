#include "room/wire.hpp"

#include "room/op_components.hpp"

namespace colead::room {

v1::Error::Code wire_code(const status& refusal) {
  switch (refusal.code()) {
    case error_code::invalid_op:
      return v1::Error::INVALID_OP;
    case error_code::too_large:
      return v1::Error::TOO_LARGE;
    case error_code::bad_revision:
      return v1::Error::BAD_REVISION;
    case error_code::not_allowed:
    case error_code::wrong_state:
    case error_code::invalid_argument:
      return v1::Error::NOT_ALLOWED;
    case error_code::not_found:
      return v1::Error::NOT_FOUND;
    default:
      return v1::Error::INTERNAL;
  }
}

ot::result<ot::text_operation> op_from_wire(const wire_op& components) {
  return op_from_components(components);
}

void op_to_wire(const ot::text_operation& op, wire_op* out) {
  op_to_components(op, out);
}

void settings_to_wire(const room_settings& settings, v1::RoomSettings* out) {
  out->set_reflection_target_pct(settings.reflection_target_pct);
  out->set_nudge_lead_minutes(settings.nudge_lead_minutes);
  out->set_auto_reflect(settings.auto_reflect);
  out->set_advance_when_ready(settings.advance_when_ready);
  out->set_share_with_cohort(settings.share_with_cohort);
  out->set_share_changed_by(settings.share_changed_by);
  out->set_share_changed_at_ms(settings.share_changed_at_ms);
}

void agreed_to_wire(const agreed_version& version, v1::AgreedVersion* out) {
  out->set_rev(version.rev);
  out->set_text(version.text);
  for (const auto& m : version.agreed_by)
    out->add_agreed_by(m);
  out->set_proposed_by(version.proposed_by);
  out->set_at_ms(version.at_ms);
}

agreed_version agreed_from_wire(const v1::AgreedVersion& version) {
  agreed_version out;
  out.rev = version.rev();
  out.text = version.text();
  out.agreed_by.assign(version.agreed_by().begin(), version.agreed_by().end());
  out.proposed_by = version.proposed_by();
  out.at_ms = version.at_ms();
  return out;
}

v1::DocumentState document_to_wire(const document_state& doc, bool with_text) {
  v1::DocumentState out;
  out.set_id(doc.id);
  out.set_title(doc.title);
  out.set_rev(doc.text.revision());
  if (with_text) {
    out.set_text(doc.text.text());
    for (const auto& run : doc.text.authorship()) {
      auto* r = out.add_authorship();
      r->set_author(run.author);
      r->set_length(static_cast<std::uint32_t>(run.length));
    }
  }
  if (!doc.agreed.empty()) agreed_to_wire(doc.agreed.back(), out.mutable_agreed());
  if (doc.proposal) agreed_to_wire(*doc.proposal, out.mutable_proposal());
  for (const auto& v : doc.agreed)
    agreed_to_wire(v, out.add_agreed_history());
  return out;
}

v1::Invite invite_to_wire(std::string_view public_url, std::string_view room_id, std::uint32_t seat,
                          std::string_view token, bool facilitator) {
  v1::Invite out;
  out.set_seat(seat);
  out.set_token(std::string(token));
  out.set_url(std::string(public_url).append("/r/").append(room_id).append("#t=").append(token));
  out.set_facilitator(facilitator);
  return out;
}

}  // namespace colead::room
