#pragma once

// The server's authority over one shared document: its text, its revision and the history of
// edits that produced it.
//
// Algorithm (the ot.js server, plus what a real room needs):
//   receive(base_rev, op): op was made on the text at base_rev. Transform it over every edit
//   applied since base_rev, in order, apply the result, and record it as the next revision
//   together with base_rev.
// Tie-break (see tie_break in text_operation.hpp): when the incoming edit and an applied one insert
// at the same place, the applied edit's text stays first, unless the incoming edit was made on a
// later revision than the applied one (its author had seen more of the document): then the incoming
// text goes first. So a person typing on after their own letters keeps them together even when
// another person's letters, made earlier on the same spot, arrived in between. Clients apply the
// same transforms in the same order with the same tie-break (they learn each applied edit's base
// revision from `applied`), so every replica converges on the server's text.
//
// Revisions: an empty document is revision 0; each applied edit adds one. history entry k
// (rev = k) holds the edit, in its final transformed form, that turned revision k - 1 into k.
//
// Retention: the latest edits are kept, bounded twice: by count (`history_limit`: at least
// that many are kept, older ones go) and by memory (`history_bytes`: when retained edits and
// stored texts together cost more, the oldest go even if fewer than history_limit remain).
// Edits are dropped in steps of checkpoints, so the oldest retained revision always has its
// text stored. An edit based on a dropped revision, or a catch-up from one, is refused with
// BAD_REVISION; the client then reloads the document. Edit ids (per author) are remembered
// for as long as their edit is retained.
//
// Memory: retained_bytes() is an estimate (inserted text, ids and a fixed cost per component
// and per edit, plus every stored text). After each edit it is at most history_bytes, unless
// the newest checkpoint and the edits after it alone cost more: those are always kept, and
// they are bounded by one stored text plus history_bytes / 8 plus one edit.
//
// text_at(rev): the text is stored every `checkpoint_interval` revisions, and also once the
// edits since the last stored text cost history_bytes / 8 (so large edits are dropped in small
// enough steps); text_at replays at most checkpoint_interval - 1 edits from the nearest
// checkpoint at or before rev.
// Trade-off: memory grows by one copy of the text per checkpoint_interval edits retained
// (10,000 edits of a 4 KB document at interval 128: about 320 KB), and a lookup costs up to
// checkpoint_interval applies of O(document) each; a smaller interval buys faster lookups
// with more memory.
//
// Authorship: for every code point of the current text the server knows which author
// inserted it (text loaded from a snapshot without authorship belongs to the author ""). It
// is kept as runs and updated with each edit in O(runs + components).
//
// Thread safety: none. The owning room serialises every call (it runs on the room's strand).
// No I/O; time comes in as a parameter.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ot/status.hpp"
#include "ot/text_operation.hpp"

namespace colead::ot {

struct server_options {
  // Size limit for the document. Edits that would grow it beyond the limit are refused with
  // TOO_LARGE; a stored document already above a lowered limit can still shrink.
  document_limits limits{32 * 1024, 128 * 1024};
  // At least this many of the latest edits are kept for transforms and catch-up (unless
  // history_bytes is reached first).
  std::size_t history_limit = 10'000;
  // Retained edits and stored texts cost at most about this many bytes (see Memory above).
  std::size_t history_bytes = 4 << 20;
  // The text is stored every this many revisions (values below 1 count as 1).
  std::size_t checkpoint_interval = 128;
};

// One edit as the server applied it.
struct applied_edit {
  std::uint64_t rev = 0;   // the revision this edit produced
  text_operation op;       // final form: applies to the text at rev - 1
  std::string edit_id;     // the author's id for the edit; "" when it had none
  std::string author;      // member id of the author
  std::int64_t at_ms = 0;  // when the server applied it (milliseconds, from the room's clock)
  // The revision its author made it on (before the server transformed it); decides ties.
  std::uint64_t base_rev = 0;
};

// The outcome of a successful receive().
struct receipt {
  std::uint64_t rev = 0;   // the revision the edit produced (for a duplicate: the original)
  text_operation op;       // the edit as applied, to broadcast to the other members
  bool duplicate = false;  // true when edit_id had already been applied; nothing changed
};

// A stretch of the current text inserted by one author.
struct authorship_run {
  std::string author;
  std::size_t length = 0;  // code points
  friend bool operator==(const authorship_run&, const authorship_run&) = default;
};

// How much of the current text one author wrote.
struct author_share {
  std::string author;
  std::size_t code_points = 0;
  friend bool operator==(const author_share&, const author_share&) = default;
};

// A stored state of a document: its text at revision `rev`. `authorship`, when not empty,
// must cover the text exactly.
struct snapshot {
  std::uint64_t rev = 0;
  std::string text;
  std::vector<authorship_run> authorship;
};

// Consecutive applied edits in revision order. Valid until the next call that changes the
// server.
// A plain iterator pair rather than std::ranges::subrange, which clang cannot compile over
// libstdc++'s deque iterators.
class edit_range {
 public:
  using iterator = std::deque<applied_edit>::const_iterator;
  edit_range(iterator first, iterator last) : first_(first), last_(last) {}
  iterator begin() const { return first_; }
  iterator end() const { return last_; }
  std::size_t size() const { return static_cast<std::size_t>(last_ - first_); }
  bool empty() const { return first_ == last_; }
  const applied_edit& operator[](std::size_t i) const {
    return first_[static_cast<std::ptrdiff_t>(i)];
  }

