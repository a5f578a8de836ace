#include "room/cohort_record.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>

#include "room/learning_record.hpp"
#include "room/markdown_text.hpp"
#include "room/programme_items.hpp"
#include "room/reflection_rule.hpp"
#include "room/room_records.hpp"
#include "room/tokens.hpp"

namespace colead::room {

namespace {

// Dates as the room's learning record writes them.
std::string date_time(std::int64_t unix_ms) {
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string minutes(std::int64_t ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f min", static_cast<double>(ms) / 60000.0);
  return buf;
}

const char* category_name(int category) {
  switch (shown_category(category)) {
    case v1::LearningNote::RELATIONSHIP:
      return "Our relationship";
    case v1::LearningNote::HOW_WE_WORK:
      return "How we work";
    case v1::LearningNote::LOCAL_SYSTEM:
      return "Our local system";
    default:
      return "Other";
  }
}

// The room's learning as its cohort sees it: notes nobody kept to themselves, and the
// takeaways of its consults, oldest first.
void add_learning(const v1::RoomExport& record, v1::CohortRoomExport& out) {
  for (const auto& note : record.notes()) {
    if (note.personal() || note.removed()) continue;
    *out.add_learning() = note;
  }
  for (const auto& consult : record.consults()) {
    int n = 0;
    for (const auto& t : consult.takeaways()) {
      auto* note = out.add_learning();
      note->set_id(consult.consult_id() + "-t" + std::to_string(++n));
      note->set_text(t.text());
      note->set_author(t.member_id());
      note->set_at_ms(consult.at_ms());
      note->set_category(v1::LearningNote::OTHER);
      note->set_consult_id(consult.consult_id());
      note->set_takeaway(true);
    }
  }
  std::stable_sort(out.mutable_learning()->begin(), out.mutable_learning()->end(),
                   [](const auto& a, const auto& b) { return a.at_ms() < b.at_ms(); });
}

}  // namespace

bool is_facilitator(const store::cohort_image& cohort, std::string_view token) {
  if (token.empty()) return false;
  const token_hash h = hash_token(token);
  bool found = false;
  // Compare against every facilitator so the time taken says nothing about which matched.
  for (const auto& f : cohort.facilitators)
    found = same_hash(f.token_hash, h) || found;
  return found;
}

bool build_cohort_record(const store::cohort_image& cohort,
                         const std::vector<store::room_image>& rooms, std::int64_t now_ms,
                         v1::CohortExport& out, std::string& error) {
  out.set_id(cohort.cohort.id);
  out.set_title(cohort.cohort.title);
  out.set_exported_at_ms(now_ms);
  std::map<std::string, const store::room_image*> by_id;
  for (const auto& image : rooms)
    by_id[image.room.id] = &image;
  for (const auto& place : cohort.rooms) {
    auto it = by_id.find(place.room_id);
    if (it == by_id.end()) continue;
    const store::room_image& image = *it->second;
    room_model model;
    if (!model_from_image(image, {}, model, error)) {
      error = "room " + image.room.id + ": " + error;
      return false;
    }
    // As nobody in particular: no member's personal notes.
    v1::RoomExport record;
    if (!build_learning_record(image, {}, std::string(), now_ms, record, error)) {
      error = "room " + image.room.id + ": " + error;
      return false;
    }
    auto* room = out.add_rooms();
    room->set_room_id(model.id);
    room->set_title(model.title);
    room->set_shares_learning(model.settings.share_with_cohort);
    for (const auto& m : record.meetings()) {
      auto* share = room->add_meetings();
      share->set_title(m.title());
      share->set_started_at_ms(m.started_at_ms());
      share->set_share(reflection_rule::share(m.task_ms(), m.reflection_ms()));
      share->set_target_pct(m.target_pct());
      share->set_task_ms(m.task_ms());
      share->set_reflection_ms(m.reflection_ms());
    }
    if (model.settings.share_with_cohort) add_learning(record, *room);
  }
  const auto programme =
      view_for_facilitators(merge_programme(cohort.cohort.id, cohort.cohort.title, cohort.items));
  for (auto item : programme.items()) {
    // The record travels beyond the facilitators: an anonymous item names no room.
    if (item.anonymous()) {
      item.clear_room_id();
      item.clear_room_title();
    }
    item.set_category(shown_category(item.category()));
    *out.add_items() = std::move(item);
  }
  *out.mutable_answers() = programme.answers();
  return true;
}

std::string render_cohort_markdown(const v1::CohortExport& record) {
  // Everything people wrote goes through markdown_inline: it is shown as the text it is and
  // can never become a heading, a link, HTML or a script.
  const auto text = [](const std::string& s) { return markdown_inline(s); };
  std::string md;
  md += "# " + text(record.title()) + "\n\n";
  md += "Cohort learning record exported from Colead on " + date_time(record.exported_at_ms()) +
        ". It holds every room's reflection figures, the learning of the rooms that chose to "
        "share it with the cohort, and what the rooms raised with the programme and what the "
        "programme did.\n";

  md += "\n## Reflection across the cohort\n\n";
  std::string rows;
  for (const auto& r : record.rooms()) {
    for (const auto& m : r.meetings()) {
      rows += "| " + text(r.title()) + " | " + text(m.title()) + " | " +
              date_time(m.started_at_ms()) + " | " + minutes(m.task_ms()) + " | " +
              minutes(m.reflection_ms()) + " | " +
              std::to_string(reflection_rule::shown_percent(m.task_ms(), m.reflection_ms())) +
              "% | " + std::to_string(m.target_pct()) + "% |\n";
    }
  }
  if (rows.empty()) {
    md += "_No meetings yet._\n";
  } else {
    md += "| room | meeting | date | task | reflection | reflection share | target |\n";
    md += "| --- | --- | --- | --- | --- | --- | --- |\n";
    md += rows;
  }

  md += "\n## Learning the rooms share\n";
  int keeping = 0;
  for (const auto& r : record.rooms()) {
    if (!r.shares_learning()) {
      ++keeping;
      continue;
    }
    md += "\n### " + text(r.title()) + "\n\n";
    if (r.learning_size() == 0) md += "_Nothing written yet._\n";
    for (const auto& n : r.learning()) {
      md += "- " + text(n.text()) + " — " +
            (n.takeaway() ? std::string("takeaway") : std::string(category_name(n.category()))) +
            ", " + date_time(n.at_ms()) + "\n";
    }
  }
  if (keeping == record.rooms_size()) md += "\n_No room shares its learning with the cohort._\n";
  if (keeping > 0 && keeping < record.rooms_size()) {
    md += "\n" + std::to_string(keeping) + (keeping == 1 ? " room keeps" : " rooms keep") +
          " its learning to itself.\n";
  }

  md += "\n## You said, we did\n\n";
  if (record.items_size() == 0) md += "_Nothing raised with the programme yet._\n";
  std::map<std::string, const v1::ProgrammeAnswer*> answers;
  for (const auto& a : record.answers())
    answers[a.id()] = &a;
  for (const auto& item : record.items()) {
    const std::string from =
        item.room_id().empty()
            ? std::string("a room (anonymous)")
            : text(item.room_title().empty() ? item.room_id() : item.room_title());
    md += "- **You said** (" + from + ", " + date_time(item.raised_at_ms()) + ", " +
          category_name(item.category()) +
          (item.group().empty() ? "" : ", group " + text(item.group())) +
          "): " + text(item.text()) + "\n";
    if (auto a = answers.find(item.answer_id()); a != answers.end()) {
      md += "  - **We did** (" + text(a->second->answered_by()) + ", " +
            date_time(a->second->at_ms()) + "): " + text(a->second->text()) + "\n";
    } else {
      md += "  - _Not answered yet._\n";
    }
    if (item.closed()) {
      md += "  - Closed by the room on " + date_time(item.closed_at_ms()) + ".\n";
    }
  }
  // Answers that answer nothing listed (their items were from rooms since erased).
  std::string unlisted;
  for (const auto& a : record.answers()) {
    const bool listed = std::any_of(record.items().begin(), record.items().end(),
                                    [&](const auto& i) { return i.answer_id() == a.id(); });
    if (listed) continue;
    unlisted += "- **We did** (" + text(a.answered_by()) + ", " + date_time(a.at_ms()) +
                "): " + text(a.text()) + "\n";
  }
  if (!unlisted.empty()) md += "\n### Other answers\n\n" + unlisted;
  return md;
}

}  // namespace colead::room
