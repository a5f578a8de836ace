#include "ot/server.hpp"

#include <algorithm>

#include "ot/utf8.hpp"

namespace colead::ot {
namespace {

std::string revision_word(std::uint64_t rev) {
  return "revision " + std::to_string(rev);
}

// Edit ids are chosen by clients, so they are only unique per author: keying them by author
// too means one member can never make another member's edit look like a duplicate.
std::string edit_key(std::string_view author, std::string_view edit_id) {
  std::string key(author);
  key += '\0';
  key += edit_id;
  return key;
}

// What one retained edit costs, approximately: its strings, and a fixed cost for each component
// and for the edit itself (its slot in the history and, with an id, its entry in the id map).
std::size_t edit_bytes(const applied_edit& e) {
  std::size_t bytes = sizeof(applied_edit) + e.edit_id.size() + e.author.size();
  for (const component& c : e.op.components())
    bytes += sizeof(component) + c.text.size();
  if (!e.edit_id.empty()) bytes += 64 + e.author.size() + 1 + e.edit_id.size();
  return bytes;
}

// What one stored text costs.
std::size_t checkpoint_bytes(const std::string& text) {
  return sizeof(std::pair<std::uint64_t, std::string>) + text.size();
}

}  // namespace

server::server(server_options options) : options_(options) {
  options_.checkpoint_interval = std::max<std::size_t>(options_.checkpoint_interval, 1);
  checkpoints_.emplace_back(0, std::string());
  checkpoint_bytes_ = checkpoint_bytes(checkpoints_.back().second);
}

result<server> server::load(snapshot snap, std::vector<applied_edit> later,
                            server_options options) {
  const utf8::validation check = utf8::validate(snap.text);
  if (!check.valid) {
    return status::invalid_op("snapshot text at " + revision_word(snap.rev) +
                              " is not valid UTF-8: " + check.reason);
  }
  server s(options);
  s.length_ = utf8::count_code_points(snap.text);
  if (snap.authorship.empty()) {
    if (s.length_ > 0) s.runs_.push_back({s.author_index(""), s.length_});
  } else {
    std::size_t covered = 0;
    for (const authorship_run& r : snap.authorship) {
      if (r.length == 0) continue;
      covered += r.length;
      const std::uint32_t who = s.author_index(r.author);
      if (!s.runs_.empty() && s.runs_.back().author == who) {
        s.runs_.back().length += r.length;
      } else {
        s.runs_.push_back({who, r.length});
      }
    }
    if (covered != s.length_) {
      return status::invalid_op("snapshot authorship covers " + std::to_string(covered) +
                                " characters but the snapshot text has " +
                                std::to_string(s.length_));
    }
  }
  s.text_ = std::move(snap.text);
  s.rev_ = s.floor_ = snap.rev;
  s.checkpoints_.clear();
  s.checkpoints_.emplace_back(snap.rev, s.text_);
  s.checkpoint_bytes_ = checkpoint_bytes(s.text_);

  for (applied_edit& e : later) {
    const std::string where = "stored edit " + std::to_string(e.rev);
    if (e.rev != s.rev_ + 1) {
      return status::invalid_op(where + " does not follow " + revision_word(s.rev_) +
                                "; expected " + revision_word(s.rev_ + 1));
    }
    result<std::string> next = e.op.apply(s.text_);
    if (!next) return next.error().with_context(where);
    s.commit(std::move(e.op), std::move(next).value(), e.edit_id, e.author, e.at_ms,
             std::min(e.base_rev, e.rev - 1));
  }
  return s;
}

result<receipt> server::receive(std::uint64_t base_rev, const text_operation& op,
                                std::string_view edit_id, std::string_view author,
                                std::int64_t at_ms) {
  // A resend of an edit that was applied but whose ack was lost: answer as the first time.
  if (!edit_id.empty()) {
    const auto found = edit_revs_.find(edit_key(author, edit_id));
    if (found != edit_revs_.end()) {
      return receipt{found->second, history_[found->second - floor_ - 1].op, true};
    }
  }
  if (base_rev > rev_) {
    return status::bad_revision("base " + revision_word(base_rev) +
                                " is ahead of the document, which is at " + revision_word(rev_));
  }
  if (base_rev < floor_) {
    return status::bad_revision("base " + revision_word(base_rev) +
                                " is older than the kept history, which starts at " +
                                revision_word(floor_) + "; reload the document");
  }
  const std::size_t first = static_cast<std::size_t>(base_rev - floor_);
  const std::size_t base_length = base_rev == rev_ ? length_ : history_[first].op.base_length();
  if (op.base_length() != base_length) {
    return status::invalid_op("operation covers " + std::to_string(op.base_length()) +
                              " characters but the document at " + revision_word(base_rev) +
                              " has " + std::to_string(base_length));
  }

  text_operation transformed = op;
  for (std::size_t i = first; i < history_.size(); ++i) {
    auto pair = transform(transformed, history_[i].op, tie_break(base_rev, history_[i].base_rev));
    if (!pair)
      return pair.error().with_context("transforming over " + revision_word(history_[i].rev));
    transformed = std::move(pair->first);
  }

  // A document stored before the limit was lowered may still shrink.
  const document_limits limits{std::max(options_.limits.max_code_points, length_),
                               std::max(options_.limits.max_bytes, text_.size())};
  result<std::string> next = transformed.apply(text_, limits);
  if (!next) return next.error();

  commit(transformed, std::move(next).value(), edit_id, author, at_ms, base_rev);
  return receipt{rev_, std::move(transformed), false};
}

void server::commit(text_operation op, std::string new_text, std::string_view edit_id,
                    std::string_view author, std::int64_t at_ms, std::uint64_t base_rev) {
  update_authorship(op, author_index(author));
  text_ = std::move(new_text);
  length_ = op.target_length();
  ++rev_;
  if (!edit_id.empty()) edit_revs_.emplace(edit_key(author, edit_id), rev_);
  history_.push_back(applied_edit{rev_, std::move(op), std::string(edit_id), std::string(author),
                                  at_ms, base_rev});
  const std::size_t bytes = edit_bytes(history_.back());
  history_bytes_ += bytes;
  bytes_since_checkpoint_ += bytes;
  // A stored text every checkpoint_interval revisions, and sooner when the edits since the
  // last one are large, so the byte limit can drop them in steps of about history_bytes / 8.
  if (rev_ % options_.checkpoint_interval == 0 ||
      bytes_since_checkpoint_ >= std::max<std::size_t>(options_.history_bytes / 8, 1)) {
    add_checkpoint();
  }
  trim_history();
}

void server::add_checkpoint() {
  checkpoints_.emplace_back(rev_, text_);
  checkpoint_bytes_ += checkpoint_bytes(text_);
  bytes_since_checkpoint_ = 0;
}

void server::trim_history() {
  // Move the floor to the newest checkpoint that still leaves history_limit edits, and on
  // while the history costs more than history_bytes, so the oldest retained revision always
  // has its text at hand.
  while (checkpoints_.size() >= 2 && (rev_ - checkpoints_[1].first >= options_.history_limit ||
                                      retained_bytes() > options_.history_bytes)) {
    drop_oldest_segment();
  }
}

void server::drop_oldest_segment() {
  const std::uint64_t new_floor = checkpoints_[1].first;
  while (!history_.empty() && history_.front().rev <= new_floor) {
    const applied_edit& oldest = history_.front();
    history_bytes_ -= edit_bytes(oldest);
    if (!oldest.edit_id.empty()) edit_revs_.erase(edit_key(oldest.author, oldest.edit_id));
    history_.pop_front();
  }
  checkpoint_bytes_ -= checkpoint_bytes(checkpoints_.front().second);
  checkpoints_.pop_front();
  floor_ = new_floor;
}

void server::forget_history() {
  if (checkpoints_.back().first != rev_) add_checkpoint();
  while (checkpoints_.size() >= 2)
    drop_oldest_segment();
  // Give the memory back, not just the elements.
  std::deque<applied_edit>().swap(history_);
  std::unordered_map<std::string, std::uint64_t>().swap(edit_revs_);
  history_bytes_ = 0;
  bytes_since_checkpoint_ = 0;
}

result<edit_range> server::ops_since(std::uint64_t rev) const {
  if (rev > rev_) {
    return status::bad_revision(revision_word(rev) + " is ahead of the document, which is at " +
                                revision_word(rev_));
  }
  if (rev < floor_) {
    return status::bad_revision(revision_word(rev) +
                                " is older than the kept history, which starts at " +
                                revision_word(floor_) + "; reload the document");
  }
  return edit_range(history_.begin() + static_cast<std::ptrdiff_t>(rev - floor_), history_.end());
}

result<std::string> server::text_at(std::uint64_t rev) const {
  if (rev > rev_) {
    return status::bad_revision(revision_word(rev) + " is ahead of the document, which is at " +
                                revision_word(rev_));
  }
  if (rev < floor_) {
    return status::bad_revision(revision_word(rev) +
                                " is older than the kept history, which starts at " +
                                revision_word(floor_));
  }
  if (rev == rev_) return text_;
  // The last checkpoint at or before rev; the first checkpoint is at floor_ <= rev.
  auto it = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), rev,
                             [](std::uint64_t r, const auto& cp) { return r < cp.first; });
  --it;
  std::string text = it->second;
  for (std::uint64_t r = it->first + 1; r <= rev; ++r) {
    result<std::string> next = history_[r - floor_ - 1].op.apply(text);
    if (!next) return next.error().with_context("replaying " + revision_word(r));
    text = std::move(next).value();
  }
  return text;
}

