#include "store/memory_store.hpp"

#include <algorithm>
#include <chrono>
#include <tuple>

namespace colead::store {

status memory_store::submit(write_batch batch, done_fn done) {
  if (status s = batch.validate(); !s) return s;
  {
    std::lock_guard lock(mu_);
    if (closed_) return status::closed("the store is closed");
    held_.push_back(pending{std::move(batch), std::move(done)});
    if (holding_) return status::ok();
  }
  deliver(false);
  return status::ok();
}

void memory_store::deliver(bool forced) {
  // A submit from inside a `done` leaves its batch to the loop already running on this
  // thread, so callbacks still run in submission order.
  if (delivering_thread_.load() == std::this_thread::get_id()) return;
  std::lock_guard delivery(delivery_mu_);
  delivering_thread_ = std::this_thread::get_id();
  for (;;) {
    std::vector<pending> group;
    {
      std::lock_guard lock(mu_);
      if (holding_ && !forced) break;
      group.assign(std::make_move_iterator(held_.begin()), std::make_move_iterator(held_.end()));
      held_.clear();
    }
    if (group.empty()) break;
    const auto began = std::chrono::steady_clock::now();
    bool ok = true;
    std::vector<status> results = commit(group, ok);
    {
      std::lock_guard lock(observer_mu_);
      if (observer_ != nullptr) {
        observer_->group_committed(std::chrono::steady_clock::now() - began, group.size(), ok);
      }
    }
    for (std::size_t i = 0; i < group.size(); ++i)
      group[i].done(std::move(results[i]));
  }
  delivering_thread_ = std::thread::id();
}

std::vector<status> memory_store::commit(const std::vector<pending>& group, bool& ok) {
  std::lock_guard lock(mu_);
  std::vector<status> results;
  results.reserve(group.size());
  if (fail_next_) {
    const status why = std::move(*fail_next_);
    fail_next_.reset();
    for (std::size_t i = 0; i < group.size(); ++i) {
      results.push_back(status::io_error("not saved: " + why.message()));
    }
    stats_.batches_failed += group.size();
    health_.failed("not saved: " + why.message());
    ok = false;
    return results;
  }
  for (const pending& p : group) {
    status s = apply(p.batch);
    if (s) {
      ++stats_.batches_committed;
    } else {
      ++stats_.batches_rejected;
    }
    results.push_back(std::move(s));
  }
  if (!group.empty()) ++stats_.groups_committed;
  health_.committed();
  ok = true;
  return results;
}

status memory_store::apply(const write_batch& batch) {
  // Copies of the rooms this batch touched; nullopt for a room that does not exist.
  std::map<std::string, std::optional<room_state>, std::less<>> staged;
  auto room = [&](const std::string& id) -> std::optional<room_state>& {
    auto it = staged.find(id);
    if (it != staged.end()) return it->second;
    auto stored = rooms_.find(id);
    return staged.emplace(id, stored == rooms_.end() ? std::optional<room_state>() : stored->second)
        .first->second;
  };
  std::map<std::string, std::optional<cohort_state>, std::less<>> staged_cohorts;
  auto cohort = [&](const std::string& id) -> std::optional<cohort_state>& {
    auto it = staged_cohorts.find(id);
    if (it != staged_cohorts.end()) return it->second;
    auto stored = cohorts_.find(id);
    return staged_cohorts
        .emplace(id, stored == cohorts_.end() ? std::optional<cohort_state>() : stored->second)
        .first->second;
  };
  // Copied on the first change of membership only: most batches never touch it.
  std::optional<membership_map> staged_membership;

  for (const mutation& m : batch.mutations()) {
    status s = std::visit(
        [&](const auto& r) -> status {
          using T = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<T, room_record>) {
            auto& slot = room(r.id);
            if (!slot) {
              slot.emplace();
              slot->record = r;
            } else {
              const std::int64_t created = slot->record.created_at_ms;
              const std::int64_t active = std::max(slot->record.last_active_ms, r.last_active_ms);
              slot->record = r;
              slot->record.created_at_ms = created;
              slot->record.last_active_ms = active;
            }
            return status::ok();
          } else if constexpr (std::is_same_v<T, seat_record>) {
            auto& slot = room(r.room_id);
            const std::string what = "seat " + std::to_string(r.seat) + " of room " + r.room_id;
            if (!slot) return status::not_found(what + ": the room does not exist");
            for (const auto& [n, seat] : slot->seats) {
              if (n != r.seat && seat.token_hash == r.token_hash) {
                return status::already_exists(what + ": another seat of the room has this token");
              }
            }
            slot->seats[r.seat] = r;
            return status::ok();
          } else if constexpr (std::is_same_v<T, document_record>) {
            auto& slot = room(r.room_id);
            if (!slot) {
              return status::not_found("document " + r.doc_id + " of room " + r.room_id +
                                       ": the room does not exist");
            }
            slot->docs[r.doc_id].record = r;
            return status::ok();
          } else if constexpr (std::is_same_v<T, op_record>) {
            auto& slot = room(r.room_id);
            const std::string what = "op rev " + std::to_string(r.rev) + " of document " +
                                     r.doc_id + " in room " + r.room_id;
            doc_state* doc = nullptr;
            if (slot) {
              auto it = slot->docs.find(r.doc_id);
              if (it != slot->docs.end()) doc = &it->second;
            }
            const std::uint64_t last =
                (doc == nullptr || doc->ops.empty()) ? 0 : doc->ops.rbegin()->first;
            if (r.rev <= last)
              return status::already_exists(what + ": that revision is already stored");
            if (r.rev != last + 1) {
              return status::conflict(what + ": the last stored revision is " +
                                      std::to_string(last));
            }
            if (doc == nullptr) return status::not_found(what + ": the document does not exist");
            if (auto e = doc->edits.find(r.edit_id); e != doc->edits.end()) {
              return status::already_exists(what + ": edit id " + r.edit_id +
                                            " is already stored as rev " +
                                            std::to_string(e->second));
            }
            doc->ops[r.rev] = r;
            doc->edits[r.edit_id] = r.rev;
            return status::ok();
          } else if constexpr (std::is_same_v<T, snapshot_record>) {
            auto& slot = room(r.room_id);
            const std::string what = "snapshot at rev " + std::to_string(r.rev) + " of document " +
                                     r.doc_id + " in room " + r.room_id;
            doc_state* doc = nullptr;
            if (slot) {
              auto it = slot->docs.find(r.doc_id);
              if (it != slot->docs.end()) doc = &it->second;
            }
            if (r.rev != 0 && (doc == nullptr || !doc->ops.contains(r.rev))) {
              return status::conflict(what + ": no op with that revision is stored");
            }
            if (doc == nullptr) return status::not_found(what + ": the document does not exist");
            doc->snapshots[r.rev] = r;
            return status::ok();
          } else if constexpr (std::is_same_v<T, item_record>) {
            auto& slot = room(r.room_id);
            const std::string what = r.kind + " " + r.item_id + " version " +
                                     std::to_string(r.version) + " in room " + r.room_id;
            if (!slot) return status::not_found(what + ": the room does not exist");
            auto [it, fresh] = slot->items.try_emplace({r.kind, r.item_id});
            item_state& item = it->second;
            if (fresh) {
              item.first_write = slot->item_writes++;
            } else {
              if (r.version <= item.current.version) {
                return status::conflict(what + ": version " + std::to_string(item.current.version) +
                                        " is already stored");
              }
              item.history.push_back(item.current);
            }
            item.current = r;
            return status::ok();
          } else if constexpr (std::is_same_v<T, touch_record>) {
            auto& slot = room(r.room_id);
            if (!slot)
              return status::not_found("touch room " + r.room_id + ": the room does not exist");
            slot->record.last_active_ms = std::max(slot->record.last_active_ms, r.at_ms);
            return status::ok();
          } else if constexpr (std::is_same_v<T, cohort_record>) {
            auto& slot = cohort(r.id);
            if (!slot) {
              slot.emplace();
              slot->record = r;
            } else {
              const std::int64_t created = slot->record.created_at_ms;
              slot->record = r;
              slot->record.created_at_ms = created;
            }
            return status::ok();
          } else if constexpr (std::is_same_v<T, facilitator_record>) {
            auto& slot = cohort(r.cohort_id);
            const std::string what =
                "facilitator " + std::to_string(r.number) + " of cohort " + r.cohort_id;
            if (!slot) return status::not_found(what + ": the cohort does not exist");
            for (const auto& [n, f] : slot->facilitators) {
              if (n != r.number && f.token_hash == r.token_hash) {
                return status::already_exists(what +
                                              ": another facilitator of the cohort has this token");
              }
            }
            slot->facilitators[r.number] = r;
            return status::ok();
          } else if constexpr (std::is_same_v<T, cohort_room_record>) {
            auto& slot = cohort(r.cohort_id);
            const std::string what = "room " + r.room_id + " in cohort " + r.cohort_id;
            if (!slot) return status::not_found(what + ": the cohort does not exist");
            if (!room(r.room_id)) return status::not_found(what + ": the room does not exist");
            if (!staged_membership) staged_membership = cohort_of_room_;
            auto [it, fresh] = staged_membership->try_emplace(r.room_id, r.cohort_id);
            if (!fresh && it->second != r.cohort_id) {
              return status::already_exists(what + ": the room is in cohort " + it->second);
            }
            slot->rooms[r.room_id] = r;
            return status::ok();
          } else {
            static_assert(std::is_same_v<T, cohort_item_record>);
            auto& slot = cohort(r.cohort_id);
            const std::string what = r.kind + " " + r.item_id + " version " +
                                     std::to_string(r.version) + " in cohort " + r.cohort_id;
            if (!slot) return status::not_found(what + ": the cohort does not exist");
            auto [it, fresh] = slot->items.try_emplace({r.kind, r.item_id});
            cohort_item_state& item = it->second;
            if (fresh) {
              item.first_write = slot->item_writes++;
            } else {
              if (r.version <= item.current.version) {
                return status::conflict(what + ": version " + std::to_string(item.current.version) +
                                        " is already stored");
              }
              item.history.push_back(item.current);
            }
            item.current = r;
            return status::ok();
          }
        },
        m);
    if (!s) return s;
  }
  for (auto& [id, state] : staged) {
    if (state) rooms_.insert_or_assign(id, std::move(*state));
  }
  for (auto& [id, state] : staged_cohorts) {
    if (state) cohorts_.insert_or_assign(id, std::move(*state));
  }
  if (staged_membership) cohort_of_room_ = std::move(*staged_membership);
  return status::ok();
}

