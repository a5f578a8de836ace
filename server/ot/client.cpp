#include "ot/client.hpp"

#include <utility>

namespace colead::ot {

client::client(std::string client_id, std::uint64_t revision, std::size_t length)
    : client_id_(std::move(client_id)), revision_(revision), length_(length) {}

const text_operation* client::outstanding() const {
  return state_ == state::synchronized ? nullptr : &outstanding_;
}

const text_operation* client::buffer() const {
  return state_ == state::awaiting_with_buffer ? &buffer_ : nullptr;
}

std::optional<outgoing_edit> client::unconfirmed() {
  if (state_ == state::synchronized) return std::nullopt;
  sent_base_ = revision_;
  return outgoing_edit{revision_, outstanding_, outstanding_id_};
}

std::string client::next_edit_id() {
  return client_id_ + "-" + std::to_string(next_edit_++);
}

status client::check_next(std::uint64_t rev, std::string_view what) const {
  if (rev == revision_ + 1) return status::ok();
  return status::bad_revision(std::string(what) + " names revision " + std::to_string(rev) +
                              " but the client is at revision " + std::to_string(revision_) +
                              " and expects " + std::to_string(revision_ + 1));
}

result<std::optional<outgoing_edit>> client::apply_local(const text_operation& op) {
  if (op.base_length() != length_) {
    return status::invalid_op("local edit covers " + std::to_string(op.base_length()) +
                              " characters but the local text has " + std::to_string(length_));
  }
  if (op.is_noop()) return std::optional<outgoing_edit>();
  switch (state_) {
    case state::synchronized:
      outstanding_ = op;
      outstanding_id_ = next_edit_id();
      state_ = state::awaiting_confirm;
      sent_base_ = revision_;
      length_ = op.target_length();
      return std::optional<outgoing_edit>(outgoing_edit{revision_, op, outstanding_id_});
    case state::awaiting_confirm:
      buffer_ = op;
      state_ = state::awaiting_with_buffer;
      break;
    case state::awaiting_with_buffer: {
      result<text_operation> composed = compose(buffer_, op);
      if (!composed) return composed.error().with_context("local edit");
      buffer_ = std::move(composed).value();
      break;
    }
  }
  length_ = op.target_length();
  return std::optional<outgoing_edit>();
}

result<std::optional<outgoing_edit>> client::on_ack(std::uint64_t rev) {
  if (state_ == state::synchronized) {
    return status::bad_revision("acknowledgement of revision " + std::to_string(rev) +
                                " arrived while no edit was awaiting one");
  }
  if (status s = check_next(rev, "acknowledgement"); !s) return s;
  revision_ = rev;
  if (state_ == state::awaiting_confirm) {
    state_ = state::synchronized;
    outstanding_ = text_operation();
    outstanding_id_.clear();
    return std::optional<outgoing_edit>();
  }
  // The buffer was made on top of the acknowledged edit, so it is based on `rev` already.
  // Edits that undid each other (typing, then deleting it) leave a buffer that changes
  // nothing: there is nothing to send, and the server refuses an edit that changes nothing.
  if (buffer_.is_noop()) {
    state_ = state::synchronized;
    outstanding_ = text_operation();
    buffer_ = text_operation();
    outstanding_id_.clear();
    return std::optional<outgoing_edit>();
  }
  outstanding_ = std::move(buffer_);
  buffer_ = text_operation();
  outstanding_id_ = next_edit_id();
  state_ = state::awaiting_confirm;
  sent_base_ = revision_;
  return std::optional<outgoing_edit>(outgoing_edit{revision_, outstanding_, outstanding_id_});
}

result<text_operation> client::on_remote(const text_operation& op, std::uint64_t rev,
                                         std::uint64_t base_rev) {
  if (status s = check_next(rev, "remote edit"); !s) return s;
  const std::string where = "remote edit for revision " + std::to_string(rev);
  switch (state_) {
    case state::synchronized:
      if (op.base_length() != length_) {
        return status::invalid_op(where + " covers " + std::to_string(op.base_length()) +
                                  " characters but the local text has " + std::to_string(length_));
      }
      revision_ = rev;
      length_ = op.target_length();
      return op;
    case state::awaiting_confirm: {
      auto pair = transform(outstanding_, op, tie_break(sent_base_, base_rev));
      if (!pair) return pair.error().with_context(where);
      revision_ = rev;
      outstanding_ = std::move(pair->first);
      length_ = pair->second.target_length();
      return std::move(pair->second);
    }
    case state::awaiting_with_buffer: {
      auto first = transform(outstanding_, op, tie_break(sent_base_, base_rev));
      if (!first) return first.error().with_context(where);
      auto second = transform(buffer_, first->second, applied_first::a);
      if (!second) return second.error().with_context(where);
      revision_ = rev;
      outstanding_ = std::move(first->first);
      buffer_ = std::move(second->first);
      length_ = second->second.target_length();
      return std::move(second->second);
    }
  }
  return status::invalid_op(where + ": client in an unknown state");
}

result<applied_step> client::on_applied(const text_operation& op, std::uint64_t rev,
                                        std::string_view edit_id, std::uint64_t base_rev) {
  if (state_ != state::synchronized && !edit_id.empty() && edit_id == outstanding_id_) {
    result<std::optional<outgoing_edit>> next = on_ack(rev);
    if (!next) return next.error();
    return applied_step{std::nullopt, std::move(next).value()};
  }
  result<text_operation> local = on_remote(op, rev, base_rev);
  if (!local) return local.error();
  return applied_step{std::move(local).value(), std::nullopt};
}

}  // namespace colead::ot
