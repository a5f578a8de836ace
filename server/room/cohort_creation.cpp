#include "room/cohort_creation.hpp"

#include <set>

#include "ot/utf8.hpp"
#include "room/room_records.hpp"
#include "room/text_limits.hpp"
#include "room/tokens.hpp"
#include "room/wire.hpp"

namespace colead::room {

namespace {

// A clock that only says the time the cohort is made at: make_room reads the wall clock.
class fixed_clock final : public clock {
 public:
  explicit fixed_clock(std::int64_t wall_ms) : wall_ms_(wall_ms) {}
  std::int64_t now_ms() const override { return 0; }
  std::int64_t wall_ms() const override { return wall_ms_; }

 private:
  std::int64_t wall_ms_;
};

// `text` cut to at most `max` code points.
std::string first_code_points(const std::string& text, std::size_t max) {
  if (ot::utf8::count_code_points(text) <= max) return text;
  std::size_t points = 0, i = 0;
  while (i < text.size() && points < max) {
    ++i;
    // Skip continuation bytes: they belong to the code point just counted.
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80)
      ++i;
    ++points;
  }
  return text.substr(0, i);
}

// The title of new room `n`: "<cohort title>: room <n>", the cohort's title shortened so the
// whole fits a room title.
std::string room_title(const std::string& cohort_title, std::uint32_t n, std::size_t max) {
  const std::string suffix = ": room " + std::to_string(n);
  const std::size_t room_for_title = max > suffix.size() ? max - suffix.size() : 0;
  auto title = first_code_points(cohort_title, room_for_title);
  while (!title.empty() && title.back() == ' ')
    title.pop_back();
  return title + suffix;
}

std::string csv_field(std::string text) {
  if (!text.empty() && (text.front() == '=' || text.front() == '+' || text.front() == '-' ||
                        text.front() == '@' || text.front() == '\t' || text.front() == '\r')) {
    text.insert(text.begin(), '\'');
  }
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void csv_line(std::string& out, std::initializer_list<std::string> fields) {
  bool first = true;
  for (const auto& f : fields) {
    if (!first) out += ',';
    out += csv_field(f);
    first = false;
  }
  out += "\r\n";
}

}  // namespace

result<std::string> facilitator_name(std::string_view name, const cohort_creation_limits& limits) {
  auto cleaned = clean_text(name);
  if (cleaned.empty()) {
    return status::invalid_argument("give each facilitator a name (1 to " +
                                    std::to_string(limits.max_name_chars) + " characters)");
  }
  if (ot::utf8::count_code_points(cleaned) > limits.max_name_chars) {
    return status::invalid_argument("a facilitator's name is at most " +
                                    std::to_string(limits.max_name_chars) + " characters");
  }
  return cleaned;
}

facilitator_token make_facilitator(const std::string& cohort_id, std::uint32_t number,
                                   std::string name) {
  facilitator_token out;
  out.token = make_token();
  out.record = store::facilitator_record{cohort_id, number, hash_token(out.token), std::move(name)};
  return out;
}

result<new_cohort> make_cohort(const v1::CreateCohortRequest& request, std::int64_t now_ms,
                               const cohort_creation_limits& limits) {
  const auto title = clean_text(request.title());
  if (title.empty()) {
    return status::invalid_argument("give the cohort a title (1 to " +
                                    std::to_string(limits.max_title_chars) + " characters)");
  }
  if (ot::utf8::count_code_points(title) > limits.max_title_chars) {
    return status::invalid_argument("the title is longer than " +
                                    std::to_string(limits.max_title_chars) + " characters");
  }
  const std::uint64_t total =
      std::uint64_t{request.rooms()} + static_cast<std::uint64_t>(request.attach_room_ids_size());
  if (total == 0) {
    return status::invalid_argument(
        "a cohort needs rooms: ask for new ones (\"rooms\" and \"seatsPerRoom\") or attach "
        "existing ones (\"attachRoomIds\")");
  }
  if (total > limits.max_rooms) {
    return status::invalid_argument("a cohort has at most " + std::to_string(limits.max_rooms) +
                                    " rooms, new and attached together");
  }
  if (request.rooms() > 0 && (request.seats_per_room() < limits.min_seats ||
                              request.seats_per_room() > limits.max_seats)) {
    return status::invalid_argument("each new room has " + std::to_string(limits.min_seats) +
                                    " to " + std::to_string(limits.max_seats) +
                                    " seats (\"seatsPerRoom\")");
  }
  if (request.rooms() > 0 && request.facilitator_seat() &&
      request.seats_per_room() < min_seats_with_facilitator) {
    return status::invalid_argument(
        "a set with a facilitator seat has at least " + std::to_string(min_seats_with_facilitator) +
        " seats (\"seatsPerRoom\"): the facilitator's and two members'");
  }
  std::set<std::string> attached;
  for (const auto& id : request.attach_room_ids()) {
    if (!is_valid_id(id)) {
      return status::invalid_argument("an attached room's id is not a room id (" +
                                      std::to_string(id.size()) + " bytes)");
    }
    if (!attached.insert(id).second) {
      return status::invalid_argument("room " + id + " is listed twice in \"attachRoomIds\"");
    }
  }
  if (static_cast<std::size_t>(request.facilitators_size()) > limits.max_facilitators) {
    return status::invalid_argument("a cohort has 1 to " + std::to_string(limits.max_facilitators) +
                                    " facilitators");
  }
  std::vector<std::string> names;
  for (const auto& given : request.facilitators()) {
    auto name = facilitator_name(given, limits);
    if (!name) return name.error();
    names.push_back(std::move(name.value()));
  }
  if (names.empty()) names.push_back("Facilitator");

  new_cohort out;
  out.cohort = store::cohort_record{make_id(), title, now_ms, ""};
  out.batch.put_cohort(out.cohort);
  const fixed_clock clock(now_ms);
  std::int64_t position = 0;
  for (std::uint32_t n = 1; n <= request.rooms(); ++n) {
    out.rooms.push_back(make_room(room_title(title, n, limits.max_title_chars),
                                  request.seats_per_room(), clock, {}, request.facilitator_seat()));
    const auto& model = out.rooms.back().model;
    // Mutations apply in order: the room exists before it joins the cohort.
    out.batch.append(creation_batch(model, now_ms));
    out.batch.put_cohort_room(store::cohort_room_record{out.cohort.id, model.id, position++});
  }
  for (const auto& id : request.attach_room_ids()) {
    out.attached_room_ids.push_back(id);
    out.batch.put_cohort_room(store::cohort_room_record{out.cohort.id, id, position++});
  }
  std::uint32_t number = 0;
  for (auto& name : names) {
    out.facilitators.push_back(make_facilitator(out.cohort.id, ++number, std::move(name)));
    out.batch.put_facilitator(out.facilitators.back().record);
  }
  return out;
}

v1::FacilitatorInvite facilitator_invite(const std::string& public_url,
                                         const std::string& cohort_id,
                                         const facilitator_token& facilitator) {
  v1::FacilitatorInvite out;
  out.set_number(facilitator.record.number);
  out.set_name(facilitator.record.name);
  out.set_token(facilitator.token);
  out.set_url(public_url + "/c/" + cohort_id + "#t=" + facilitator.token);
  return out;
}

v1::CreateCohortResponse creation_response(const new_cohort& cohort,
                                           const std::string& public_url) {
  v1::CreateCohortResponse out;
  out.set_id(cohort.cohort.id);
  out.set_title(cohort.cohort.title);
  for (const auto& f : cohort.facilitators)
    *out.add_facilitators() = facilitator_invite(public_url, cohort.cohort.id, f);
  for (const auto& room : cohort.rooms) {
    auto* r = out.add_rooms();
    r->set_id(room.model.id);
    r->set_title(room.model.title);
    for (std::size_t i = 0; i < room.tokens.size(); ++i) {
      const auto seat = static_cast<std::uint32_t>(i + 1);
      *r->add_invites() = invite_to_wire(public_url, room.model.id, seat, room.tokens[i],
                                         seat == room.model.facilitator_seat);
    }
  }
  for (const auto& id : cohort.attached_room_ids)
    out.add_attached_room_ids(id);
  out.set_csv(cohort_csv(out));
  return out;
}

std::string cohort_csv(const v1::CreateCohortResponse& response) {
  std::string out;
  csv_line(out, {"kind", "room", "title", "seat", "name", "link"});
  for (const auto& f : response.facilitators())
    csv_line(out, {"facilitator", "", response.title(), "", f.name(), f.url()});
  for (const auto& room : response.rooms()) {
    for (const auto& invite : room.invites()) {
      csv_line(out, {invite.facilitator() ? "facilitator-seat" : "member", room.id(), room.title(),
                     std::to_string(invite.seat()), "", invite.url()});
    }
  }
  return out;
}

}  // namespace colead::room
