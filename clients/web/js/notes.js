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

import { RequestError } from './connection.js';
import { byId, el } from './dom.js';

export const CATEGORIES = Object.freeze([
  ['RELATIONSHIP', 'Our relationship'],
  ['HOW_WE_WORK', 'How we work'],
  ['LOCAL_SYSTEM', 'Our local system'],
  ['OTHER', 'Other'],
]);

const CATEGORY_WORDS = Object.fromEntries(CATEGORIES);
const MAX_CHARS = 4000;

function errorText(error) {
  if (error instanceof RequestError) return error.message;
  return 'Something went wrong; try again.';
}

function when(unixMs) {
  return new Date(Number(unixMs ?? 0)).toLocaleString([], {
    day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

function categorySelect(id, value = 'RELATIONSHIP') {
  const select = el('select', { id },
                    ...CATEGORIES.map(([v, words]) => el('option', { value: v }, words)));
  select.value = value;
  return select;
}

/** Mounts the learning log. Returns { compose() } for the other panels. */
export function mountNotes(room, links = {}) {
  const panel = byId('panel-notes');
  const conn = room.connection;
  const notes = new Map();  // id -> LearningNote, as the server last sent it
  let editing = null;  // id of the note being edited here

  // ---- the DOM -------------------------------------------------------------------------
  const message = el('p', { id: 'notes-message', class: 'field-error', role: 'alert',
                            hidden: true });
  const text = el('textarea', { id: 'note-text', rows: 3, maxlength: MAX_CHARS,
                                'aria-describedby': 'note-text-hint' });
  const category = categorySelect('note-category');
  const addForm = el(
    'form', { id: 'note-add', class: 'stack note-add', novalidate: true },
    el('div', { class: 'field' },
       el('label', { for: 'note-text' }, 'What are we learning?'),
       el('p', { class: 'hint', id: 'note-text-hint' },
          'About your relationship, how you are working, or your local system. Everyone in ' +
          'the room sees it, with your name.'),
       text),
    el('div', { class: 'field' }, el('label', { for: 'note-category' }, 'It is about'), category),
    el('div', { class: 'actions' },
       el('button', { type: 'submit', class: 'button primary', id: 'note-add-button' },
          'Add to the learning log')),
  );

  const filter = el('select', { id: 'notes-filter' },
                    el('option', { value: '' }, 'Everything'),
                    ...CATEGORIES.map(([v, words]) => el('option', { value: v }, words)));
  const count = el('p', { id: 'notes-count', class: 'hint', role: 'status' });
  const list = el('ol', { id: 'notes-list', class: 'note-list', reversed: true });

  const exportMd = el('button', { type: 'button', class: 'button small', id: 'notes-export-md' },
                      'Download the learning record (Markdown)');
  const exportJson = el('button', { type: 'button', class: 'button small',
                                    id: 'notes-export-json' }, 'Download as JSON');

  panel.append(
    message, addForm,
    el('div', { class: 'note-tools' },
       el('label', { for: 'notes-filter' }, 'Show'), filter),
    count, list,
    el('div', { class: 'actions note-export' }, exportMd, exportJson),
  );
  panel.hidden = false;

  // ---- helpers -------------------------------------------------------------------------
  const me = () => conn.memberId;
  const nameOf = (id) => (id === me() ? 'You' : room.members?.nameOf?.(id) || 'Someone');

  function setMessage(words) {
    message.textContent = words || '';
    message.hidden = !words;
  }

  async function send(body) {
    setMessage('');
    try {
      return await conn.request('note', body);
    } catch (error) {
      setMessage(errorText(error));
      return null;
    }
  }

  function take(note) {
    if (!note?.id) return;
    notes.set(note.id, note);
  }

  // ---- adding --------------------------------------------------------------------------
  addForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const words = text.value.trim();
    if (!words) {
      setMessage('Write something first.');
      return text.focus();
    }
    if ([...words].length > MAX_CHARS) {
      setMessage(`A note is at most ${MAX_CHARS.toLocaleString()} characters.`);
      return text.focus();
    }
    const button = byId('note-add-button');
    button.disabled = true;
    const ack = await send({ text: words, category: category.value });
    button.disabled = false;
    if (ack) {
      text.value = '';
      room.announce?.('Added to the learning log.');
    }
  });

  // ---- editing and removing ---------------------------------------------------------------
  function editor(note) {
    const area = el('textarea', { id: `note-edit-${note.id}`, rows: 3, maxlength: MAX_CHARS },
                    note.text ?? '');
    const kind = categorySelect(`note-edit-category-${note.id}`, note.category ?? 'OTHER');
    const form = el(
      'form', { class: 'stack note-edit', novalidate: true },
      el('div', { class: 'field' }, el('label', { for: area.id }, 'Edit your note'), area),
      el('div', { class: 'field' }, el('label', { for: kind.id }, 'It is about'), kind),
      el('div', { class: 'actions' },
         el('button', { type: 'submit', class: 'button primary small' }, 'Save'),
         el('button', { type: 'button', class: 'button small', 'data-action': 'cancel' },
            'Cancel')),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const words = area.value.trim();
      if (!words) {
        setMessage('A note needs some text; to take it away, remove it.');
        return area.focus();
      }
      if (await send({ noteId: note.id, text: words, category: kind.value })) {
        editing = null;
        render();
        focusNote(note.id);
      }
    });
    form.querySelector('[data-action="cancel"]').addEventListener('click', () => {
      editing = null;
      render();
      focusNote(note.id);
    });
    setTimeout(() => area.focus(), 0);
    return form;
  }

  function confirmRemoval(item, note) {
    const box = el('div', { class: 'notice important note-confirm', role: 'group',
                            'aria-label': 'Remove this note?' },
                   el('p', {}, 'Remove this note from the learning log? Earlier versions stay ' +
                               'in the room’s history until the room is erased.'));
    const yes = el('button', { type: 'button', class: 'button small' }, 'Remove');
    const no = el('button', { type: 'button', class: 'button small' }, 'Keep it');
    box.append(el('div', { class: 'actions' }, yes, no));
    yes.addEventListener('click', async () => {
      if (await send({ noteId: note.id, remove: true })) {
        room.announce?.('The note was removed.');
        filter.focus();
      }
    });
    no.addEventListener('click', () => {
      box.remove();
      item.querySelector('[data-action="remove"]')?.focus();
    });
    item.append(box);
    no.focus();
  }

  // Earlier versions of an edited note, fetched when opened: the log keeps its history.
  function historyOf(note) {
    const list = el('ol', { class: 'note-history-list' });
    const box = el('details', { class: 'note-history' },
                   el('summary', {}, 'Earlier versions'), list);
    box.addEventListener('toggle', async () => {
      if (!box.open) return;
      list.replaceChildren(el('li', { class: 'hint' }, 'Loading…'));
      try {
        const response = await room.api(`notes/${encodeURIComponent(note.id)}/history`);
        if (!response.ok) throw new Error(String(response.status));
        const versions = (await response.json()).versions ?? [];
        const earlier = versions.slice(0, -1).reverse();
        list.replaceChildren(...(earlier.length ? earlier.map((v) => el(
          'li', {}, el('span', { class: 'note-history-text' }, v.text ?? ''),
          el('span', { class: 'hint' },
             ` — ${CATEGORY_WORDS[v.category] ?? 'Other'}, ${when(v.atMs)}`))) :
          [el('li', { class: 'hint' }, 'No earlier versions.')]));
      } catch {
        list.replaceChildren(el('li', { class: 'field-error' },
                                'The earlier versions could not be loaded; try again.'));
      }
    });
    return box;
  }

  function focusNote(id) {
    list.querySelector(`[data-note-id="${CSS.escape(id)}"] .note-text`)?.focus();
  }

  // ---- rendering -------------------------------------------------------------------------
  function render() {
    const shown = [...notes.values()]
        .filter((n) => !n.removed && (!filter.value || (n.category ?? 'OTHER') === filter.value))
        .sort((a, b) => Number(b.atMs ?? 0) - Number(a.atMs ?? 0));
    const all = [...notes.values()].filter((n) => !n.removed).length;
    count.textContent = all === 0 ? 'Nothing in the log yet.'
      : filter.value ? `${shown.length} of ${all} notes shown.`
      : all === 1 ? '1 note.' : `${all} notes.`;
    list.replaceChildren(...shown.map((note) => {
      const mine = note.author === me();
      const meeting = links.meetingTitle?.(note.meetingId);
      const item = el('li', { class: 'note', 'data-note-id': note.id,
                              'data-category': note.category ?? 'OTHER' });
      if (editing === note.id && mine) {
        item.append(editor(note));
        return item;
      }
      item.append(
        el('p', { class: 'note-category' }, CATEGORY_WORDS[note.category] ?? 'Other',
           note.takeaway ? ' · takeaway' : '', note.personal ? ' · only you see this' : ''),
        el('p', { class: 'note-text', tabindex: -1 }, note.text ?? ''),
        el('p', { class: 'note-meta hint' },
           `${nameOf(note.author)}, ${when(note.atMs)}`,
           meeting ? `, in ${meeting}` : '',
           Number(note.version ?? 0) > 0 ? ' (edited)' : ''),
      );
      if (Number(note.version ?? 0) > 0) item.append(historyOf(note));
      if (mine) {
        const edit = el('button', { type: 'button', class: 'button small', 'data-action': 'edit' },
                        'Edit');
        const remove = el('button', { type: 'button', class: 'button small',
                                      'data-action': 'remove' }, 'Remove');
        edit.addEventListener('click', () => {
          editing = note.id;
          render();
        });
        remove.addEventListener('click', () => confirmRemoval(item, note));
        item.append(el('div', { class: 'actions note-actions' }, edit, remove));
      }
      return item;
    }));
  }

  filter.addEventListener('change', render);

  // ---- the learning record ------------------------------------------------------------------
  async function download(format) {
    setMessage('');
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
      setMessage('The learning record could not be downloaded; try again in a moment.');
    }
  }
  exportMd.addEventListener('click', () => download('md'));
  exportJson.addEventListener('click', () => download('json'));

  // ---- the feed ------------------------------------------------------------------------------
  conn.on('welcome', (welcome) => {
    notes.clear();
    for (const note of welcome.room?.notes ?? []) take(note);
    if (editing && !notes.has(editing)) editing = null;
    render();
  });
  // An open editor keeps its text: while one is open the list waits.
  const refresh = () => {
    if (editing === null) render();
  };
  conn.on('noteAdded', ({ note }) => {
    take(note);
    refresh();
    if (note && note.author !== me()) {
      room.announce?.(`${nameOf(note.author)} added to the learning log: ${note.text}`);
    }
  });
  conn.on('noteUpdated', ({ note }) => {
    take(note);
    if (note?.removed && editing === note.id) editing = null;
    refresh();
  });
  conn.on('presence', refresh);
  conn.on('meetingState', refresh);

  return {
    /** Brings the add form into view and puts the focus in it. */
    compose() {
      addForm.scrollIntoView({ block: 'nearest' });
      text.focus();
    },
  };
}
