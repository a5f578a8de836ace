// The learning log's elements: the form to add a note, the filter, the list and the
// downloads, built once; and each note as an item, with its own edit form, removal question
// and earlier versions. The words come from notes_state.js; the mount (notes.js) passes what
// each control does.

import { el } from './dom.js';
import { CATEGORIES, MAX_CHARS, categoryWords, earlierVersions } from './notes_state.js';
import { dateAndTime } from './words.js';

function categorySelect(id, value = 'RELATIONSHIP') {
  const select = el('select', { id },
                    ...CATEGORIES.map(([v, words]) => el('option', { value: v }, words)));
  select.value = value;
  return select;
}

/** Builds the panel's own parts; returns them by name (`parts` in the panel's order). */
export function buildNotesPanel() {

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

  const parts = [
    message, addForm,
    el('div', { class: 'note-tools' },
       el('label', { for: 'notes-filter' }, 'Show'), filter),
    count, list,
    el('div', { class: 'actions note-export' }, exportMd, exportJson),
  ];
  return { parts, message, text, category, addForm, filter, count, list, exportMd, exportJson };
}

/**
 * The form that edits one's own `note`. `save(text, category)` resolves true when kept;
 * `problem(words)` shows what is wrong; `done()` closes the form.
 */
export function editForm(note, { save, problem, done }) {
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
      problem('A note needs some text; to take it away, remove it.');
      return area.focus();
    }
    if (await save(words, kind.value)) done();
  });
  form.querySelector('[data-action="cancel"]').addEventListener('click', done);
  setTimeout(() => area.focus(), 0);
  return form;
}

/** Asks under `item` whether to remove its note; `remove()` does it. */
export function confirmRemoval(item, remove) {
  const box = el('div', { class: 'notice important note-confirm', role: 'group',
                          'aria-label': 'Remove this note?' },
                 el('p', {}, 'Remove this note from the learning log? Earlier versions stay ' +
                             'in the room’s history until the room is erased.'));
  const yes = el('button', { type: 'button', class: 'button small' }, 'Remove');
  const no = el('button', { type: 'button', class: 'button small' }, 'Keep it');
  box.append(el('div', { class: 'actions' }, yes, no));
  yes.addEventListener('click', remove);
  no.addEventListener('click', () => {
    box.remove();
    item.querySelector('[data-action="remove"]')?.focus();
  });
  item.append(box);
  no.focus();
}

/**
 * Earlier versions of an edited note, fetched when opened (the log keeps its history):
 * `load()` resolves to the note's versions, oldest first.
 */
export function historyBox(load) {
  const list = el('ol', { class: 'note-history-list' });
  const box = el('details', { class: 'note-history' },
                 el('summary', {}, 'Earlier versions'), list);
  box.addEventListener('toggle', async () => {
    if (!box.open) return;
    list.replaceChildren(el('li', { class: 'hint' }, 'Loading…'));
    try {
      const earlier = earlierVersions(await load());
      list.replaceChildren(...(earlier.length ? earlier.map((v) => el(
        'li', {}, el('span', { class: 'note-history-text' }, v.text ?? ''),
        el('span', { class: 'hint' },
           ` — ${categoryWords(v.category)}, ${dateAndTime(Number(v.atMs ?? 0))}`))) :
        [el('li', { class: 'hint' }, 'No earlier versions.')]));
    } catch {
      list.replaceChildren(el('li', { class: 'field-error' },
                              'The earlier versions could not be loaded; try again.'));
    }
  });
  return box;
}