 private:
  iterator first_;
  iterator last_;
};

class server {
 public:
  // An empty document at revision 0.
  explicit server(server_options options = {});

  // Rebuilds a document from a stored snapshot and the edits stored after it (revisions
  // snap.rev + 1, snap.rev + 2, ... in order, each in its final form, with the base revision
  // it was made on, which later ties are decided by). Fails with INVALID_OP
  // naming the first stored edit that does not fit. Edits are replayed without size limits:
  // they were accepted once.
  static result<server> load(snapshot snap, std::vector<applied_edit> later,
                             server_options options = {});

  server(const server&) = delete;
  server& operator=(const server&) = delete;
  server(server&&) = default;
  server& operator=(server&&) = default;

  // Receives `op`, made by `author` on the text at `base_rev`, as described above.
  // - edit_id already applied for this author (and still retained): returns the original
  //   revision and op with duplicate = true and changes nothing. Edit ids are scoped by
  //   author, so another member reusing an id is not a duplicate. An empty edit_id is never
  //   treated as a duplicate.
  // - base_rev ahead of the document or older than the retained history: BAD_REVISION.
  // - op does not cover the text at base_rev exactly: INVALID_OP.
  // - the result would exceed the size limit: TOO_LARGE.
  // On any error nothing changes.
  result<receipt> receive(std::uint64_t base_rev, const text_operation& op,
                          std::string_view edit_id, std::string_view author, std::int64_t at_ms);

  std::uint64_t revision() const { return rev_; }
  const std::string& text() const { return text_; }
  // The current text's length in code points.
  std::size_t length() const { return length_; }
  // The oldest revision whose successors are retained: ops_since and text_at accept
  // revisions from here to revision().
  std::uint64_t oldest_revision() const { return floor_; }
  // Edits retained now (revisions oldest_revision() + 1 to revision()).
  std::size_t retained_edits() const { return history_.size(); }
  // Estimated memory held by the retained history and stored texts, in bytes.
  std::size_t retained_bytes() const { return history_bytes_ + checkpoint_bytes_; }

  // Drops the whole history and keeps only the current text (a removed document, which is no
  // longer edited): oldest_revision() becomes revision().
  void forget_history();

  // The edits after revision `rev`, for a client catching up from it (empty when rev is the
  // current revision). BAD_REVISION when rev is ahead of the document or older than the
  // retained history, in which case the client must reload the whole document.
  result<edit_range> ops_since(std::uint64_t rev) const;

  // The text at revision `rev`; BAD_REVISION outside [oldest_revision(), revision()].
  result<std::string> text_at(std::uint64_t rev) const;

  // The current text as runs of authors, in text order; adjacent runs have different
  // authors and the lengths sum to length().
  std::vector<authorship_run> authorship() const;

  // Each author's code points in the current text, in the order authors first edited (or
  // appeared in the loaded snapshot); authors with no text left are omitted.
  std::vector<author_share> shares() const;

  // The current state as a snapshot, for the store.
  snapshot current_snapshot() const;

 private:
  struct run {
    std::uint32_t author;  // index into authors_
    std::size_t length;
  };

  std::uint32_t author_index(std::string_view author);
  void update_authorship(const text_operation& op, std::uint32_t author);
  // Records an applied edit: new text, history, edit id, checkpoint, retention.
  void commit(text_operation op, std::string new_text, std::string_view edit_id,
              std::string_view author, std::int64_t at_ms, std::uint64_t base_rev);
  void trim_history();
  void add_checkpoint();
  void drop_oldest_segment();

  server_options options_;
  std::string text_;                  // the current text (valid UTF-8)
  std::size_t length_ = 0;            // code points of text_
  std::uint64_t rev_ = 0;             // the current revision
  std::uint64_t floor_ = 0;           // oldest retained revision; history_ starts at floor_ + 1
  std::deque<applied_edit> history_;  // history_[i].rev == floor_ + 1 + i
  // Text at chosen revisions, ascending; the first is always at floor_.
  std::deque<std::pair<std::uint64_t, std::string>> checkpoints_;
  std::size_t history_bytes_ = 0;           // estimated cost of history_
  std::size_t checkpoint_bytes_ = 0;        // estimated cost of checkpoints_
  std::size_t bytes_since_checkpoint_ = 0;  // cost of the edits after the last checkpoint
  std::unordered_map<std::string, std::uint64_t> edit_revs_;   // author, edit id -> revision
  std::vector<std::string> authors_;                           // interned member ids
  std::unordered_map<std::string, std::uint32_t> author_ids_;  // member id -> authors_ index
  std::vector<run> runs_;  // authorship of text_, adjacent runs differ in author
};

}  // namespace colead::ot
