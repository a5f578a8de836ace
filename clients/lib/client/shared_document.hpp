// A client's replica of one shared document: its text and the OT client state machine that
// keeps it converging with the server while its own edits are in flight, across reconnects.
//
// The owner applies local edits through `edit`, sends what it returns, and passes every
// server message through `receive`, sending what that returns. After a reconnect it passes
// the welcome to `welcome`; missed edits then arrive as `applied` (catching up) and the
// unacknowledged edit is resent once the replica has caught up.
//
// The replica keeps its user's caret as a person's editor does: the user's own typing moves
// it past what was typed, and text others insert exactly at it stays after it, so a person
// typing on at the same spot as someone else keeps their own run of letters together (the
// server orders such ties the same way: see ot::tie_break).
//
// Thread safety: none; one owner drives it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "codec.hpp"
#include "ot/client.hpp"

namespace colead::client {

class shared_document {
 public:
  // A replica of document `doc_id`; `client_id` prefixes its edit ids (unique per replica).
  shared_document(std::string doc_id, std::string client_id);

  const std::string& doc_id() const { return doc_id_; }
  const std::string& text() const { return text_; }
  // The latest server revision the replica has seen.
  std::uint64_t revision() const { return client_.revision(); }
  // True when no edit of this replica awaits acknowledgement.
  bool synchronized() const { return client_.current_state() == ot::client::state::synchronized; }
  // The user's caret, in code points.
  std::size_t caret() const { return caret_; }
  // Puts the caret at `position` (clamped to the text).
  void place_caret(std::size_t position);

  // Takes the document from a welcome. Returns an edit to send when nothing is left to
  // catch up and an edit of ours is still unacknowledged.
  std::optional<v1::ClientMessage> welcome(const v1::DocumentState& state);

  // Applies a local edit `op` to the text; returns the message to send, if any. Fails (and
  // changes nothing) when op does not fit the text.
  ot::result<std::optional<v1::ClientMessage>> edit(const ot::text_operation& op);
  // Types `text` at the caret (an edit as above), leaving the caret after it.
  ot::result<std::optional<v1::ClientMessage>> type(std::string_view text);

  // Handles one server message (applied, ack, or anything else, which is ignored); returns
  // the message to send next, if any. Fails when the server's stream does not fit the
  // replica (a protocol violation).
  ot::result<std::optional<v1::ClientMessage>> receive(const v1::ServerMessage& message);

 private:
  std::optional<v1::ClientMessage> message_for(const std::optional<ot::outgoing_edit>& edit);
  std::optional<v1::ClientMessage> resend_if_caught_up();

  std::string doc_id_;
  std::string client_id_;
  std::string text_;               // the local text
  std::size_t caret_ = 0;          // the user's caret, in code points
  ot::client client_;              // outstanding edit and buffer
  std::uint64_t catch_up_to_ = 0;  // after a reconnect: the revision the welcome named
  bool catching_up_ = false;       // missed edits are still arriving
  bool resend_pending_ = false;    // our unacknowledged edit must go out again
};

}  // namespace colead::client
