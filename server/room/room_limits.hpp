// The limits a room enforces. Every one is configurable from the command line and tested.
#pragma once

#include <cstddef>

namespace colead::room {

struct room_limits {
  std::size_t max_connections = 32;        // devices connected to one room at once
  std::size_t max_name_chars = 60;         // display name and context role, in code points
  std::size_t max_doc_chars = 20'000;      // one document's text, in code points
  std::size_t max_docs = 12;               // documents in one room
  std::size_t max_title_chars = 80;        // a document's title, in code points
  std::size_t max_note_chars = 4'000;      // one learning-log note, in code points
  std::size_t max_log_bytes = 4 << 20;     // the notes of one room together, in bytes of text
  std::size_t max_agreed_bytes = 1 << 20;  // the agreed versions of one document, in bytes of text
  std::size_t max_question_chars = 1'000;  // one consult question, in code points
  std::size_t max_signal_bytes = 32 * 1024;      // one call signal (SDP or ICE candidate), encoded
  std::size_t call_video_limit = 4;              // members a call may have with cameras on
  std::size_t max_programme_item_chars = 2'000;  // one item raised with the programme
  std::size_t max_programme_items = 100;         // items one room raises with its programme
};

}  // namespace colead::room
