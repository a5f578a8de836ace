// A document's history as people read it: the revisions from the HTTP API (one per edit,
// often one per key) grouped into changes, each named, timed and summed up in words. Pure: no
// DOM, no fetching; documents_history.js loads the pages and shows the changes. Tested in
// tests/web/history_state.test.mjs.
//
// A change is a run of consecutive revisions by one member with no pause of GROUP_GAP_MS or
// more between two of them and nobody else's edit in between, as document editors' version
// histories group them. Going back to an earlier version (an edit id "restore-…") is a change
// of its own.

import { countWords } from './diff_words.js';

/** A pause this long or longer between two edits of one person starts a new change. */
export const GROUP_GAP_MS = 5 * 60 * 1000;
/** Revisions asked for per request (the server gives at most 5,000). */
export const REVISION_PAGE = 500;
/** Changes listed at first and added by each "Show earlier changes". */
export const CHANGES_SHOWN = 10;
/** Revisions loaded per document at most: past this the oldest changes are not listed. */
export const MAX_REVISIONS = 20_000;

/** An empty history: nothing loaded. */
export function emptyHistory() {
  return { revisions: [], from: null, top: 0 };
}

/**
 * The page of revisions to ask for next: the newest when nothing is loaded (the document is
 * at `revision`), otherwise the one below the oldest loaded. { from, limit } or null when
 * everything (or as much as MAX_REVISIONS allows) is loaded.
 */
export function nextPage(history, revision) {
  const top = history.from === null ? revision : history.from - 1;
  if (top < 1) return null;
  if (history.revisions.length >= MAX_REVISIONS) return null;
  const from = Math.max(1, top - REVISION_PAGE + 1);
  return { from, limit: top - from + 1 };
}

/** A revision from the API as numbers: { rev, author, atMs, inserted, deleted, restore }. */
function revisionOf(r) {
  return {
    rev: Number(r.rev),
    author: String(r.author ?? ''),
    atMs: Number(r.atMs ?? 0),
    inserted: Number(r.inserted ?? 0),
    deleted: Number(r.deleted ?? 0),
    restore: String(r.editId ?? '').startsWith('restore-'),
  };
}

/**
 * The history with page `list` (the API's revisions, oldest first, from `from`) added below
 * what was loaded. A page that is not the one asked for is refused (returns the history as
 * it was), so a late answer cannot leave a gap.
 */
export function addPage(history, page, list) {
  const asked = page.from + page.limit - 1;
  const top = history.from === null ? asked : Math.min(asked, history.from - 1);
  const revisions = (list ?? []).map(revisionOf)
      .filter((r) => Number.isFinite(r.rev) && r.rev >= page.from && r.rev <= top)
      .sort((a, b) => a.rev - b.rev);
  const last = history.from === null ? asked : history.top;
  return { revisions: [...revisions, ...history.revisions], from: page.from, top: last };
}

/** Whether `next` continues the change `change` (same person, soon after, same kind). */
function continues(change, next) {
  return change.author === next.author && !change.restore && !next.restore &&
         next.atMs - change.endMs < GROUP_GAP_MS;
}

/**
 * The loaded revisions grouped into changes, newest first: [{ author, from, to, startMs,
 * endMs, edits, inserted, deleted, restore, complete }]. `from`..`to` are its revisions; the
 * text before it is revision from - 1. `complete` is false for the oldest change while earlier
 * revisions are not loaded (it may reach further back).
 */
export function groupChanges(history) {
  const changes = [];
  let current = null;
  for (const r of history.revisions) {
    if (current && current.to === r.rev - 1 && continues(current, r)) {
      current.to = r.rev;
      current.endMs = Math.max(current.endMs, r.atMs);
      current.edits += 1;
      current.inserted += r.inserted;
      current.deleted += r.deleted;
    } else {
      current = { author: r.author, from: r.rev, to: r.rev, startMs: r.atMs, endMs: r.atMs,
                  edits: 1, inserted: r.inserted, deleted: r.deleted, restore: r.restore,
                  complete: true };
      changes.push(current);
    }
  }
  if (changes.length > 0 && history.from !== null && history.from > 1) changes[0].complete = false;
  return changes.reverse();
}

/** Whether more pages must be loaded to list `wanted` complete changes. */
export function needsMore(history, wanted, revision) {
  const complete = groupChanges(history).filter((c) => c.complete).length;
  return complete < wanted && nextPage(history, revision) !== null;
}

