// "Learning log": what the room is learning, written down as it happens — about our
// relationship, how we work and our local system — so it can be shared with the people the
// pair wants to influence ("Capture that learning... Share your learning with those whom you
// seek to influence and with peers. Get yourself a slot with the board.").
//
// Anyone adds a note, in a category; a note written while a meeting runs belongs to that
// meeting and appears in its summary. Only its author edits or removes a note; the server
// keeps every earlier version, and anyone can open them. The whole learning record downloads as Markdown or JSON, with
// the member's invite token (never in the address).
//
// Feed: `welcome.room.notes` (oldest first), then `noteAdded` and `noteUpdated`.
//
// This file is the mount: it wires the elements (notes_view.js) to the log's state
// (notes_state.js) and to the room.

import { byId, el, setMessage } from './dom.js';
import { requester } from './feedback.js';
import { focusKeeper } from './focus.js';
import * as log from './notes_state.js';
import { buildNotesPanel, confirmRemoval, editForm, historyBox } from './notes_view.js';
import { dateAndTime } from './words.js';

/**
 * Mounts the learning log. `links.meetingTitle(meetingId)` names the meeting a note was
 * written in; `links.notify(text)` tells people what others added. Returns { compose() } for
 * the room to hand on.
 */
export function mountNotes(room, links = {}) {
  const panel = byId('panel-notes');
  const conn = room.connection;
  const state = log.createLog();
  const ui = buildNotesPanel();
  panel.append(...ui.parts);
  panel.hidden = false;

  const me = () => conn.memberId;
  const nameOf = (id) => (id === me() ? 'You' : room.members?.nameOf?.(id) || 'Someone');
  const say = (words) => setMessage(ui.message, words);
  const send = requester(conn, 'note', say);
  const focus = focusKeeper();
  let adding = false;

  // ---- adding --------------------------------------------------------------------------
  ui.addForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const words = ui.text.value.trim();
    const problem = log.newNoteProblem(words);
    if (problem) {
      say(problem);
      return ui.text.focus();
    }
    // The button stays enabled while the note goes (a disabled button would drop the focus).
    if (adding) return;
    adding = true;
    const answer = await send({ text: words, category: ui.category.value });
    adding = false;
    if (answer) {
      ui.text.value = '';
      room.announce?.('Added to the learning log.');
      // The focus goes to the new note once it is listed; until then (or if a filter hides
      // it) it stays on the button.
      const id = answer.ack?.id;
      if (id) focus.want(() => ui.list.querySelector(`[data-note-id="${CSS.escape(id)}"] .note-text`));
    }
  });

  // ---- one note --------------------------------------------------------------------------
  function focusNote(id) {
    ui.list.querySelector(`[data-note-id="${CSS.escape(id)}"] .note-text`)?.focus();
  }

  function edit(note) {
    const done = () => {
      state.editing = null;
      render();
      focusNote(note.id);
    };
    return editForm(note, {
      save: (text, category) => send({ noteId: note.id, text, category }),
      problem: say,
      done,
    });
  }

  function noteItem(note) {
    const mine = note.author === me();
    const meeting = links.meetingTitle?.(note.meetingId);
    const edited = Number(note.version ?? 0) > 0;
    const item = el('li', { class: 'note', 'data-note-id': note.id,
                            'data-category': note.category ?? 'OTHER' });
    if (state.editing === note.id && mine) {
      item.append(edit(note));
      return item;
    }
    item.append(
      el('p', { class: 'note-category' }, log.categoryWords(note.category),
         note.takeaway ? ' · takeaway' : '', note.personal ? ' · only you see this' : ''),
      el('p', { class: 'note-text', tabindex: -1 }, note.text ?? ''),
      el('p', { class: 'note-meta hint' },
         `${nameOf(note.author)}, ${dateAndTime(Number(note.atMs ?? 0))}`,
         meeting ? `, in ${meeting}` : '',
         edited ? ' (edited)' : ''),
    );
    if (edited) item.append(historyBox(() => versionsOf(note)));
    if (mine) {
      const editButton = el('button', { type: 'button', class: 'button small',
                                        'data-action': 'edit' }, 'Edit');
      const remove = el('button', { type: 'button', class: 'button small',
                                    'data-action': 'remove' }, 'Remove');
      editButton.addEventListener('click', () => {
        state.editing = note.id;
        render();
      });
      remove.addEventListener('click', () => confirmRemoval(item, async () => {
        if (await send({ noteId: note.id, remove: true })) {
          room.announce?.('The note was removed.');
          ui.filter.focus();
        }
      }));
      item.append(el('div', { class: 'actions note-actions' }, editButton, remove));
    }
    return item;
  }

  async function versionsOf(note) {
    const response = await room.api(`notes/${encodeURIComponent(note.id)}/history`);
    if (!response.ok) throw new Error(String(response.status));
    return (await response.json()).versions ?? [];
  }

  // ---- rendering -------------------------------------------------------------------------
  function render() {
    const { shown, count } = log.shownNotes(state, ui.filter.value);
    ui.count.textContent = count;
    ui.list.replaceChildren(...shown.map(noteItem));
  }

  ui.filter.addEventListener('change', render);

  // ---- the learning record ------------------------------------------------------------------
  async function download(format) {
    say('');
    try {
      const response = await room.api(`export?format=${format}`);
      if (!response.ok) throw new Error(String(response.status));
      const blob = await response.blob();
      const url = URL.createObjectURL(blob);
      const link = el('a', { href: url, download: `learning-record-${room.id}.${format}` });
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch {
      say('The learning record could not be downloaded. Try again in a moment.');
    }
  }
  ui.exportMd.addEventListener('click', () => download('md'));
  ui.exportJson.addEventListener('click', () => download('json'));

  // ---- the feed ------------------------------------------------------------------------------
  conn.on('welcome', (welcome) => {
    log.takeWelcome(state, welcome.room?.notes);
    render();
  });
  // An open editor keeps its text: while one is open the list waits.
  const refresh = () => {
    if (state.editing === null) render();
  };
  conn.on('noteAdded', ({ note }) => {
    log.takeNote(state, note);
    refresh();
    if (note && note.author !== me() && !note.personal) {
      (links.notify ?? room.announce)?.(`${nameOf(note.author)} added to the learning log: ${note.text}`);
    }
    focus.settle();
  });
  conn.on('noteUpdated', ({ note }) => {
    log.takeUpdate(state, note);
    refresh();
  });
  conn.on('presence', refresh);
  conn.on('meetingState', refresh);

  return {
    /** Brings the add form into view and puts the focus in it. */
    compose() {
      ui.addForm.scrollIntoView({ block: 'nearest' });
      ui.text.focus();
    },
  };
}