result<room_image> memory_store::load_room(std::string_view room_id) {
  std::lock_guard lock(mu_);
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) return status::not_found("no room " + std::string(room_id));
  const room_state& r = it->second;
  room_image image;
  image.room = r.record;
  for (const auto& [n, seat] : r.seats)
    image.seats.push_back(seat);
  for (const auto& [id, doc] : r.docs) {
    document_image d{doc.record, std::nullopt, {}};
    std::uint64_t after = 1;
    if (!doc.snapshots.empty()) {
      d.snapshot = doc.snapshots.rbegin()->second;
      after = d.snapshot->rev + 1;
    }
    for (auto op = doc.ops.lower_bound(after); op != doc.ops.end(); ++op)
      d.ops.push_back(op->second);
    image.documents.push_back(std::move(d));
  }
  std::stable_sort(image.documents.begin(), image.documents.end(),
                   [](const document_image& a, const document_image& b) {
                     return std::tie(a.document.position, a.document.doc_id) <
                            std::tie(b.document.position, b.document.doc_id);
                   });
  std::vector<const item_state*> items;
  for (const auto& [key, item] : r.items)
    items.push_back(&item);
  std::sort(items.begin(), items.end(), [](const item_state* a, const item_state* b) {
    return std::tie(a->current.kind, a->first_write) < std::tie(b->current.kind, b->first_write);
  });
  for (const item_state* item : items)
    image.items.push_back(item->current);
  return image;
}

