// A document's history, as its "History: every revision" box shows it: the revisions from the
// HTTP API (with the member's invite token), a page at a time, any one of them shown, and
// restored as a new edit.

import { el } from './dom.js';
import { historyPage } from './documents_state.js';
import { documentErrorText } from './feedback.js';
import { when } from './words.js';

/**
 * Fills document `doc`'s history box `box` (the <details> of documents_view.js).
 * `doc`: { id, revision() }; `room`: { api, connection }; `nameOf(id)` names members.
 * Returns { load(before) }: load(null) loads the newest page, load(n) the page below
 * revision n; `oldest()` is the oldest revision loaded so far, or null.
 */
export function documentHistory(box, doc, room, nameOf) {
  let oldest = null;

  async function api(path) {
    const response = await room.api(`docs/${encodeURIComponent(doc.id)}/${path}`);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error?.message ?? `the server answered ${response.status}`);
    return body;
  }

  async function load(before) {
    const note = box.querySelector('.history-note');
    const list = box.querySelector('.revision-list');
    const more = box.querySelector('.history-more');
    if (before === null) list.replaceChildren();
    const page = historyPage(before, doc.revision());
    if (!page) {
      note.textContent = 'No revisions yet: nothing has been written.';
      return;
    }
    const { from, top } = page;
    note.textContent = 'Loading the revisions…';
    try {
      const body = await api(`revisions?from=${from}&limit=${top - from + 1}`);
      const revisions = (body.revisions ?? []).slice().reverse();
      list.append(...revisions.map((r) => {
        const show = el('button', { type: 'button', class: 'button small' }, 'Show this version');
        show.addEventListener('click', () => showRevision(Number(r.rev), r));
        return el('li', { value: String(r.rev) },
                  el('span', {}, `Revision ${r.rev}: ${nameOf(r.author)}, ${when(r.atMs)}, ` +
                                 `${Number(r.inserted ?? 0)} added, ${Number(r.deleted ?? 0)} removed. `),
                  show);
      }));
      oldest = from;
      more.hidden = from <= 1;
      note.textContent = `The text as it was at any revision can be shown and restored. ` +
                         'Restoring is a new edit, so nothing is lost.';
    } catch (error) {
      note.textContent = `The history could not be loaded: ${error.message}`;
    }
  }

  async function showRevision(rev, info) {
    const view = box.querySelector('.revision-view');
    view.hidden = false;
    view.replaceChildren(el('p', {}, `Loading revision ${rev}…`));
    try {
      const body = await api(`text?rev=${rev}`);
      const restore = el('button', { type: 'button', class: 'button' }, 'Restore this version');
      const result = el('p', { role: 'status' });
      restore.addEventListener('click', async () => {
        try {
          await room.connection.request('document', { restore: { doc: doc.id, rev: String(rev) } });
          result.textContent = `Revision ${rev} is the current text again (as a new edit, so ` +
                               'nothing is lost).';
          load(null);
        } catch (error) {
          result.textContent = documentErrorText(error);
        }
      });
      const heading = el('h4', { tabindex: '-1' },
                         `Revision ${rev}, by ${nameOf(info.author)}, ${when(info.atMs)}`);
      view.replaceChildren(heading, el('blockquote', { class: 'revision-text' }, body.text || '(empty)'),
                           el('div', { class: 'actions' }, restore), result);
      heading.focus();
    } catch (error) {
      view.replaceChildren(el('p', {}, `Revision ${rev} could not be loaded: ${error.message}`));
    }
  }

  box.addEventListener('toggle', () => {
    if (box.open && oldest === null) load(null);
  });
  box.querySelector('.history-more').addEventListener('click', () => load(oldest));
  return { load };
}
