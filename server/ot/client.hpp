#pragma once

// The client side of a shared document: the state machine that keeps a replica converging
// with the server while its own edits are in flight (as in ot.js lib/client.js). Used by the
// command-line client, the load generator and the tests; the browser has the same machine in
// clients/web/js/ot_client.js.
//
// The client holds no text. Its owner applies local edits to its own copy and calls
// apply_local, applies what on_remote returns, and sends what the machine hands back.
//
//                 apply_local: send it                      apply_local: keep it
//   +--------------+ ------------> +------------------+ -------------> +----------------------+
//   | synchronized |               | awaiting_confirm |                | awaiting_with_buffer |
//   +--------------+ <------------ +------------------+ <------------- +----------------------+
//                       on_ack                          on_ack: send       apply_local:
//                                                       the buffer         compose into buffer
//
//   on_remote never changes the state: it transforms the outstanding edit and the buffer over
//   the server's edit and returns the edit to apply locally.
//
// At most one edit is in flight (the outstanding one); everything typed meanwhile is composed
// into the buffer and sent as a single edit once the outstanding one is acknowledged. The
// outstanding edit and the buffer are kept transformed to the latest server revision the
// client knows, so after a reconnect and catch-up, unconfirmed() is exactly what to resend.
//
// Tie-break: a server edit and the outstanding edit that insert at the same place are ordered
// by tie_break (text_operation.hpp) from the revisions each was made on, exactly as the server
// orders them when the outstanding edit reaches it, so both sides transform identically. The buffer
// has not been sent: it will be made on a revision after the server edit, so its text stays
// first (and so a person's own run of letters stays together).
//
// Thread safety: none; one owner drives it.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ot/status.hpp"
#include "ot/text_operation.hpp"

namespace colead::ot {

// An edit for the server: send it as `edit { baseRev, op, editId }`.
struct outgoing_edit {
  std::uint64_t base_rev = 0;
  text_operation op;
  std::string edit_id;
  friend bool operator==(const outgoing_edit&, const outgoing_edit&) = default;
};

// What to do with an `applied` message from the server (see client::on_applied).
struct applied_step {
  std::optional<text_operation> apply;  // a remote edit to apply to the local text
  std::optional<outgoing_edit> send;    // the client's own edit was confirmed; send this next
};

class client {
 public:
  enum class state { synchronized, awaiting_confirm, awaiting_with_buffer };

  // A client whose local text has `length` code points and matches the server at `revision`.
  // `client_id` prefixes the edit ids this client makes ("<client_id>-1", "-2", ...), so it
  // must be unique per client instance (a fresh random id per page load or process).
  client(std::string client_id, std::uint64_t revision, std::size_t length);

  state current_state() const { return state_; }
  // The latest server revision this client has seen.
  std::uint64_t revision() const { return revision_; }
  // The local text's length in code points.
  std::size_t length() const { return length_; }
  // The edit awaiting confirmation (based on revision()), or nullptr when synchronized.
  const text_operation* outstanding() const;
  // The base revision the outstanding edit was last handed out with (ties are decided by it).
  std::uint64_t sent_base() const { return sent_base_; }
  // The edit id of the outstanding edit ("" when synchronized).
  const std::string& outstanding_edit_id() const { return outstanding_id_; }
  // Local edits made since the outstanding one was sent (based on the text after the
  // outstanding edit), or nullptr unless awaiting_with_buffer.
  const text_operation* buffer() const;
  // The outstanding edit as it must be (re)sent now: same edit id, based on revision(). Send
  // what it returns: later ties are decided with the base revision it names.
  std::optional<outgoing_edit> unconfirmed();

  // The local user made `op` (already applied to the local text). Returns the edit to send
  // when the client was synchronized, nothing otherwise. Edits that change nothing are
  // ignored. INVALID_OP when op does not cover the local text; nothing changes then.
  result<std::optional<outgoing_edit>> apply_local(const text_operation& op);

  // The server acknowledged the outstanding edit as revision `rev`. Returns the buffered edit
  // to send next, if any. BAD_REVISION when no edit was awaiting confirmation or `rev` is not
  // the next revision.
  result<std::optional<outgoing_edit>> on_ack(std::uint64_t rev);

  // The server applied another member's edit `op`, made on revision `base_rev`, as revision
  // `rev`. Returns the edit to apply to the local text. BAD_REVISION when `rev` is not the next
  // revision; INVALID_OP when op does not fit the server text this client knows. Nothing changes on
  // error.
  result<text_operation> on_remote(const text_operation& op, std::uint64_t rev,
                                   std::uint64_t base_rev);

  // Handles an `applied` message, including those replayed after a reconnect: the client's
  // own outstanding edit (recognised by edit_id) counts as its acknowledgement, anything else
  // is a remote edit (made on revision `base_rev`).
  result<applied_step> on_applied(const text_operation& op, std::uint64_t rev,
                                  std::string_view edit_id, std::uint64_t base_rev);

 private:
  status check_next(std::uint64_t rev, std::string_view what) const;
  std::string next_edit_id();

  std::string client_id_;
  std::uint64_t next_edit_ = 1;  // sequence number of the next edit id
  state state_ = state::synchronized;
  std::uint64_t revision_ = 0;
  std::size_t length_ = 0;
  text_operation outstanding_;   // valid unless synchronized
  std::string outstanding_id_;   // edit id of outstanding_
  std::uint64_t sent_base_ = 0;  // the base revision outstanding_ was last sent with
  text_operation buffer_;        // valid when awaiting_with_buffer
};

}  // namespace colead::ot