result<std::vector<op_record>> memory_store::read_ops(std::string_view room_id,
                                                      std::string_view doc_id,
                                                      std::uint64_t from_rev,
                                                      std::uint64_t to_rev) {
  std::lock_guard lock(mu_);
  std::vector<op_record> out;
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) return out;
  auto doc = it->second.docs.find(std::string(doc_id));
  if (doc == it->second.docs.end()) return out;
  for (auto op = doc->second.ops.lower_bound(from_rev);
       op != doc->second.ops.end() && op->first <= to_rev; ++op) {
    out.push_back(op->second);
  }
  return out;
}

result<std::optional<snapshot_record>> memory_store::snapshot_at_or_before(std::string_view room_id,
                                                                           std::string_view doc_id,
                                                                           std::uint64_t rev) {
  std::lock_guard lock(mu_);
  std::optional<snapshot_record> out;
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) return out;
  auto doc = it->second.docs.find(std::string(doc_id));
  if (doc == it->second.docs.end()) return out;
  auto snap = doc->second.snapshots.upper_bound(rev);
  if (snap != doc->second.snapshots.begin()) out = std::prev(snap)->second;
  return out;
}

result<std::optional<std::uint64_t>> memory_store::rev_of_edit(std::string_view room_id,
                                                               std::string_view doc_id,
                                                               std::string_view edit_id) {
  std::lock_guard lock(mu_);
  std::optional<std::uint64_t> out;
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) return out;
  auto doc = it->second.docs.find(std::string(doc_id));
  if (doc == it->second.docs.end()) return out;
  auto edit = doc->second.edits.find(std::string(edit_id));
  if (edit != doc->second.edits.end()) out = edit->second;
  return out;
}

