// Members' words placed into a Markdown document as text, never as Markdown.
//
// The learning record is opened in editors, wikis, Git hosts and mail, each with its own
// renderer. Whatever a member typed (a name, a title, a note) must come out as the same
// characters and nothing more: no heading, list, quote, table cell, link, image, HTML or
// script. So every ASCII punctuation character that CommonMark or GitHub Flavored Markdown
// gives a meaning to is backslash-escaped, characters that only mean something at the start
// of a line are escaped there, and anything a renderer would turn into a link by itself
// (https://..., www...., name@host.org) is set as code, which no renderer links.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace colead::room {

// `text` as one line of Markdown text: line breaks become spaces. For names, titles, list
// items and table cells.
std::string markdown_inline(std::string_view text);

// `text` as Markdown paragraphs that keep its lines: each line escaped as markdown_inline
// does, a line break kept as a hard break, blank lines as paragraph breaks.
std::string markdown_block(std::string_view text);

}  // namespace colead::room
