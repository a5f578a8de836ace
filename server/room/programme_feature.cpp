#include "room/programme_feature.hpp"

#include <algorithm>
#include <utility>

#include "ot/utf8.hpp"
#include "room/learning_record.hpp"
#include "room/programme_items.hpp"
#include "room/text_limits.hpp"
#include "room/tokens.hpp"
#include "room/wire.hpp"

namespace colead::room {

namespace {

constexpr const char* accepted = "accepted";
constexpr const char* declined = "declined";

v1::ProgrammeItem* find_item(v1::ProgrammeState& state, const std::string& id) {
  for (auto& item : *state.mutable_items())
    if (item.id() == id) return &item;
  return nullptr;
}

const v1::ProgrammeItem* find_item(const v1::ProgrammeState& state, const std::string& id) {
  for (const auto& item : state.items())
    if (item.id() == id) return &item;
  return nullptr;
}

// Adds `item` where the cohort's programme would have it: oldest first, then by id.
void insert_in_order(v1::ProgrammeState& state, v1::ProgrammeItem item) {
  auto* items = state.mutable_items();
  int at = items->size();
  for (int i = 0; i < items->size(); ++i) {
    const auto& other = items->Get(i);
    if (item.raised_at_ms() < other.raised_at_ms() ||
        (item.raised_at_ms() == other.raised_at_ms() && item.id() < other.id())) {
      at = i;
      break;
    }
  }
  *items->Add() = std::move(item);
  for (int i = items->size() - 1; i > at; --i)
    items->SwapElements(i, i - 1);
}

// The cohort's programme includes what `record` wrote: the room need not show it on top.
bool includes(const v1::ProgrammeState& full, const store::cohort_item_record& record) {
  v1::ProgrammeItem written;
  if (!written.ParseFromString(record.payload)) return true;
  const auto* item = find_item(full, record.item_id);
  if (record.kind == cohort_kind::raised) return item != nullptr;
  return item != nullptr && item->closed() == written.closed() &&
         item->closed_at_ms() == written.closed_at_ms();
}

}  // namespace

programme_feature::programme_feature(room_context& room, consult_feature& consult)
    : room_(room), consult_(consult) {}

std::vector<v1::ClientMessage::KindCase> programme_feature::kinds() const {
  return {v1::ClientMessage::kProgramme};
}

void programme_feature::restore(const std::vector<store::item_record>& items,
                                std::vector<store::item_record>&) {
  for (const auto& item : items) {
    if (item.kind != "proposal") continue;
    proposal_entry entry;
    if (!proposal_from_stored(item.payload, entry.answer)) continue;
    entry.version = item.version;
    durable_proposals_[item.item_id] = entry.answer;
    proposals_[item.item_id] = std::move(entry);
  }
}

void programme_feature::fill_welcome(v1::RoomSnapshot& room, const std::string&,
                                     const v1::Hello&) const {
  if (room_.model().cohort_id.empty()) return;
  *room.mutable_programme() = make_view(false);
}

// ---- the view ----------------------------------------------------------------------------

v1::ProgrammeState programme_feature::make_view(bool all) const {
  const auto& room_id = room_.model().id;
  auto view = view_for_room(full_, room_id);
  view.set_cohort_id(room_.model().cohort_id);
  for (const auto& w : writes_) {
    if (!w.durable && !all) continue;
    v1::ProgrammeItem written;
    if (!written.ParseFromString(w.record.payload)) continue;
    auto* item = find_item(view, w.record.item_id);
    if (w.record.kind == cohort_kind::raised) {
      if (item == nullptr) insert_in_order(view, std::move(written));
    } else if (item != nullptr) {
      item->set_closed(written.closed());
      item->set_closed_at_ms(written.closed_at_ms());
    }
  }
  // Proposals the room answered leave it; those being accepted say who accepted so far.
  auto* proposals = view.mutable_proposals();
  for (int i = 0; i < proposals->size();) {
    auto* p = proposals->Mutable(i);
    const proposal_answer* answer = nullptr;
    if (all) {
      if (auto it = proposals_.find(p->id()); it != proposals_.end()) answer = &it->second.answer;
    } else if (auto it = durable_proposals_.find(p->id()); it != durable_proposals_.end()) {
      answer = &it->second;
    }
    if (answer != nullptr && !answer->answer.empty()) {
      proposals->DeleteSubrange(i, 1);
      continue;
    }
    if (answer != nullptr) *p->mutable_accepted_by() = answer->proposal.accepted_by();
    ++i;
  }
  return view;
}

void programme_feature::show() {
  v1::ServerMessage m;
  *m.mutable_programme() = make_view(false);
  auto bytes = m.programme().SerializeAsString();
  if (bytes == shown_) return;
  shown_ = std::move(bytes);
  room_.broadcast(std::move(m));
}

void programme_feature::programme_changed(const v1::ProgrammeState& full) {
  if (!full.cohort_id().empty()) room_.model().cohort_id = full.cohort_id();
  full_ = full;
  // What the cohort now holds need not be shown on top any more, nor what a later durable
  // write of the same item replaced; writes still in flight stay.
  std::vector<written> kept;
  for (std::size_t i = 0; i < writes_.size(); ++i) {
    const auto& w = writes_[i];
    const bool replaced = std::any_of(writes_.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                      writes_.end(), [&](const written& later) {
                                        return later.durable &&
                                               later.record.kind == w.record.kind &&
                                               later.record.item_id == w.record.item_id;
                                      });
    if (!w.durable || (!replaced && !includes(full_, w.record))) kept.push_back(w);
  }
  writes_ = std::move(kept);
  // In turn with the room's other outputs, so nothing written before it is overtaken.
  room_.emit([this] { show(); });
}

// ---- commands ----------------------------------------------------------------------------

void programme_feature::handle(const request& r, const v1::ClientMessage& message) {
  if (room_.model().cohort_id.empty()) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "this room is not part of a programme: it has no cohort to raise "
                            "items with or answer");
  }
  const auto& command = message.programme();
  switch (command.action_case()) {
    case v1::ProgrammeCommand::kRaise:
      return on_raise(r, command.raise());
    case v1::ProgrammeCommand::kClose:
      return on_close(r, command.close());
    case v1::ProgrammeCommand::kAccept:
      return on_answer(r, command.accept().proposal_id(), true);
    case v1::ProgrammeCommand::kDecline:
      return on_answer(r, command.decline().proposal_id(), false);
    default:
      return room_.send_error(r, v1::Error::UNKNOWN_KIND,
                              "programme names no action (raise, close, accept or decline)");
  }
}

