#include "room/learning_record.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "room/markdown_text.hpp"
#include "room/meeting_name.hpp"
#include "room/reflection_rule.hpp"
#include "room/room_records.hpp"
#include "room/wire.hpp"

namespace colead::room {

namespace {

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

// The share as every screen shows it (rounded down; see reflection_rule.hpp).
std::string percent(std::int64_t task_ms, std::int64_t reflection_ms) {
  return std::to_string(reflection_rule::shown_percent(task_ms, reflection_ms)) + "%";
}

const char* category_name(v1::LearningNote::Category c) {
  switch (c) {
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

// A meeting item is a MeetingState (room_meeting.cpp); its summary is set once the meeting
// ended, and only ended meetings belong in the record. A meeting that was running when the
// server stopped is written back as ended when its room loads.
bool meeting_summary_of(const std::string& payload, v1::MeetingSummary& out) {
  v1::MeetingState state;
  if (!meeting_from_stored(payload, state) || !state.has_summary()) return false;
  out = state.summary();
  return true;
}

}  // namespace

v1::LearningNote::Category shown_category(int category) {
  if (category == v1::LearningNote::CATEGORY_UNSPECIFIED ||
      !v1::LearningNote::Category_IsValid(category)) {
    return v1::LearningNote::OTHER;
  }
  return static_cast<v1::LearningNote::Category>(category);
}

bool build_learning_record(const store::room_image& image,
                           const std::map<std::string, revision_counts>& revisions,
                           const std::string& member_id, std::int64_t now_ms, v1::RoomExport& out,
                           std::string& error) {
  room_model model;
  if (!model_from_image(image, {}, model, error)) return false;
  out.set_id(model.id);
  out.set_title(model.title);
  out.set_created_at_ms(model.created_at_ms);
  out.set_exported_at_ms(now_ms);
  std::map<std::string, std::string> names;
  for (const auto& s : model.seats) {
    if (!s.taken) continue;
    names[s.member_id] = s.name;
    auto* m = out.add_members();
    m->set_member_id(s.member_id);
    m->set_name(s.name);
    m->set_role(s.role);
    m->set_seat(s.number);
    m->set_facilitator(s.number == model.facilitator_seat);
  }
  for (const auto& doc : model.docs) {
    if (doc.removed) continue;
    auto* d = out.add_docs();
    *d->mutable_document() = document_to_wire(doc, true);
    std::map<std::string, std::uint32_t> written;
    for (const auto& share : doc.text.shares()) {
      written[share.author] = static_cast<std::uint32_t>(share.code_points);
    }
    std::map<std::string, std::uint32_t> counts;
    if (auto it = revisions.find(doc.id); it != revisions.end()) counts = it->second;
    for (const auto& [author, n] : written)
      counts.try_emplace(author, 0);
    for (const auto& [author, n] : counts) {
      if (author.empty()) continue;
      auto* a = d->add_authors();
      a->set_member_id(author);
      a->set_name(names.count(author) ? names[author] : author);
      a->set_revisions(n);
      a->set_code_points(written.count(author) ? written[author] : 0);
    }
  }
  for (const auto& item : image.items) {
    if (item.kind == "meeting") {
      v1::MeetingSummary summary;
      if (meeting_summary_of(item.payload, summary)) *out.add_meetings() = std::move(summary);
    } else if (item.kind == "note") {
      v1::LearningNote note;
      if (!note_from_stored(item.payload, note) || note.removed()) continue;
      if (note.personal() && note.author() != member_id) continue;
      note.set_category(shown_category(note.category()));
      *out.add_notes() = std::move(note);
    } else if (item.kind == "consult") {
      v1::ConsultState consult;
      if (!consult_from_stored(item.payload, consult) || consult.consult_id().empty()) continue;
      auto* c = out.add_consults();
      c->set_consult_id(consult.consult_id());
      c->set_script_name(consult.script_name());
      c->set_status(consult.status());
      c->set_at_ms(item.at_ms);
      c->set_round_count(consult.round_count());
      *c->mutable_takeaways() = consult.takeaways();
    } else if (item.kind == "question") {
      v1::QuestionAdded question;
      if (question_from_stored(item.payload, question)) *out.add_questions() = std::move(question);
    } else if (item.kind == "event") {
      v1::Nudge nudge;
      if (event_from_stored(item.payload, nudge)) *out.add_programme_messages() = std::move(nudge);
    }
  }
  auto by_time = [](const auto& a, const auto& b) { return a.at_ms() < b.at_ms(); };
  std::stable_sort(out.mutable_notes()->begin(), out.mutable_notes()->end(), by_time);
  std::stable_sort(out.mutable_questions()->begin(), out.mutable_questions()->end(), by_time);
  std::stable_sort(
      out.mutable_meetings()->begin(), out.mutable_meetings()->end(),
      [](const auto& a, const auto& b) { return a.started_at_ms() < b.started_at_ms(); });
  std::stable_sort(out.mutable_consults()->begin(), out.mutable_consults()->end(), by_time);
  std::stable_sort(out.mutable_programme_messages()->begin(),
                   out.mutable_programme_messages()->end(), by_time);
  // Named and shown as the room's pages name and show them (meeting_name.hpp,
  // reflection_rule.hpp), meetings stored before every meeting had a name included.
  for (int i = 0; i < out.meetings_size(); ++i) {
    auto* m = out.mutable_meetings(i);
    m->set_title(meeting_name(m->title(), static_cast<std::size_t>(i) + 1, m->started_at_ms()));
    m->set_share_pct(static_cast<std::uint32_t>(
        reflection_rule::shown_percent(m->task_ms(), m->reflection_ms())));
  }
  return true;
}

std::string render_markdown(const v1::RoomExport& record) {
  // Everything a member wrote goes through markdown_inline or markdown_block: it is shown as
  // the text it is and can never become a heading, a link, HTML or a script.
  const auto text = [](const std::string& s) { return markdown_inline(s); };
  std::map<std::string, std::string> names;
  for (const auto& m : record.members())
    names[m.member_id()] = m.name();
  auto name = [&](const std::string& id) { return text(names.count(id) ? names[id] : id); };

  std::string md;
  md += "# " + text(record.title()) + "\n\n";
  md += "Learning record exported from Colead on " + date_time(record.exported_at_ms()) +
        ". Room created on " + date_time(record.created_at_ms()) + ".\n\n";
  md += "## Who we are\n\n";
  for (const auto& m : record.members()) {
    md += "- " + text(m.name()) + (m.role().empty() ? "" : " (" + text(m.role()) + ")") + "\n";
  }
  for (const auto& d : record.docs()) {
    const auto& doc = d.document();
    md += "\n## " + text(doc.title()) + "\n\n";
    const auto body = markdown_block(doc.text());
    md += body.empty() ? "_Not written yet._\n" : body + "\n";
    if (doc.has_agreed()) {
      std::string by;
      for (const auto& m : doc.agreed().agreed_by())
        by += (by.empty() ? "" : ", ") + name(m);
      md += "\nAgreed version (revision " + std::to_string(doc.agreed().rev()) + ", " +
            date_time(doc.agreed().at_ms()) + ", agreed by " + by + ")";
      if (doc.agreed().rev() == doc.rev()) {
        md += ": the text above.\n";
      } else {
        // Quoted line by line, so the whole of it stays inside the quote.
        md += ":\n\n> ";
        for (char c : markdown_block(doc.agreed().text())) {
          md += c;
          if (c == '\n') md += "> ";
        }
        md += "\n";
      }
    }
    if (d.authors_size() > 0) {
      md += "\nWritten by: ";
      bool first = true;
      for (const auto& a : d.authors()) {
        md += (first ? "" : "; ") + text(a.name()) + " (" + std::to_string(a.revisions()) +
              " revisions, " + std::to_string(a.code_points()) + " characters of the text)";
        first = false;
      }
      md += ".\n";
    }
  }
  md += "\n## Meetings and reflection\n\n";
  if (record.meetings_size() == 0)
    md += "_No meetings yet._\n";
  else {
    md += "| meeting | date | task | reflection | reflection share | target | met | reason |\n";
    md += "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (const auto& m : record.meetings()) {
      md += "| " + text(m.title()) + " | " + date_time(m.started_at_ms()) + " | " +
            minutes(m.task_ms()) + " | " + minutes(m.reflection_ms()) + " | " +
            percent(m.task_ms(), m.reflection_ms()) + " | " + std::to_string(m.target_pct()) +
            "% | " + (m.met() ? "yes" : "no") + " | " + text(m.reason()) + " |\n";
    }
  }
  md += "\n## What we learned\n";
  for (auto category : {v1::LearningNote::RELATIONSHIP, v1::LearningNote::HOW_WE_WORK,
                        v1::LearningNote::LOCAL_SYSTEM, v1::LearningNote::OTHER}) {
    std::string section;
    for (const auto& n : record.notes()) {
      if (shown_category(n.category()) != category) continue;
      section += "- " + text(n.text()) + " — " + name(n.author()) + ", " + date_time(n.at_ms()) +
                 (n.takeaway() ? " (takeaway)" : "") + "\n";
    }
    if (!section.empty()) md += "\n### " + std::string(category_name(category)) + "\n\n" + section;
  }
  if (record.notes_size() == 0) md += "\n_No notes yet._\n";
  md += "\n## What we took from consulting to each other\n\n";
  if (record.consults_size() == 0) md += "_No consults yet._\n";
  for (const auto& c : record.consults()) {
    md += "### " + text(c.script_name().empty() ? "Consult" : c.script_name()) + ", " +
          date_time(c.at_ms()) + "\n\n";
    if (c.takeaways_size() == 0) md += "_No takeaways recorded._\n\n";
    for (const auto& t : c.takeaways()) {
      md += "- " + text(t.text()) + " — " + name(t.member_id()) +
            (c.round_count() > 1 ? ", round " + std::to_string(t.round()) : "") + "\n";
    }
    if (c.takeaways_size() > 0) md += "\n";
  }
  md += "\n## Questions we asked each other\n\n";
  if (record.questions_size() == 0) md += "_No questions yet._\n";
  for (const auto& q : record.questions()) {
    md += "- " + text(q.text()) + " — " + name(q.author()) + "\n";
  }
  // Only rooms in a programme hear from its facilitators.
  if (record.programme_messages_size() > 0) md += "\n## From the programme's facilitators\n\n";
  for (const auto& n : record.programme_messages()) {
    const bool time_call = n.kind() == v1::Nudge::TIME_CALL;
    md +=
        "- " + date_time(n.at_ms()) + ", " + text(n.from_facilitator()) +
        (time_call ? " called time (" + std::to_string(n.minutes_left()) + " minutes left)" : "") +
        (n.message().empty() ? "" : ": " + text(n.message())) + "\n";
  }
  return md;
}

}  // namespace colead::room