/** "just now", "1 minute ago", "3 hours ago", "yesterday", "4 days ago". */
export function timeAgo(atMs, nowMs) {
  const minutes = Math.floor(Math.max(0, nowMs - atMs) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  const days = Math.floor(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/**
 * When a change was made, "10:42 (3 minutes ago)"; with the day in front when it was not
 * today: "6 Dec, 10:42 (yesterday)". `clock` is { timeOfDay(ms), dateAndTime(ms), sameDay(a,
 * b) } from words.js (so the words follow the device's language).
 */
export function changeTime(change, nowMs, clock) {
  if (!(change.endMs > 0)) return 'at a time not recorded';
  const at = clock.sameDay(change.endMs, nowMs) ? clock.timeOfDay(change.endMs)
                                                  : clock.dateAndTime(change.endMs);
  return `${at} (${timeAgo(change.endMs, nowMs)})`;
}

function count(n, one, many) {
  return n === 1 ? `a ${one}` : `${n} ${many}`;
}

/** The sentences of `text` when it is nothing but whole sentences, else 0. */
function wholeSentences(text, before) {
  const trimmed = text.trim();
  if (!trimmed || !/(^|[.!?:]\s*)$|\n\s*$/u.test(before)) return 0;
  const sentences = trimmed.match(/[^.!?]*[^.!?\s][^.!?]*[.!?]+["'”’)]*/gu) ?? [];
  if (sentences.join('').replace(/\s+/gu, '') !== trimmed.replace(/\s+/gu, '')) return 0;
  const real = sentences.filter((s) => countWords(s) >= 2).length;
  return real === sentences.length ? real : 0;
}

/** How much of kind `type` ('ins' or 'del') the parts hold, in words: "3 words", "a sentence". */
function amount(parts, type) {
  let words = 0;
  let sentences = 0;
  let allSentences = true;
  let before = '';
  const other = type === 'ins' ? 'del' : 'ins';
  for (const [i, part] of parts.entries()) {
    if (part.type === type) {
      words += countWords(part.text);
      // A full stop kept from before belongs to the sentence that now ends with it.
      const next = parts.slice(i + 1).find((p) => p.type !== other);
      const stop = next?.type === 'same' ? next.text.match(/^\p{P}*/u)[0] : '';
      const n = countWords(part.text) > 0 ? wholeSentences(part.text + stop, before) : 0;
      if (countWords(part.text) > 0 && n === 0) allSentences = false;
      sentences += n;
    }
    if (part.type !== other) before += part.text;
  }
  if (words === 0) return null;
  if (allSentences && sentences > 0) {
    return { words, text: count(sentences, 'sentence', 'sentences') };
  }
  return { words, text: count(words, 'word', 'words') };
}

/**
 * What a change did, in a short phrase, from its word comparison `parts` (diff_words.js):
 * "added 42 words", "removed a sentence", "changed a word", "added 3 words and removed 2",
 * "changed the punctuation", "changed the spacing", "made no change in the end".
 */
export function changeSummary(parts) {
  const added = amount(parts, 'ins');
  const removed = amount(parts, 'del');
  if (added && removed) {
    if (added.words === removed.words && !/sentence/u.test(added.text + removed.text)) {
      return `changed ${count(added.words, 'word', 'words')}`;
    }
    return `added ${added.text} and removed ${removed.text}`;
  }
  if (added) return `added ${added.text}`;
  if (removed) return `removed ${removed.text}`;
  if (!parts.some((p) => p.type !== 'same')) return 'made no change in the end';
  return parts.some((p) => p.type !== 'same' && /\S/u.test(p.text)) ? 'changed the punctuation'
                                                                     : 'changed the spacing';
}

/** What a change is called in the list: "Asha", "Asha went back to an earlier version". */
export function changeTitle(change, nameOf) {
  const who = nameOf(change.author);
  return change.restore ? `${who} went back to an earlier version` : who;
}

/** The secondary detail of a change: "12 edits, revisions 3 to 14". */
export function changeDetail(change) {
  const edits = change.edits === 1 ? '1 edit' : `${change.edits} edits`;
  const revs = change.from === change.to ? `revision ${change.from}`
                                         : `revisions ${change.from} to ${change.to}`;
  return `${edits}, ${revs}`;
}

/**
 * The parts with long unchanged stretches shortened to their ends around "…", so a change
 * in a long text can be found: `keep` characters are kept next to each change.
 */
export function trimUnchanged(parts, keep = 160) {
  return parts.map((part, i) => {
    if (part.type !== 'same') return part;
    const chars = [...part.text];
    const first = i === 0;
    const last = i === parts.length - 1;
    const room = (first || last ? keep : 2 * keep) + 40;
    if (chars.length <= room) return part;
    const head = first ? '' : chars.slice(0, keep).join('');
    const tail = last ? '' : chars.slice(chars.length - keep).join('');
    return { type: 'same', text: `${head}…${tail}`, trimmed: true };
  });
}
