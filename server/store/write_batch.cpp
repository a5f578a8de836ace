#include "store/write_batch.hpp"

#include <limits>
#include <type_traits>

namespace colead::store {
namespace {

constexpr std::uint64_t max_rev = std::numeric_limits<std::int64_t>::max();

bool in_set(std::string_view text, std::size_t max_size, bool (*allowed)(char)) {
  if (text.empty() || text.size() > max_size) return false;
  for (char c : text) {
    if (!allowed(c)) return false;
  }
  return true;
}

bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

bool kind_char(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}

// Names a field that is not an id without echoing it: it came from outside and may be
// anything; its length says enough.
status bad_id(std::string_view what, std::string_view value) {
  return status::invalid_argument(std::string(what) + " is not a valid id (" +
                                  std::to_string(value.size()) +
                                  " bytes; ids are 1 to 64 of A-Z a-z 0-9 _ -)");
}

status check_room(std::string_view room_id) {
  return valid_id(room_id) ? status::ok() : bad_id("room id", room_id);
}

status check_doc(std::string_view room_id, std::string_view doc_id) {
  if (status s = check_room(room_id); !s) return s;
  return valid_id(doc_id) ? status::ok() : bad_id("document id", doc_id);
}

status check(const room_record& r) {
  if (status s = check_room(r.id); !s) return s;
  if (r.seats < 1 || r.seats > 64) {
    return status::invalid_argument("room " + r.id + " has " + std::to_string(r.seats) +
                                    " seats (1 to 64)");
  }
  return status::ok();
}

status check(const seat_record& s) {
  if (status st = check_room(s.room_id); !st) return st;
  if (s.seat < 1)
    return status::invalid_argument("seat numbers start at 1 (room " + s.room_id + ")");
  // An untaken seat may not have a member id yet.
  if (!s.member_id.empty() && !valid_id(s.member_id)) {
    return bad_id("member id of seat " + std::to_string(s.seat), s.member_id);
  }
  return status::ok();
}

status check(const document_record& d) {
  return check_doc(d.room_id, d.doc_id);
}

status check(const op_record& o) {
  if (status s = check_doc(o.room_id, o.doc_id); !s) return s;
  if (o.rev < 1 || o.rev > max_rev) {
    return status::invalid_argument("op rev of document " + o.doc_id + " must be 1 or more");
  }
  if (!valid_id(o.edit_id)) return bad_id("edit id of op rev " + std::to_string(o.rev), o.edit_id);
  if (!valid_id(o.author)) return bad_id("author of op rev " + std::to_string(o.rev), o.author);
  return status::ok();
}

status check(const snapshot_record& s) {
  if (status st = check_doc(s.room_id, s.doc_id); !st) return st;
  if (s.rev > max_rev) return status::invalid_argument("snapshot rev out of range");
  return status::ok();
}

status check(const item_record& i) {
  if (status s = check_room(i.room_id); !s) return s;
  if (!valid_kind(i.kind)) {
    return status::invalid_argument("item kind is not valid (1 to 32 of a-z _)");
  }
  if (!valid_id(i.item_id)) return bad_id(i.kind + " id", i.item_id);
  if (i.version > max_rev) return status::invalid_argument("item version out of range");
  return status::ok();
}

status check(const touch_record& t) {
  return check_room(t.room_id);
}

status check_cohort(std::string_view cohort_id) {
  return valid_id(cohort_id) ? status::ok() : bad_id("cohort id", cohort_id);
}

status check(const cohort_record& c) {
  return check_cohort(c.id);
}

status check(const facilitator_record& f) {
  if (status s = check_cohort(f.cohort_id); !s) return s;
  if (f.number < 1) {
    return status::invalid_argument("facilitator numbers start at 1 (cohort " + f.cohort_id + ")");
  }
  return status::ok();
}

status check(const cohort_room_record& r) {
  if (status s = check_cohort(r.cohort_id); !s) return s;
  return check_room(r.room_id);
}

status check(const cohort_item_record& i) {
  if (status s = check_cohort(i.cohort_id); !s) return s;
  if (!valid_kind(i.kind)) {
    return status::invalid_argument("cohort item kind is not valid (1 to 32 of a-z _)");
  }
  if (!valid_cohort_item_id(i.item_id)) {
    return status::invalid_argument(i.kind + " id is not valid (" +
                                    std::to_string(i.item_id.size()) +
                                    " bytes; an id, or two ids joined by '.')");
  }
  if (i.version > max_rev) return status::invalid_argument("cohort item version out of range");
  return status::ok();
}

std::size_t bytes_of(const room_record& r) {
  return r.id.size() + r.title.size() + r.settings.size() + r.state.size();
}
std::size_t bytes_of(const seat_record& s) {
  return s.room_id.size() + s.member_id.size() + s.name.size() + s.role.size() + 32;
}
std::size_t bytes_of(const document_record& d) {
  return d.room_id.size() + d.doc_id.size() + d.title.size() + d.meta.size();
}
std::size_t bytes_of(const op_record& o) {
  return o.room_id.size() + o.doc_id.size() + o.author.size() + o.edit_id.size() + o.op.size();
}
std::size_t bytes_of(const snapshot_record& s) {
  return s.room_id.size() + s.doc_id.size() + s.text.size() + s.authorship.size();
}
std::size_t bytes_of(const item_record& i) {
  return i.room_id.size() + i.kind.size() + i.item_id.size() + i.payload.size();
}
std::size_t bytes_of(const touch_record& t) {
  return t.room_id.size();
}
std::size_t bytes_of(const cohort_record& c) {
  return c.id.size() + c.title.size() + c.state.size();
}
std::size_t bytes_of(const facilitator_record& f) {
  return f.cohort_id.size() + f.name.size() + 32;
}
std::size_t bytes_of(const cohort_room_record& r) {
  return r.cohort_id.size() + r.room_id.size();
}
std::size_t bytes_of(const cohort_item_record& i) {
  return i.cohort_id.size() + i.kind.size() + i.item_id.size() + i.payload.size();
}

}  // namespace

bool valid_id(std::string_view id) {
  return in_set(id, 64, id_char);
}

bool valid_cohort_item_id(std::string_view id) {
  const auto dot = id.find('.');
  if (dot == std::string_view::npos) return valid_id(id);
  return valid_id(id.substr(0, dot)) && valid_id(id.substr(dot + 1));
}

bool valid_kind(std::string_view kind) {
  return in_set(kind, 32, kind_char);
}

void write_batch::add(mutation m) {
  // A fixed overhead per mutation keeps many tiny mutations from slipping past the bound.
  bytes_ += 64 + std::visit([](const auto& r) { return bytes_of(r); }, m);
  mutations_.push_back(std::move(m));
}

void write_batch::append(write_batch other) {
  for (mutation& m : other.mutations_)
    add(std::move(m));
}

status write_batch::validate() const {
  if (mutations_.empty()) return status::invalid_argument("empty write batch");
  for (std::size_t i = 0; i < mutations_.size(); ++i) {
    status s = std::visit([](const auto& r) { return check(r); }, mutations_[i]);
    if (!s) {
      return status::invalid_argument("mutation " + std::to_string(i + 1) +
                                      " of the batch: " + s.message());
    }
  }
  return status::ok();
}

}  // namespace colead::store