result<std::vector<item_record>> memory_store::item_history(std::string_view room_id,
                                                            std::string_view kind,
                                                            std::string_view item_id) {
  std::lock_guard lock(mu_);
  std::vector<item_record> out;
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) return out;
  auto item = it->second.items.find({std::string(kind), std::string(item_id)});
  if (item == it->second.items.end()) return out;
  out = item->second.history;
  out.push_back(item->second.current);
  return out;
}

result<std::vector<room_record>> memory_store::list_rooms_idle_since(std::int64_t cutoff_ms) {
  std::lock_guard lock(mu_);
  std::vector<room_record> out;
  for (const auto& [id, r] : rooms_) {
    if (r.record.last_active_ms < cutoff_ms) out.push_back(r.record);
  }
  std::sort(out.begin(), out.end(), [](const room_record& a, const room_record& b) {
    return std::tie(a.last_active_ms, a.id) < std::tie(b.last_active_ms, b.id);
  });
  return out;
}

result<bool> memory_store::room_exists(std::string_view room_id) {
  std::lock_guard lock(mu_);
  return rooms_.find(room_id) != rooms_.end();
}

result<cohort_image> memory_store::load_cohort(std::string_view cohort_id) {
  std::lock_guard lock(mu_);
  auto it = cohorts_.find(cohort_id);
  if (it == cohorts_.end()) return status::not_found("no cohort " + std::string(cohort_id));
  const cohort_state& c = it->second;
  cohort_image image;
  image.cohort = c.record;
  for (const auto& [n, f] : c.facilitators)
    image.facilitators.push_back(f);
  for (const auto& [id, r] : c.rooms)
    image.rooms.push_back(r);
  std::stable_sort(image.rooms.begin(), image.rooms.end(),
                   [](const cohort_room_record& a, const cohort_room_record& b) {
                     return std::tie(a.position, a.room_id) < std::tie(b.position, b.room_id);
                   });
  std::vector<const cohort_item_state*> items;
  for (const auto& [key, item] : c.items)
    items.push_back(&item);
  std::sort(items.begin(), items.end(), [](const cohort_item_state* a, const cohort_item_state* b) {
    return std::tie(a->current.kind, a->first_write) < std::tie(b->current.kind, b->first_write);
  });
  for (const cohort_item_state* item : items)
    image.items.push_back(item->current);
  return image;
}

result<std::optional<std::string>> memory_store::cohort_of_room(std::string_view room_id) {
  std::lock_guard lock(mu_);
  std::optional<std::string> out;
  auto it = cohort_of_room_.find(room_id);
  if (it != cohort_of_room_.end()) out = it->second;
  return out;
}

status memory_store::erase_room(std::string_view room_id) {
  if (!valid_id(room_id)) return status::invalid_argument("room id is not a valid id");
  commit_pending();  // erasure comes after every batch accepted before it
  std::lock_guard lock(mu_);
  auto it = rooms_.find(room_id);
  if (it == rooms_.end()) {
    return status::not_found("erase room " + std::string(room_id) + ": there is no such room");
  }
  rooms_.erase(it);
  if (auto member = cohort_of_room_.find(room_id); member != cohort_of_room_.end()) {
    if (auto c = cohorts_.find(member->second); c != cohorts_.end()) {
      if (auto r = c->second.rooms.find(room_id); r != c->second.rooms.end()) {
        c->second.rooms.erase(r);
      }
    }
    cohort_of_room_.erase(member);
  }
  return status::ok();
}

status memory_store::backup_to(const std::filesystem::path&) {
  return status::not_supported("an in-memory store has no file to back up");
}

store_stats memory_store::stats() const {
  std::lock_guard lock(mu_);
  store_stats s = stats_;
  s.queued_batches = held_.size();
  return s;
}

void memory_store::close() {
  commit_pending();
  std::lock_guard lock(mu_);
  closed_ = true;
}

void memory_store::hold_commits(bool hold) {
  std::lock_guard lock(mu_);
  holding_ = hold;
}

std::size_t memory_store::commit_pending() {
  std::size_t before;
  {
    std::lock_guard lock(mu_);
    before = stats_.batches_committed + stats_.batches_rejected + stats_.batches_failed;
  }
  deliver(true);
  std::lock_guard lock(mu_);
  return static_cast<std::size_t>(stats_.batches_committed + stats_.batches_rejected +
                                  stats_.batches_failed - before);
}

void memory_store::set_commit_observer(commit_observer* observer) {
  std::lock_guard lock(observer_mu_);
  observer_ = observer;
}

void memory_store::fail_next_commit(status why) {
  std::lock_guard lock(mu_);
  fail_next_ = std::move(why);
}

}  // namespace colead::store
