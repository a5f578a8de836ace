// Helpers shared by the store tests: a fresh temporary data folder per test, records with
// recognisable content, and a blocking save.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <string>
#include <string_view>

#include "colead/v1/colead.pb.h"
#include "store/store.hpp"
#include "store/write_batch.hpp"

namespace colead::store::testing {

// A folder under the system's temporary folder, removed with everything in it at the end.
class temp_folder {
 public:
  temp_folder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "colead-store-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~temp_folder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_folder(const temp_folder&) = delete;
  temp_folder& operator=(const temp_folder&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

// Submits `batch` and waits for its `done`.
inline status save(store& s, write_batch batch) {
  auto promise = std::make_shared<std::promise<status>>();
  auto future = promise->get_future();
  status queued = s.submit(std::move(batch), [promise](status st) { promise->set_value(st); });
  if (!queued) return queued;
  return future.get();
}

// `prefix` followed by `n` ("m" and 2 make "m2"), built by appending: GCC 12 at -O3 reports a
// false -Wrestrict for a literal plus a temporary std::string.
inline std::string numbered(std::string_view prefix, std::uint64_t n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

inline room_record make_room(std::string id, std::int64_t at_ms = 1000,
                             std::string title = "Cardiac services redesign") {
  v1::RoomSettings settings;
  settings.set_reflection_target_pct(40);
  settings.set_nudge_lead_minutes(5);
  return room_record{
      std::move(id), std::move(title), 2, at_ms, at_ms, settings.SerializeAsString(), ""};
}

inline sha256_digest digest_of(std::uint8_t seed) {
  sha256_digest d{};
  for (std::size_t i = 0; i < d.size(); ++i)
    d[i] = static_cast<std::uint8_t>(seed + i);
  return d;
}

inline seat_record make_seat(std::string room_id, std::uint32_t seat, std::string name = "Asha") {
  return seat_record{std::move(room_id),
                     seat,
                     digest_of(static_cast<std::uint8_t>(seat * 40)),
                     numbered("m", seat),
                     std::move(name),
                     "patient leader",
                     true};
}

inline document_record make_document(std::string room_id, std::string doc_id,
                                     std::int64_t position = 0) {
  return document_record{
      std::move(room_id), std::move(doc_id), "Shared purpose", position, false, ""};
}

// An op inserting `text` at the start, serialised as the wire's Applied.
inline op_record make_op(std::string room_id, std::string doc_id, std::uint64_t rev,
                         std::string text, std::string edit_id = {}) {
  if (edit_id.empty()) edit_id = numbered("e", rev);
  v1::Applied applied;
  applied.set_doc(doc_id);
  applied.set_rev(rev);
  applied.add_op()->set_insert(text);
  applied.set_author("m1");
  applied.set_edit_id(edit_id);
  applied.set_at_ms(static_cast<std::int64_t>(1000 + rev));
  return op_record{std::move(room_id),
                   std::move(doc_id),
                   rev,
                   "m1",
                   std::move(edit_id),
                   static_cast<std::int64_t>(1000 + rev),
                   applied.SerializeAsString()};
}

// The inserted text of an op made by make_op.
inline std::string inserted_text(const op_record& op) {
  v1::Applied applied;
  if (!applied.ParseFromString(op.op) || applied.op_size() != 1) return "<unreadable>";
  return applied.op(0).insert();
}

inline item_record make_note(std::string room_id, std::string id, std::uint64_t version,
                             std::string text) {
  v1::LearningNote note;
  note.set_id(id);
  note.set_text(text);
  note.set_author("m1");
  note.set_version(static_cast<std::uint32_t>(version));
  note.set_category(v1::LearningNote::RELATIONSHIP);
  return item_record{std::move(room_id),
                     "note",
                     std::move(id),
                     version,
                     static_cast<std::int64_t>(2000 + version),
                     note.SerializeAsString()};
}

inline std::string note_text(const item_record& item) {
  v1::LearningNote note;
  return note.ParseFromString(item.payload) ? note.text() : "<unreadable>";
}

// A room with two seats and one document "purpose" at rev 0.
inline write_batch new_room_batch(const std::string& room_id, std::int64_t at_ms = 1000) {
  write_batch b;
  b.put_room(make_room(room_id, at_ms));
  b.put_seat(make_seat(room_id, 1, "Asha"));
  b.put_seat(make_seat(room_id, 2, "Dr Rees"));
  b.put_document(make_document(room_id, "purpose"));
  return b;
}

inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline bool file_contains(const std::filesystem::path& path, std::string_view needle) {
  return file_bytes(path).find(needle) != std::string::npos;
}

}  // namespace colead::store::testing