void programme_feature::write(const request& r, store::write_batch batch,
                              std::vector<store::cohort_item_record> items, std::string ack_id) {
  const auto& room_id = room_.model().id;
  batch.touch_room(room_id, room_.time().wall_ms());
  // The cohort items stay on top of the cohort's programme until it includes them.
  for (const auto& item : items) {
    if (item.kind == cohort_kind::raised || item.kind == cohort_kind::closed)
      writes_.push_back({item, false});
  }
  std::map<std::string, proposal_answer> answered;
  for (const auto& [id, entry] : proposals_)
    answered[id] = entry.answer;
  room_.commit(std::move(batch), r,
               [this, r, items = std::move(items), ack_id = std::move(ack_id),
                answered = std::move(answered)]() mutable {
                 for (auto& w : writes_) {
                   for (const auto& item : items)
                     if (w.record == item) w.durable = true;
                 }
                 durable_proposals_ = std::move(answered);
                 v1::Ack ack;
                 ack.set_id(ack_id);
                 room_.send_ack(r, ack);
                 if (const auto& cohort = room_.options().cohort; cohort && !items.empty()) {
                   cohort->items_written(room_.model().cohort_id, std::move(items));
                 }
                 show();
               });
}

void programme_feature::on_raise(const request& r, const v1::ProgrammeCommand::Raise& raise) {
  const auto& limits = room_.options().limits;
  if (!is_valid_text(raise.text())) {
    return room_.send_error(r, v1::Error::BAD_FRAME, "the item's text is not valid UTF-8 text");
  }
  auto text = clean_text(raise.text(), true);
  if (text.empty()) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "say what gets in your way: the item's text is empty");
  }
  if (ot::utf8::count_code_points(text) > limits.max_programme_item_chars) {
    return room_.send_error(r, v1::Error::TOO_LARGE,
                            "an item raised with the programme can be at most " +
                                std::to_string(limits.max_programme_item_chars) + " characters");
  }
  if (!v1::LearningNote::Category_IsValid(raise.category())) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "category must be RELATIONSHIP, HOW_WE_WORK, LOCAL_SYSTEM or OTHER");
  }
  const auto& model = room_.model();
  const auto current = make_view(true);
  const auto raised = std::count_if(current.items().begin(), current.items().end(),
                                    [&](const auto& item) { return item.room_id() == model.id; });
  if (static_cast<std::size_t>(raised) >= limits.max_programme_items) {
    return room_.send_error(r, v1::Error::TOO_LARGE,
                            "this room has raised " + std::to_string(raised) +
                                " items with its programme, its limit; close one that is "
                                "settled or add to an item already raised");
  }
  const auto now = room_.time().wall_ms();
  v1::ProgrammeItem item;
  item.set_id("p" + make_id(16));
  item.set_room_id(model.id);
  item.set_room_title(model.title);
  item.set_category(shown_category(raise.category()));
  item.set_text(std::move(text));
  item.set_anonymous(raise.anonymous());
  item.set_raised_at_ms(now);
  store::cohort_item_record record{model.cohort_id,         cohort_kind::raised, item.id(), 1, now,
                                   item.SerializeAsString()};
  store::write_batch batch;
  batch.put_cohort_item(record);
  write(r, std::move(batch), {std::move(record)}, item.id());
}

