#include "client/shared_document.hpp"

#include <algorithm>

#include "ot/utf8.hpp"

namespace colead::client {

namespace {

ot::result<ot::text_operation> op_of(
    const google::protobuf::RepeatedPtrField<v1::OpComponent>& wire) {
  std::vector<ot::component> parts;
  for (const auto& c : wire) {
    if (c.has_retain())
      parts.push_back(ot::component::retain(c.retain()));
    else if (c.has_insert())
      parts.push_back({ot::component_kind::insert, 0, c.insert()});
    else if (c.has_delete_())
      parts.push_back(ot::component::remove(c.delete_()));
  }
  return ot::text_operation::from_components(parts);
}

}  // namespace

shared_document::shared_document(std::string doc_id, std::string client_id)
    : doc_id_(std::move(doc_id)), client_id_(client_id), client_(std::move(client_id), 0, 0) {}

std::optional<v1::ClientMessage> shared_document::message_for(
    const std::optional<ot::outgoing_edit>& edit) {
  if (!edit) return std::nullopt;
  v1::ClientMessage m;
  auto* e = m.mutable_edit();
  e->set_doc(doc_id_);
  e->set_base_rev(edit->base_rev);
  e->set_edit_id(edit->edit_id);
  for (const auto& c : edit->op.components()) {
    auto* w = e->add_op();
    if (c.kind == ot::component_kind::retain) w->set_retain(static_cast<std::uint32_t>(c.count));
    if (c.kind == ot::component_kind::insert) w->set_insert(c.text);
    if (c.kind == ot::component_kind::remove) w->set_delete_(static_cast<std::uint32_t>(c.count));
  }
  return m;
}

std::optional<v1::ClientMessage> shared_document::welcome(const v1::DocumentState& state) {
  if (!state.catching_up()) {
    // Start again from the server's text; whatever was unacknowledged is lost to this
    // replica (the server keeps everything it acknowledged).
    text_ = state.text();
    client_ = ot::client(client_id_ + "r" + std::to_string(state.rev()), state.rev(),
                         ot::utf8::count_code_points(text_));
    caret_ = std::min(caret_, client_.length());
    catching_up_ = false;
    resend_pending_ = false;
    return std::nullopt;
  }
  catch_up_to_ = state.rev();
  catching_up_ = true;
  resend_pending_ = !synchronized();
  return resend_if_caught_up();
}

std::optional<v1::ClientMessage> shared_document::resend_if_caught_up() {
  if (catching_up_ && client_.revision() < catch_up_to_) return std::nullopt;
  catching_up_ = false;
  if (!resend_pending_) return std::nullopt;
  resend_pending_ = false;
  // The same edit id: if the server had applied it we would have seen it while catching up.
  return message_for(client_.unconfirmed());
}

ot::result<std::optional<v1::ClientMessage>> shared_document::edit(const ot::text_operation& op) {
  auto next = op.apply(text_);
  if (!next) return next.error();
  auto sent = client_.apply_local(op);
  if (!sent) return sent.error();
  text_ = std::move(next.value());
  caret_ = ot::transform_position(caret_, op, ot::caret_gravity::after_insert);
  // While catching up after a reconnect the edit waits in the client; it goes out then.
  if (catching_up_) {
    if (sent.value()) resend_pending_ = true;
    return std::optional<v1::ClientMessage>{};
  }
  return message_for(sent.value());
}

void shared_document::place_caret(std::size_t position) {
  caret_ = std::min(position, client_.length());
}

ot::result<std::optional<v1::ClientMessage>> shared_document::type(std::string_view text) {
  const std::size_t length = client_.length();
  ot::text_operation op;
  op.retain(caret_).insert(text).retain(length - caret_);
  return edit(op);
}

ot::result<std::optional<v1::ClientMessage>> shared_document::receive(
    const v1::ServerMessage& message) {
  if (message.has_applied() && message.applied().doc() == doc_id_) {
    const auto& a = message.applied();
    if (a.rev() <= client_.revision()) return std::optional<v1::ClientMessage>{};
    auto op = op_of(a.op());
    if (!op) return op.error();
    auto step = client_.on_applied(op.value(), a.rev(), a.edit_id(), a.base_rev());
    if (!step) return step.error();
    if (step->apply) {
      auto next = step->apply->apply(text_);
      if (!next) return next.error();
      text_ = std::move(next.value());
      // Text others insert exactly at the caret stays after it.
      caret_ = ot::transform_position(caret_, *step->apply, ot::caret_gravity::before_insert);
    }
    if (catching_up_) {
      if (step->send) resend_pending_ = true;
      return resend_if_caught_up();
    }
    return message_for(step->send);
  }
  if (message.has_ack() && message.ack().doc() == doc_id_ && !synchronized() &&
      message.ack().edit_id() == client_.outstanding_edit_id()) {
    if (message.ack().rev() <= client_.revision()) return std::optional<v1::ClientMessage>{};
    auto next = client_.on_ack(message.ack().rev());
    if (!next) return next.error();
    return message_for(next.value());
  }
  return std::optional<v1::ClientMessage>{};
}

}  // namespace colead::client
