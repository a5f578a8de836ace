// The room's documents: edits through the OT authority, adding, renaming and removing
// documents, agreeing on a version, restoring an earlier one.
#include <algorithm>

#include "ot/utf8.hpp"
#include "room/outbound.hpp"
#include "room/room.hpp"
#include "room/room_records.hpp"
#include "room/text_limits.hpp"
#include "room/wire.hpp"
#include "store/store.hpp"

namespace colead::room {

namespace {

v1::Error::Code wire_code(ot::error_code code) {
  switch (code) {
    case ot::error_code::too_large:
      return v1::Error::TOO_LARGE;
    case ot::error_code::bad_revision:
      return v1::Error::BAD_REVISION;
    case ot::error_code::invalid_op:
      break;
  }
  return v1::Error::INVALID_OP;
}

// The operation that turns `from` into `to`: keep their common prefix and suffix, replace
// the middle. Both are valid UTF-8; the cut points are moved back to code-point starts.
ot::text_operation replacement(std::string_view from, std::string_view to) {
  std::size_t prefix = 0;
  while (prefix < from.size() && prefix < to.size() && from[prefix] == to[prefix])
    ++prefix;
  while (prefix > 0 && (static_cast<unsigned char>(from[prefix]) & 0xC0) == 0x80)
    --prefix;
  std::size_t suffix = 0;
  while (suffix < from.size() - prefix && suffix < to.size() - prefix &&
         from[from.size() - 1 - suffix] == to[to.size() - 1 - suffix]) {
    ++suffix;
  }
  // The suffix must start at a code point: skip continuation bytes at its front.
  while (suffix > 0 && (static_cast<unsigned char>(from[from.size() - suffix]) & 0xC0) == 0x80) {
    --suffix;
  }
  ot::text_operation op;
  op.retain(ot::utf8::count_code_points(from.substr(0, prefix)));
  op.remove(ot::utf8::count_code_points(from.substr(prefix, from.size() - prefix - suffix)));
  op.insert(to.substr(prefix, to.size() - prefix - suffix));
  op.retain(ot::utf8::count_code_points(from.substr(from.size() - suffix)));
  return op;
}

}  // namespace

v1::ServerMessage room::documents_message(const std::string& changed_by) const {
  v1::ServerMessage m;
  auto* d = m.mutable_documents();
  for (const auto& doc : model_.docs)
    if (!doc.removed) *d->add_docs() = document_to_wire(doc, false);
  d->set_changed_by(changed_by);
  return m;
}

void room::on_edit(connection& c, std::uint64_t req, const v1::Edit& edit) {
  auto* doc = find_doc(edit.doc());
  if (doc == nullptr) {
    return send_error(c.p, req, v1::Error::INVALID_OP,
                      "there is no document with that id in this room");
  }
  std::string edit_id = edit.edit_id();
  if (edit_id.empty()) {
    edit_id = "s-" + make_id(16);
  } else if (!is_valid_id(edit_id)) {
    return send_error(c.p, req, v1::Error::INVALID_OP,
                      "editId must be 1 to 64 characters of letters, digits, '-' or '_'");
  }
  auto op = op_from_wire(edit.op());
  if (!op) return send_error(c.p, req, v1::Error::INVALID_OP, op.error().message());
  // An edit that changes nothing (an empty insert, a delete of 0, only retains) would cost a
  // revision, a stored row and a broadcast for nothing; clients never need to send one.
  if (op.value().is_noop()) {
    return send_error(c.p, req, v1::Error::INVALID_OP,
                      "this edit changes nothing (an empty insert, a delete of 0 or only retain); "
                      "nothing was applied");
  }
  apply_edit(c.p, req, *doc, edit.base_rev(), op.value(), edit_id, false);
}

void room::apply_edit(const participant_ptr& p, std::uint64_t req, document_state& doc,
                      std::uint64_t base_rev, const ot::text_operation& op,
                      const std::string& edit_id, bool author_needs_applied) {
  const std::string member = find(p)->member_id;
  const auto received = clock_.now_ms();
  if (auto refused = consult_may_write(member, consult_write::document_edit)) {
    return send_error(p, req, v1::Error::NOT_ALLOWED, *refused);
  }
  const auto now = clock_.wall_ms();
  auto receipt = doc.text.receive(base_rev, op, edit_id, member, now);
  if (!receipt) {
    return send_error(p, req, wire_code(receipt.error().code()),
                      "edit of '" + doc.title + "': " + receipt.error().message());
  }
  v1::Ack ack;
  ack.set_rev(receipt->rev);
  ack.set_doc(doc.id);
  ack.set_edit_id(edit_id);
  if (receipt->duplicate) {
    // Already applied (a resend after a reconnect): acknowledge with the original revision.
    return emit([this, p, req, ack, received] {
      observe_ack(received);
      send_ack(p, req, ack);
    });
  }
  v1::ServerMessage applied;
  auto* a = applied.mutable_applied();
  a->set_doc(doc.id);
  a->set_rev(receipt->rev);
  op_to_wire(receipt->op, a->mutable_op());
  a->set_author(member);
  a->set_edit_id(edit_id);
  a->set_at_ms(now);

  store::write_batch batch;
  batch.append_op(
      op_record_of(model_.id, doc.id, {receipt->rev, receipt->op, edit_id, member, now}));
  if (store::snapshot_due(receipt->rev, options_.snapshot_every)) {
    batch.put_snapshot(snapshot_record_of(model_.id, doc.id, doc.text.current_snapshot()));
  }
  // An agreed version is of an exact revision: any edit before everyone agreed withdraws it.
  bool withdrawn = doc.proposal.has_value();
  if (withdrawn) {
    doc.proposal.reset();
    batch.put_document(document_record_of(model_.id, doc));
  }
  batch.touch_room(model_.id, now);
  auto documents = withdrawn ? documents_message(member) : v1::ServerMessage{};
  persist(
      std::move(batch),
      [this, p, req, ack, applied = std::move(applied), documents = std::move(documents), withdrawn,
       author_needs_applied, doc_id = doc.id, received]() mutable {
        for (auto& d : model_.docs)
          if (d.id == doc_id) d.announced_rev = applied.applied().rev();
        outbound out(std::move(applied));
        broadcast(out, author_needs_applied ? nullptr : p.get());
        observe_ack(received);
        send_ack(p, req, ack);
        if (withdrawn) broadcast(std::move(documents));
      },
      [this, p, req](const store::status& why) { fail_room(p, req, why); });
}

void room::on_document(connection& c, std::uint64_t req, const v1::DocumentCommand& command) {
  const auto p = c.p;
  const auto member = c.member_id;
  const auto& limits = options_.limits;
  auto check_title = [&](const std::string& raw, std::string& title) {
    title = clean_text(raw);
    if (title.empty() || code_points(title) > limits.max_title_chars) {
      send_error(p, req, v1::Error::NOT_ALLOWED,
                 "a document's title must be 1 to " + std::to_string(limits.max_title_chars) +
                     " characters");
      return false;
    }
    return true;
  };
  auto save = [&](const document_state& doc) {
    store::write_batch batch;
    batch.put_document(document_record_of(model_.id, doc));
    batch.touch_room(model_.id, clock_.wall_ms());
    v1::Ack ack;
    ack.set_id(doc.id);
    auto documents = documents_message(member);
    persist(
        std::move(batch),
        [this, p, req, ack, documents = std::move(documents)]() mutable {
          send_ack(p, req, ack);
          broadcast(std::move(documents));
        },
        [this, p, req](const store::status& why) { fail_room(p, req, why); });
  };

  switch (command.action_case()) {
    case v1::DocumentCommand::kAdd: {
      std::string title;
      if (!check_title(command.add().title(), title)) return;
      auto open = std::count_if(model_.docs.begin(), model_.docs.end(),
                                [](const auto& d) { return !d.removed; });
      if (static_cast<std::size_t>(open) >= limits.max_docs) {
        return send_error(p, req, v1::Error::NOT_ALLOWED,
                          "this room already has " + std::to_string(limits.max_docs) +
                              " documents, its limit; remove one first");
      }
      std::int64_t position = 0;
      for (const auto& d : model_.docs)
        position = std::max(position, d.position + 1);
      document_state doc{
          make_id(10), title, position, false, ot::server(document_options(options_)), 0, {}, {}};
      model_.docs.push_back(std::move(doc));
      const auto& added = model_.docs.back();
      store::write_batch batch;
      batch.put_document(document_record_of(model_.id, added));
      batch.put_snapshot(snapshot_record_of(model_.id, added.id, added.text.current_snapshot()));
      batch.touch_room(model_.id, clock_.wall_ms());
      v1::Ack ack;
      ack.set_id(added.id);
      auto documents = documents_message(member);
      return persist(
          std::move(batch),
          [this, p, req, ack, documents = std::move(documents)]() mutable {
            send_ack(p, req, ack);
            broadcast(std::move(documents));
          },
          [this, p, req](const store::status& why) { fail_room(p, req, why); });
    }
    case v1::DocumentCommand::kRename: {
      auto* doc = find_doc(command.rename().doc());
      if (doc == nullptr) {
        return send_error(p, req, v1::Error::NOT_ALLOWED, "there is no such document to rename");
      }
      std::string title;
      if (!check_title(command.rename().title(), title)) return;
      doc->title = title;
      return save(*doc);
    }
    case v1::DocumentCommand::kRemove: {
      auto* doc = find_doc(command.remove().doc());
      if (doc == nullptr) {
        return send_error(p, req, v1::Error::NOT_ALLOWED, "there is no such document to remove");
      }
      if (doc->id == purpose_doc_id) {
        return send_error(p, req, v1::Error::NOT_ALLOWED,
                          "the shared purpose stays with the room; you can rewrite it instead");
      }
      doc->removed = true;
      // A removed document is never edited again: its history in memory serves nobody (the
      // store keeps it), so adding and removing documents cannot pile it up.
      doc->text.forget_history();
      return save(*doc);
    }
    case v1::DocumentCommand::kAgree:
      return on_agree(c, req, command.agree());
    case v1::DocumentCommand::kRestore:
      return on_restore(c, req, command.restore());
    default:
      return send_error(p, req, v1::Error::UNKNOWN_KIND,
                        "document names none of add, rename, remove, agree, restore");
  }
}

void room::on_agree(connection& c, std::uint64_t req, const v1::DocumentCommand::Agree& agree) {
  const auto p = c.p;
  auto* doc = find_doc(agree.doc());
  if (doc == nullptr) {
    return send_error(p, req, v1::Error::NOT_ALLOWED, "there is no such document to agree on");
  }
  const auto rev = doc->text.revision();
  if (agree.rev() != rev) {
    return send_error(p, req, v1::Error::NOT_ALLOWED,
                      "the text has changed since revision " + std::to_string(agree.rev()) +
                          "; read it again and agree to revision " + std::to_string(rev));
  }
  // Agreeing again to the version agreed last changes nothing.
  if (!doc->proposal && !doc->agreed.empty() && doc->agreed.back().rev == rev) {
    v1::Ack ack;
    ack.set_rev(rev);
    ack.set_doc(doc->id);
    return emit([this, p, req, ack] { send_ack(p, req, ack); });
  }
  // Every agreed version keeps its whole text, in memory and in the document's record, so
  // their total is bounded.
  std::size_t agreed_bytes = doc->text.text().size();
  for (const auto& v : doc->agreed)
    agreed_bytes += v.text.size();
  if (agreed_bytes > options_.limits.max_agreed_bytes) {
    return send_error(p, req, v1::Error::TOO_LARGE,
                      "the agreed versions of '" + doc->title + "' hold at most " +
                          std::to_string(options_.limits.max_agreed_bytes / 1024) +
                          " KB of text, and this one would not fit");
  }
  const auto now = clock_.wall_ms();
  if (!doc->proposal || doc->proposal->rev != rev) {
    doc->proposal = agreed_version{rev, doc->text.text(), {}, c.member_id, now};
  }
  auto& by = doc->proposal->agreed_by;
  if (std::find(by.begin(), by.end(), c.member_id) == by.end()) by.push_back(c.member_id);
  // Agreed once every member of the room (every seat taken) has agreed to this revision.
  if (by.size() >= members_count()) {
    doc->proposal->at_ms = now;
    doc->agreed.push_back(std::move(*doc->proposal));
    doc->proposal.reset();
  }
  store::write_batch batch;
  batch.put_document(document_record_of(model_.id, *doc));
  batch.touch_room(model_.id, now);
  v1::Ack ack;
  ack.set_rev(rev);
  ack.set_doc(doc->id);
  auto documents = documents_message(c.member_id);
  persist(
      std::move(batch),
      [this, p, req, ack, documents = std::move(documents)]() mutable {
        send_ack(p, req, ack);
        broadcast(std::move(documents));
      },
      [this, p, req](const store::status& why) { fail_room(p, req, why); });
}

void room::on_restore(connection& c, std::uint64_t req,
                      const v1::DocumentCommand::Restore& restore) {
  auto* doc = find_doc(restore.doc());
  if (doc == nullptr) {
    return send_error(c.p, req, v1::Error::NOT_ALLOWED, "there is no such document to restore");
  }
  auto old_text = doc->text.text_at(restore.rev());
  if (!old_text) {
    return send_error(c.p, req, v1::Error::BAD_REVISION,
                      "revision " + std::to_string(restore.rev()) + " of '" + doc->title +
                          "' is not available to restore: " + old_text.error().message());
  }
  // Restoring is a new edit on top of the current text, so nothing in between is lost.
  auto op = replacement(doc->text.text(), old_text.value());
  apply_edit(c.p, req, *doc, doc->text.revision(), op, "restore-" + make_id(12), true);
}

}  // namespace colead::room