void programme_feature::on_close(const request& r, const v1::ProgrammeCommand::Close& close) {
  const auto& model = room_.model();
  const auto current = make_view(true);
  const auto* item = is_valid_id(close.item_id()) ? find_item(current, close.item_id()) : nullptr;
  if (item == nullptr) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "there is no item \"" +
                                (is_valid_id(close.item_id()) ? close.item_id() : "") +
                                "\" in this room's programme");
  }
  if (item->room_id() != model.id) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "only the room that raised an item can close or reopen it");
  }
  if (close.reopen() && !item->closed()) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED, "this item is open already");
  }
  if (!close.reopen() && item->closed()) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED, "this item is closed already");
  }
  const auto now = room_.time().wall_ms();
  v1::ProgrammeItem closing;
  closing.set_id(item->id());
  closing.set_closed(!close.reopen());
  closing.set_closed_at_ms(close.reopen() ? 0 : now);
  // Versions grow with every closing or reopening: the wall clock, and past the last version
  // this room wrote, so a restart (which forgets the last) still writes a greater one.
  auto& version = closed_versions_[item->id()];
  version = std::max<std::uint64_t>(version + 1,
                                    static_cast<std::uint64_t>(std::max<std::int64_t>(now, 0)));
  store::cohort_item_record record{
      model.cohort_id, cohort_kind::closed, item->id(), version, now, closing.SerializeAsString()};
  store::write_batch batch;
  batch.put_cohort_item(record);
  write(r, std::move(batch), {std::move(record)}, item->id());
}

void programme_feature::on_answer(const request& r, const std::string& proposal_id, bool accept) {
  const auto current = make_view(true);
  const v1::ScriptProposal* open = nullptr;
  if (is_valid_id(proposal_id)) {
    for (const auto& p : current.proposals())
      if (p.id() == proposal_id) open = &p;
  }
  if (open == nullptr) {
    return room_.send_error(r, v1::Error::NOT_ALLOWED,
                            "there is no open proposal \"" +
                                (is_valid_id(proposal_id) ? proposal_id : "") +
                                "\" in this room; it may have been answered already");
  }
  auto& entry = proposals_[proposal_id];
  const auto before = entry;
  if (entry.answer.proposal.id().empty()) entry.answer.proposal = *open;
  auto& accepted_by = *entry.answer.proposal.mutable_accepted_by();
  const bool had = std::find(accepted_by.begin(), accepted_by.end(), r.member) != accepted_by.end();
  if (accept && had) {
    // Accepting twice changes nothing.
    return room_.emit([this, r, proposal_id] {
      v1::Ack ack;
      ack.set_id(proposal_id);
      room_.send_ack(r, ack);
    });
  }
  if (accept) accepted_by.Add(std::string(r.member));
  settle(r, proposal_id, accept, before);
}

