// The room's documents: edits through the OT authority, adding, renaming and removing
// documents, agreeing on a version, restoring an earlier one.
#include "room/documents_feature.hpp"

#include <algorithm>

#include "ot/utf8.hpp"
#include "room/outbound.hpp"
#include "room/room_records.hpp"
#include "room/text_limits.hpp"
#include "room/wire.hpp"
#include "store/store.hpp"

namespace colead::room {

namespace {

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

documents_feature::documents_feature(room_context& room, const consult_feature& consult)
    : room_(room), consult_(consult) {
  // Removed documents are never edited again; only their text is kept in memory.
  for (auto& doc : room_.model().docs)
    if (doc.removed) doc.text.forget_history();
}

ot::server_options documents_feature::document_options(const room_options& options) {
  ot::server_options out;
  out.limits.max_code_points = options.limits.max_doc_chars;
  // UTF-8 needs at most four bytes a code point.
  out.limits.max_bytes = options.limits.max_doc_chars * 4;
  out.history_limit = options.history_limit;
  out.history_bytes = options.history_bytes;
  return out;
}

std::vector<v1::ClientMessage::KindCase> documents_feature::kinds() const {
  return {v1::ClientMessage::kEdit, v1::ClientMessage::kDocument};
}

void documents_feature::handle(const request& r, const v1::ClientMessage& message) {
  if (message.kind_case() == v1::ClientMessage::kEdit) return on_edit(r, message.edit());
  on_command(r, message.document());
}

document_state* documents_feature::find(const std::string& id) {
  for (auto& d : room_.model().docs)
    if (d.id == id && !d.removed) return &d;
  return nullptr;
}

void documents_feature::fill_welcome(v1::RoomSnapshot& room, const std::string&,
                                     const v1::Hello& hello) const {
  for (const auto& d : room_.model().docs) {
    if (d.removed) continue;
    auto* doc = room.add_docs();
    *doc = document_to_wire(d, true);
    if (d.announced_rev < d.text.revision()) {
      // Later edits are still being saved; they follow as `applied` once durable.
      doc->set_rev(d.announced_rev);
      auto text = d.text.text_at(d.announced_rev);
      if (text) doc->set_text(text.value());
      doc->clear_authorship();
    }
    // Tell the client whether the edits it missed follow (catching up) or it must take the
    // text as it stands.
    auto known = hello.known_revisions().find(d.id);
    if (known != hello.known_revisions().end() && known->second <= d.announced_rev &&
        d.text.ops_since(known->second)) {
      doc->set_catching_up(true);
    }
  }
}

void documents_feature::after_welcome(const std::shared_ptr<participant>& to,
                                      const v1::Hello& hello) {
  for (const auto& [doc_id, known] : hello.known_revisions()) {
    auto* doc = find(doc_id);
    if (doc == nullptr) continue;
    auto edits = doc->text.ops_since(known);
    if (!edits) continue;  // too old: the welcome's text stands instead
    for (const auto& edit : *edits) {
      if (edit.rev > doc->announced_rev) break;  // the rest arrive as broadcasts
      v1::ServerMessage m;
      auto* a = m.mutable_applied();
      a->set_doc(doc_id);
      a->set_rev(edit.rev);
      op_to_wire(edit.op, a->mutable_op());
      a->set_author(edit.author);
      a->set_edit_id(edit.edit_id);
      a->set_at_ms(edit.at_ms);
      a->set_base_rev(edit.base_rev);
      room_.send_to(*to, std::move(m));
    }
  }
}

v1::ServerMessage documents_feature::documents_message(const std::string& changed_by) const {
  v1::ServerMessage m;
  auto* d = m.mutable_documents();
  for (const auto& doc : room_.model().docs)
    if (!doc.removed) *d->add_docs() = document_to_wire(doc, false);
  d->set_changed_by(changed_by);
  return m;
}

void documents_feature::save(const request& r, const document_state& doc, v1::Ack ack,
                             bool with_text) {
  const auto& id = room_.model().id;
  store::write_batch batch;
  batch.put_document(document_record_of(id, doc));
  if (with_text) batch.put_snapshot(snapshot_record_of(id, doc.id, doc.text.current_snapshot()));
  batch.touch_room(id, room_.time().wall_ms());
  auto documents = documents_message(r.member);
  room_.commit(std::move(batch), r, [this, r, ack, documents = std::move(documents)]() mutable {
    room_.send_ack(r, ack);
    room_.broadcast(std::move(documents));
  });
}

void documents_feature::on_edit(const request& r, const v1::Edit& edit) {
  auto* doc = find(edit.doc());
  if (doc == nullptr) {
    return room_.send_error(r, v1::Error::INVALID_OP,
                            "there is no document with that id in this room");
  }
  std::string edit_id = edit.edit_id();
  if (edit_id.empty()) {
    edit_id = "s-" + make_id(16);
  } else if (!is_valid_id(edit_id)) {
    return room_.send_error(r, v1::Error::INVALID_OP,
                            "editId must be 1 to 64 characters of letters, digits, '-' or '_'");
  }
  auto op = op_from_wire(edit.op());
  if (!op) return room_.send_error(r, v1::Error::INVALID_OP, op.error().message());
  // An edit that changes nothing (an empty insert, a delete of 0, only retains) would cost a
  // revision, a stored row and a broadcast for nothing; clients never need to send one.
  if (op.value().is_noop()) {
    return room_.send_error(
        r, v1::Error::INVALID_OP,
        "this edit changes nothing (an empty insert, a delete of 0 or only retain); "
        "nothing was applied");
  }
  apply_edit(r, *doc, edit.base_rev(), op.value(), edit_id, false);
}

void documents_feature::apply_edit(const request& r, document_state& doc, std::uint64_t base_rev,
                                   const ot::text_operation& op, const std::string& edit_id,
                                   bool author_needs_applied) {
  const std::string& member = r.member;
  const auto received = room_.time().now_ms();
  if (auto refused = consult_.may_write(member, consult_write::document_edit)) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED, *refused);
  }
  const auto now = room_.time().wall_ms();
  auto receipt = doc.text.receive(base_rev, op, edit_id, member, now);
  if (!receipt) {
    return room_.send_error(r, wire_code(receipt.error()),
                            "edit of '" + doc.title + "': " + receipt.error().message());
  }
  v1::Ack ack;
  ack.set_rev(receipt->rev);
  ack.set_doc(doc.id);
  ack.set_edit_id(edit_id);
  if (receipt->duplicate) {
    // Already applied (a resend after a reconnect): acknowledge with the original revision.
    return room_.emit([this, r, ack, received] {
      room_.observe_ack(received);
      room_.send_ack(r, ack);
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
  a->set_base_rev(base_rev);

  const auto& room_id = room_.model().id;
  store::write_batch batch;
  batch.append_op(
      op_record_of(room_id, doc.id, {receipt->rev, receipt->op, edit_id, member, now, base_rev}));
  if (store::snapshot_due(receipt->rev, room_.options().snapshot_every)) {
    batch.put_snapshot(snapshot_record_of(room_id, doc.id, doc.text.current_snapshot()));
  }
  // An agreed version is of an exact revision: any edit before everyone agreed withdraws it.
  bool withdrawn = doc.proposal.has_value();
  if (withdrawn) {
    doc.proposal.reset();
    batch.put_document(document_record_of(room_id, doc));
  }
  if (room_.activity_due(now)) batch.touch_room(room_id, now);
  auto documents = withdrawn ? documents_message(member) : v1::ServerMessage{};
  room_.commit(std::move(batch), r,
               [this, r, ack, applied = std::move(applied), documents = std::move(documents),
                withdrawn, author_needs_applied, doc_id = doc.id, received]() mutable {
                 for (auto& d : room_.model().docs)
                   if (d.id == doc_id) d.announced_rev = applied.applied().rev();
                 outbound out(std::move(applied));
                 const auto author = r.from.lock();
                 room_.broadcast(out, author_needs_applied ? nullptr : author.get());
                 room_.observe_ack(received);
                 room_.send_ack(r, ack);
                 if (withdrawn) room_.broadcast(std::move(documents));
               });
}

void documents_feature::on_command(const request& r, const v1::DocumentCommand& command) {
  auto& model = room_.model();
  const auto& limits = room_.options().limits;
  auto check_title = [&](const std::string& raw, std::string& title) {
    title = clean_text(raw);
    if (title.empty() || ot::utf8::count_code_points(title) > limits.max_title_chars) {
      room_.send_error(r, v1::Error::NOT_ALLOWED,
                       "a document's title must be 1 to " + std::to_string(limits.max_title_chars) +
                           " characters");
      return false;
    }
    return true;
  };
  auto ack_of = [](const document_state& doc) {
    v1::Ack ack;
    ack.set_id(doc.id);
    return ack;
  };

  switch (command.action_case()) {
    case v1::DocumentCommand::kAdd: {
      std::string title;
      if (!check_title(command.add().title(), title)) return;
      auto open = std::count_if(model.docs.begin(), model.docs.end(),
                                [](const auto& d) { return !d.removed; });
      if (static_cast<std::size_t>(open) >= limits.max_docs) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED,
                                "this room already has " + std::to_string(limits.max_docs) +
                                    " documents, its limit; remove one first");
      }
      std::int64_t position = 0;
      for (const auto& d : model.docs)
        position = std::max(position, d.position + 1);
      model.docs.push_back({make_id(10),
                            title,
                            position,
                            false,
                            ot::server(document_options(room_.options())),
                            0,
                            {},
                            {}});
      const auto& added = model.docs.back();
      return save(r, added, ack_of(added), true);
    }
    case v1::DocumentCommand::kRename: {
      auto* doc = find(command.rename().doc());
      if (doc == nullptr) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED, "there is no such document to rename");
      }
      std::string title;
      if (!check_title(command.rename().title(), title)) return;
      doc->title = title;
      return save(r, *doc, ack_of(*doc), false);
    }
    case v1::DocumentCommand::kRemove: {
      auto* doc = find(command.remove().doc());
      if (doc == nullptr) {
        return room_.send_error(r, v1::Error::NOT_ALLOWED, "there is no such document to remove");
      }
      if (doc->id == purpose_doc_id) {
        return room_.send_error(
            r, v1::Error::NOT_ALLOWED,
            "the shared purpose stays with the room; you can rewrite it instead");
      }
      doc->removed = true;
      // A removed document is never edited again: its history in memory serves nobody (the
      // store keeps it), so adding and removing documents cannot pile it up.
      doc->text.forget_history();
      return save(r, *doc, ack_of(*doc), false);
    }
    case v1::DocumentCommand::kAgree:
      return on_agree(r, command.agree());
    case v1::DocumentCommand::kRestore:
      return on_restore(r, command.restore());
    default:
      return room_.send_error(r, v1::Error::UNKNOWN_KIND,
                              "document names none of add, rename, remove, agree, restore");
  }
}

