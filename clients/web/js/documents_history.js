// A document's history, as its "History of changes" box shows it: the revisions from the HTTP
// API (with the member's invite token), a page at a time, grouped into changes
// (history_state.js), each a button naming who, when and what; showing one marks what it added
// and removed, and the text as it was before or after it can be restored as a new edit.

import { renderMarkedDiff } from './diff_view.js';
import { diffWords } from './diff_words.js';
import { el } from './dom.js';
import { documentErrorText } from './feedback.js';
import * as hs from './history_state.js';
import { capital, dateAndTime, timeOfDay } from './words.js';

/** Texts kept per document for summaries and shown changes; past this the cache starts again. */
const MAX_TEXTS = 200;
/** How often an open history looks for new edits. */
const FOLLOW_MS = 3000;

const clock = {
  timeOfDay,
  dateAndTime,
  sameDay: (a, b) => new Date(a).toDateString() === new Date(b).toDateString(),
};

/**
 * Fills document `doc`'s history box `box` (the <details> of documents_view.js).
 * `doc`: { id, revision() }; `room`: { api, connection }; `nameOf(id)` names members ("you"
 * for oneself). The history loads when the box opens and again each time it is reopened.
 * Returns { load() }.
 */
export function documentHistory(box, doc, room, nameOf) {
  const note = box.querySelector('.history-note');
  const list = box.querySelector('.change-list');
  const more = box.querySelector('.history-more');
  const view = box.querySelector('.change-view');
  let history = hs.emptyHistory();
  let wanted = hs.CHANGES_SHOWN;
  let loading = null;
  let pending = 0;
  let generation = 0;
  let shownFrom = null;
  let rendered = null;
  let timer = null;
  const texts = new Map();
  const now = () => Date.now() + (room.connection.clockOffsetMs || 0);

  async function api(path) {
    const ask = () => room.api(`docs/${encodeURIComponent(doc.id)}/${path}`);
    let response = await ask();
    // 409: the revision is still being saved; it is there a moment later.
    if (response.status === 409) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      response = await ask();
    }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new Error(body.error?.message ?? `the server answered ${response.status}`);
    }
    return body;
  }

  function textAt(rev) {
    if (rev <= 0) return Promise.resolve('');
    if (!texts.has(rev)) {
      if (texts.size >= MAX_TEXTS) texts.clear();
      const asked = api(`text?rev=${rev}`).then((body) => body.text ?? '');
      asked.catch(() => texts.delete(rev));
      texts.set(rev, asked);
    }
    return texts.get(rev);
  }

  async function changeParts(change) {
    const [before, after] = await Promise.all([textAt(change.from - 1), textAt(change.to)]);
    return diffWords(before, after);
  }

  const who = (change) => capital(hs.changeTitle(change, nameOf));

  function changeItem(change, at) {
    const what = el('span', { class: 'change-what' }, 'Working out what changed…');
    const button = el('button', { type: 'button', class: 'change-button', 'data-from': change.from,
                                  'aria-controls': view.id },
                      el('span', { class: 'change-who' }, `${who(change)}, `),
                      el('time', { class: 'change-when',
                                   datetime: new Date(change.endMs).toISOString() },
                         hs.changeTime(change, at, clock)),
                      el('span', { class: 'visually-hidden' }, ': '), what);
    if (change.from === shownFrom) button.setAttribute('aria-current', 'true');
    button.addEventListener('click', () => show(change, button));
    changeParts(change).then((parts) => {
      what.textContent = capital(hs.changeSummary(parts));
    }).catch(() => {
      what.textContent = `${change.inserted} characters added, ${change.deleted} removed`;
    });
    return el('li', {}, button, el('span', { class: 'change-detail' }, hs.changeDetail(change)));
  }

  function render() {
    const changes = hs.groupChanges(history);
    const complete = hs.nextPage(history, doc.revision()) === null;
    const listed = changes.filter((c) => c.complete || complete).slice(0, wanted);
    const at = now();
    const active = document.activeElement;
    const focused = list.contains(active) ? active.dataset.from : null;
    list.replaceChildren(...listed.map((c) => changeItem(c, at)));
    if (focused) buttonFor(focused)?.focus();
    rendered = { revision: history.top, at };
    more.hidden = listed.length >= changes.length && complete;
    const says = listed.length === 0 ? 'No changes yet: nothing has been written.'
      : 'Newest first. One person’s edits close together count as one change. Show a change ' +
        'to see what it added and removed, and to go back to the text before or after it (as ' +
        'a new edit, so nothing is lost).';
    // Said again only when it changes: the note is read out when it does.
    if (note.textContent !== says) note.textContent = says;
    return listed;
  }

  /** Loads pages until `wanted` changes can be listed (bounded by the state's limits). */
  async function fill() {
    const mine = generation;
    if (list.children.length === 0) note.textContent = 'Loading the changes…';
    try {
      for (let pages = 0; pages < hs.MAX_REVISIONS / hs.REVISION_PAGE; pages++) {
        if (!hs.needsMore(history, wanted + 1, doc.revision())) break;
        const page = hs.nextPage(history, doc.revision());
        const body = await api(`revisions?from=${page.from}&limit=${page.limit}`);
        if (mine !== generation) return [];
        history = hs.addPage(history, page, body.revisions);
      }
      return render();
    } catch (error) {
      note.textContent = `The history could not be loaded: ${error.message}`;
      return [];
    }
  }

  /** Runs `task` after the ones before it, one load at a time. */
  function run(task) {
    pending++;
    const done = () => { pending--; };
    loading = (loading ?? Promise.resolve()).then(task, task).finally(done);
    return loading;
  }

  /** Loads the newest changes again (the document may have grown since). */
  function load() {
    generation++;
    history = hs.emptyHistory();
    wanted = hs.CHANGES_SHOWN;
    return run(fill);
  }

  /**
   * While the box is open: the list follows new edits (a few seconds behind, so typing does not
   * redraw it on every key) and says again how long ago each change was, once a minute.
   */
  function follow() {
    if (!box.isConnected) clearInterval(timer);
    if (!box.open || !box.isConnected || !rendered || pending > 0) return;
    const moved = doc.revision() !== rendered.revision;
    if (!moved && now() - rendered.at < 60_000) return;
    generation++;
    history = hs.emptyHistory();
    run(fill);
  }

  function showMore() {
    const before = list.children.length;
    wanted += hs.CHANGES_SHOWN;
    run(fill).then(() => {
      list.children[before]?.querySelector('button')?.focus();
    });
  }

  /** The list's button for the change from revision `from`, or its first button. */
  function buttonFor(from) {
    return list.querySelector(`button[data-from="${from}"]`) ?? list.querySelector('button');
  }

  function backToList() {
    buttonFor(shownFrom)?.focus();
  }

  async function show(change, button) {
    shownFrom = change.from;
    for (const b of list.querySelectorAll('button[aria-current]')) {
      b.removeAttribute('aria-current');
    }
    button.setAttribute('aria-current', 'true');
    const title = change.restore ? who(change) : `Change by ${nameOf(change.author)}`;
    const heading = el('h4', { tabindex: '-1', id: `${view.id}-title` },
                       `${title}, ${hs.changeTime(change, now(), clock)}`);
    // The heading stays in place while the rest fills in, so focus stays on it.
    const content = el('div', {}, el('p', {}, 'Loading what changed…'));
    view.hidden = false;
    view.replaceChildren(heading, content);
    heading.focus();
    try {
      const parts = await changeParts(change);
      const [before, after] = await Promise.all([textAt(change.from - 1), textAt(change.to)]);
      if (shownFrom !== change.from) return;
      const whole = el('details', { class: 'change-whole' },
                       el('summary', {}, 'The whole text before and after this change'),
                       el('h5', {}, 'Before'),
                       el('blockquote', { class: 'revision-text' }, before || '(empty)'),
                       el('h5', {}, 'After'),
                       el('blockquote', { class: 'revision-text' }, after || '(empty)'));
      const result = el('p', { role: 'status', class: 'change-result' });
      const restoreBefore = el('button', { type: 'button', class: 'button' },
                               'Restore the text from before this change');
      const restoreAfter = el('button', { type: 'button', class: 'button' },
                              'Restore the text as this change left it');
      const back = el('button', { type: 'button', class: 'button' }, 'Back to the list of changes');
      restoreBefore.addEventListener('click', () => restore(change.from - 1, 'before', result));
      restoreAfter.addEventListener('click', () => restore(change.to, 'after', result));
      back.addEventListener('click', backToList);
      content.replaceChildren(
          el('p', { class: 'change-summary' }, `${capital(hs.changeSummary(parts))}. `,
             el('span', { class: 'hint' }, 'Added words are underlined, removed words are ' +
                                           'struck through.')),
          renderMarkedDiff(hs.trimUnchanged(parts)),
          el('p', { class: 'change-detail' }, capital(hs.changeDetail(change))),
          whole,
          el('div', { class: 'actions' }, restoreBefore,
             change.to === doc.revision() ? null : restoreAfter, back),
          result);
    } catch (error) {
      content.replaceChildren(el('p', {}, `This change could not be loaded: ${error.message}`));
    }
  }

  async function restore(rev, which, result) {
    try {
      await room.connection.request('document', { restore: { doc: doc.id, rev: String(rev) } });
      result.textContent = `The text is as it was ${which} this change again. It is a new ` +
                           'change at the top of the list, so nothing is lost.';
      load();
    } catch (error) {
      // The room keeps the most recent edits ready to restore; older text can still be read.
      result.textContent = error?.code === 'BAD_REVISION'
        ? 'This text is too old to restore here. You can still copy it from “The whole text ' +
          'before and after this change” above.'
        : documentErrorText(error);
    }
  }

  view.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    backToList();
  });
  box.addEventListener('toggle', () => {
    clearInterval(timer);
    if (!box.open) return;
    load();
    timer = setInterval(follow, FOLLOW_MS);
  });
  more.addEventListener('click', showMore);
  return { load };
}