std::uint32_t server::author_index(std::string_view author) {
  const auto found = author_ids_.find(std::string(author));
  if (found != author_ids_.end()) return found->second;
  const auto index = static_cast<std::uint32_t>(authors_.size());
  authors_.emplace_back(author);
  author_ids_.emplace(std::string(author), index);
  return index;
}

void server::update_authorship(const text_operation& op, std::uint32_t author) {
  std::vector<run> next;
  next.reserve(runs_.size() + 2);
  auto push = [&next](std::uint32_t who, std::size_t n) {
    if (n == 0) return;
    if (!next.empty() && next.back().author == who) {
      next.back().length += n;
    } else {
      next.push_back({who, n});
    }
  };
  std::size_t index = 0;  // current run
  std::size_t used = 0;   // code points of runs_[index] already passed
  auto pass = [&](std::size_t n, bool keep) {
    while (n > 0 && index < runs_.size()) {
      const std::size_t k = std::min(runs_[index].length - used, n);
      if (keep) push(runs_[index].author, k);
      used += k;
      n -= k;
      if (used == runs_[index].length) {
        ++index;
        used = 0;
      }
    }
  };
  for (const component& c : op.components()) {
    switch (c.kind) {
      case component_kind::retain:
        pass(c.count, true);
        break;
      case component_kind::remove:
        pass(c.count, false);
        break;
      case component_kind::insert:
        push(author, c.count);
        break;
    }
  }
  runs_ = std::move(next);
}

std::vector<authorship_run> server::authorship() const {
  std::vector<authorship_run> out;
  out.reserve(runs_.size());
  for (const run& r : runs_)
    out.push_back({authors_[r.author], r.length});
  return out;
}

std::vector<author_share> server::shares() const {
  std::vector<std::size_t> totals(authors_.size(), 0);
  for (const run& r : runs_)
    totals[r.author] += r.length;
  std::vector<author_share> out;
  for (std::size_t i = 0; i < authors_.size(); ++i) {
    if (totals[i] > 0) out.push_back({authors_[i], totals[i]});
  }
  return out;
}

snapshot server::current_snapshot() const {
  return {rev_, text_, authorship()};
}

}  // namespace colead::ot