void documents_feature::on_agree(const request& r, const v1::DocumentCommand::Agree& agree) {
  auto* doc = find(agree.doc());
  if (doc == nullptr) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED, "there is no such document to agree on");
  }
  const auto rev = doc->text.revision();
  if (agree.rev() != rev) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "the text has changed since revision " + std::to_string(agree.rev()) +
                                "; read it again and agree to revision " + std::to_string(rev));
  }
  v1::Ack ack;
  ack.set_rev(rev);
  ack.set_doc(doc->id);
  // Agreeing again to the version agreed last changes nothing.
  if (!doc->proposal && !doc->agreed.empty() && doc->agreed.back().rev == rev) {
    return room_.emit([this, r, ack] { room_.send_ack(r, ack); });
  }
  // Every agreed version keeps its whole text, in memory and in the document's record, so
  // their total is bounded.
  const auto max_bytes = room_.options().limits.max_agreed_bytes;
  std::size_t agreed_bytes = doc->text.text().size();
  for (const auto& v : doc->agreed)
    agreed_bytes += v.text.size();
  if (agreed_bytes > max_bytes) {
    return room_.send_error(r, v1::Error::TOO_LARGE,
                            "the agreed versions of '" + doc->title + "' hold at most " +
                                std::to_string(max_bytes / 1024) +
                                " KB of text, and this one would not fit");
  }
  const auto now = room_.time().wall_ms();
  if (!doc->proposal || doc->proposal->rev != rev) {
    doc->proposal = agreed_version{rev, doc->text.text(), {}, r.member, now};
  }
  auto& by = doc->proposal->agreed_by;
  if (std::find(by.begin(), by.end(), r.member) == by.end()) by.push_back(r.member);
  // Agreed once every member of the room (every seat taken) has agreed to this revision.
  if (by.size() >= room_.members_count()) {
    doc->proposal->at_ms = now;
    doc->agreed.push_back(std::move(*doc->proposal));
    doc->proposal.reset();
  }
  save(r, *doc, ack, false);
}

void documents_feature::on_restore(const request& r, const v1::DocumentCommand::Restore& restore) {
  auto* doc = find(restore.doc());
  if (doc == nullptr) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED, "there is no such document to restore");
  }
  auto old_text = doc->text.text_at(restore.rev());
  if (!old_text) {
    return room_.send_error(r, v1::Error::BAD_REVISION,
                            "revision " + std::to_string(restore.rev()) + " of '" + doc->title +
                                "' is not available to restore: " + old_text.error().message());
  }
  // Restoring is a new edit on top of the current text, so nothing in between is lost.
  auto op = replacement(doc->text.text(), old_text.value());
  apply_edit(r, *doc, doc->text.revision(), op, "restore-" + make_id(12), true);
}

}  // namespace colead::room