bool programme_feature::everyone_present_accepted(const proposal_entry& entry) const {
  const auto& accepted_by = entry.answer.proposal.accepted_by();
  for (const auto& s : room_.model().seats) {
    if (!s.taken || room_.devices_of(s.member_id) == 0) continue;
    if (std::find(accepted_by.begin(), accepted_by.end(), s.member_id) == accepted_by.end())
      return false;
  }
  return true;
}

void programme_feature::settle(const request& r, const std::string& proposal_id, bool accept,
                               const proposal_entry& before) {
  const auto& model = room_.model();
  auto& entry = proposals_[proposal_id];
  const auto& accepted_by = entry.answer.proposal.accepted_by();
  const auto now = room_.time().wall_ms();
  // The script starts once every member present has accepted; power stays with the room.
  const bool everyone = accept && !accepted_by.empty() && everyone_present_accepted(entry);
  if (everyone) {
    // The first to accept presents first: they said yes before anyone else.
    if (auto st =
            consult_.start_for(r.member, entry.answer.proposal.script_id(), accepted_by.Get(0));
        !st) {
      entry = before;
      if (entry.answer.proposal.id().empty()) proposals_.erase(proposal_id);
      return room_.send_error(r, wire_code(st),
                              "the proposed script could not start: " + st.message());
    }
  }
  if (everyone || !accept) {
    entry.answer.answer = accept ? accepted : declined;
    entry.answer.answered_by = r.member;
    entry.answer.answered_at_ms = now;
  }
  store::write_batch batch;
  batch.put_item(
      {model.id, "proposal", proposal_id, ++entry.version, now, stored_proposal(entry.answer)});
  std::vector<store::cohort_item_record> items;
  if (!entry.answer.answer.empty()) {
    // The cohort learns only the answer: who accepted (empty when declined).
    v1::ScriptProposal answer = entry.answer.proposal;
    if (!accept) answer.clear_accepted_by();
    const auto item_id = proposal_item_id(proposal_id, model.id);
    if (!item_id.empty()) {
      items.push_back({model.cohort_id, cohort_kind::proposal_answer, item_id, 1, now,
                       answer.SerializeAsString()});
      batch.put_cohort_item(items.back());
    }
  }
  write(r, std::move(batch), std::move(items), proposal_id);
}

void programme_feature::presence_changed(const std::string& member) {
  // Only a member leaving can leave everyone present having accepted a proposal, and only a
  // proposal someone has answered has an entry to settle: most departures build no view.
  if (proposals_.empty() || room_.devices_of(member) > 0) return;
  const auto current = make_view(true);
  for (const auto& open : current.proposals()) {
    auto it = proposals_.find(open.id());
    if (it == proposals_.end() || !it->second.answer.answer.empty()) continue;
    const auto& accepted_by = it->second.answer.proposal.accepted_by();
    if (accepted_by.empty() || !everyone_present_accepted(it->second)) continue;
    // Started as the first who accepted; nobody is waiting for an answer.
    settle({{}, accepted_by.Get(0), 0}, open.id(), true, it->second);
  }
}

// ---- facilitators ------------------------------------------------------------------------

status programme_feature::facilitator_nudge(const v1::Nudge& nudge) {
  if (nudge.kind() != v1::Nudge::FACILITATOR_MESSAGE && nudge.kind() != v1::Nudge::TIME_CALL) {
    return status::not_allowed("a facilitator's nudge is a FACILITATOR_MESSAGE or a TIME_CALL");
  }
  if (!is_valid_text(nudge.message()) || !is_valid_text(nudge.from_facilitator())) {
    return status::not_allowed("a facilitator's nudge must be valid UTF-8 text");
  }
  v1::ServerMessage m;
  auto* n = m.mutable_nudge();
  *n = nudge;
  if (n->at_ms() == 0) n->set_at_ms(room_.time().wall_ms());
  const auto& room_id = room_.model().id;
  store::write_batch batch;
  batch.put_item({room_id, "event", "f" + make_id(16), 1, n->at_ms(), stored_event(*n)});
  room_.commit(std::move(batch), {},
               [this, m = std::move(m)]() mutable { room_.broadcast(std::move(m)); });
  return status::ok();
}

}  // namespace colead::room
