// "Shared purpose and principles": the room's documents, written together at the same time.
// Everything is shared: each member types into the same text, sees where the others are,
// proposes and agrees to a version, sees who wrote which part, and can go back to any revision.
//
// Feed: `welcome.room.docs` (text, revision, agreed versions, authorship, catchingUp), then
// `applied` (others' edits), `ack` (one's own), `documents` (list, titles, agreements) and
// `presence` (where the others' carets are). Each document's text is a SharedEditor
// (editor.js) over ot_client.js; this module holds the list, the tabs and everything around
// the text. History comes from the HTTP API with the member's invite token.

import { RequestError } from './connection.js';
import { byId, el, setFieldError } from './dom.js';
import { CARET_COLOURS, SharedEditor } from './editor.js';
import { applyToRuns, runsFromWire, shares, sharesText } from './authorship.js';
import { diffSummary, diffWords, renderDiff } from './diff_view.js';

const PURPOSE = 'purpose';
const PRINCIPLES = 'principles';
const HISTORY_PAGE = 50;
const SELECTION_THROTTLE_MS = 150;
const TRANSIENT = new Set(['DISCONNECTED', 'NOT_CONNECTED', 'TIMEOUT']);

function when(atMs) {
  const ms = Number(atMs);
  if (!Number.isFinite(ms) || ms <= 0) return 'at a time not recorded';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function listOfNames(names) {
  if (names.length === 0) return 'nobody yet';
  if (names.length === 1) return names[0];
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function capital(text) {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

function randomPrefix() {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('').slice(0, 10) + '-';
}

function errorText(error) {
  if (error instanceof RequestError && TRANSIENT.has(error.code)) {
    return 'Not connected to the room just now. Try again once it says Connected.';
  }
  return error?.message || 'The server could not do that.';
}

/** Mounts the documents panel. Returns { editor(docId) } (for other panels and tests). */
export function mountDocuments(room) {
  const { connection } = room;
  const panel = byId('panel-documents');
  const clientPrefix = randomPrefix();
  /** docId -> entry { id, info, editor, runs, welcomeRuns, view: {...}, reload } */
  const entries = new Map();
  let order = [];
  let active = PURPOSE;
  let selectAfterAdd = null;
  let joined = false;

  const tabs = el('div', { class: 'doc-tabs', role: 'tablist', 'aria-label': 'Documents' });
  const views = el('div', { class: 'doc-views' });
  const addInput = el('input', { id: 'doc-add-title', type: 'text', maxlength: '80',
                                 'aria-describedby': 'doc-add-error' });
  const addError = el('p', { class: 'field-error', id: 'doc-add-error', hidden: true });
  const addForm = el('form', { class: 'doc-add', novalidate: true },
                     el('div', { class: 'field' },
                        el('label', { for: 'doc-add-title' }, 'Add a document'),
                        el('p', { class: 'hint' }, 'For example your shared ambition.'),
                        addInput, addError),
                     el('div', { class: 'actions' },
                        el('button', { type: 'submit', class: 'button' }, 'Add document')));
  panel.append(
      el('p', { class: 'hint' },
         'Everything is shared: write your shared purpose and shared principles together, ' +
         'at the same time. Each of you types into the same text and sees where the others are.'),
      tabs, views, addForm);

  addForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = addInput.value.trim();
    setFieldError(addInput, addError, title ? null : 'Please give the document a title.');
    if (!title) return addInput.focus();
    try {
      const answer = await connection.request('document', { add: { title } });
      addInput.value = '';
      selectAfterAdd = answer.ack?.id ?? null;
      if (selectAfterAdd && entries.has(selectAfterAdd)) select(selectAfterAdd, true);
    } catch (error) {
      setFieldError(addInput, addError, errorText(error));
    }
  });

  // ---- from the server -----------------------------------------------------------------

  connection.addHelloPart(() => {
    const knownRevisions = {};
    for (const entry of entries.values()) {
      if (!entry.reload) knownRevisions[entry.id] = String(entry.editor.revision);
    }
    return { knownRevisions };
  });

  connection.on('welcome', (welcome) => {
    const docs = welcome.room?.docs ?? [];
    const seen = new Set();
    for (const doc of docs) {
      seen.add(doc.id);
      const entry = entries.get(doc.id);
      if (entry) {
        entry.reload = false;
        entry.info = doc;
        entry.welcomeRuns = runsFromWire(doc.authorship);
        entry.editor.welcomed(doc);
      } else {
        create(doc);
      }
    }
    for (const id of [...entries.keys()]) if (!seen.has(id)) drop(id);
    arrange();
    lastSelection = '';
    showCarets(welcome.room?.members ?? []);
    panel.hidden = false;
  });

  connection.on('applied', (body) => entries.get(body.doc)?.editor.applied(body));

  connection.on('ack', (body) => {
    if (body.doc && body.editId) entries.get(body.doc)?.editor.acknowledged(body);
  });

  connection.on('documents', (body) => {
    const seen = new Set();
    const before = new Map([...entries].map(([id, e]) => [id, e.info]));
    for (const doc of body.docs ?? []) {
      seen.add(doc.id);
      const entry = entries.get(doc.id);
      if (entry) {
        entry.info = { ...entry.info, ...doc, text: undefined };
        if (!doc.proposal) delete entry.info.proposal;
        if (!doc.agreed) delete entry.info.agreed;
      } else {
        create({ ...doc, text: '', rev: doc.rev ?? '0' });
      }
    }
    for (const id of [...entries.keys()]) if (!seen.has(id)) drop(id);
    arrange();
    announceChange(before, body);
    if (selectAfterAdd && entries.has(selectAfterAdd)) {
      select(selectAfterAdd, true);
      selectAfterAdd = null;
    }
  });

  connection.on('presence', (body) => showCarets(body.members ?? []));

  room.onConnectionState((state) => {
    joined = state === 'joined';
    for (const entry of entries.values()) updateStatus(entry);
  });

  function announceChange(before, body) {
    if (!body.changedBy || body.changedBy === connection.memberId) return;
    const who = room.members?.nameOf(body.changedBy) ?? 'Someone';
    for (const entry of entries.values()) {
      const was = before.get(entry.id);
      if (!was) room.announce(`${who} added the document “${entry.info.title}”.`);
      else if (was.title !== entry.info.title) {
        room.announce(`${who} renamed “${was.title}” to “${entry.info.title}”.`);
      } else if (entry.info.agreed && entry.info.agreed.atMs !== was.agreed?.atMs) {
        room.announce(`Everyone has agreed to the text of “${entry.info.title}”.`);
      } else if (entry.info.proposal && !was.proposal) {
        room.announce(`${who} proposed the text of “${entry.info.title}” as agreed.`);
      }
    }
    for (const [id, was] of before) {
      if (!entries.has(id)) room.announce(`${who} removed the document “${was.title}”.`);
    }
  }

  // ---- the list and the tabs -----------------------------------------------------------

  function arrange() {
    const ids = [...entries.keys()];
    const rank = (id) => (id === PURPOSE ? 0 : id === PRINCIPLES ? 1 : 2);
    order = ids.map((id, i) => [id, i])
        .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([id]) => id);
    tabs.replaceChildren(...order.map((id) => entries.get(id).view.tab));
    views.replaceChildren(...order.map((id) => entries.get(id).view.root));
    if (!entries.has(active)) active = order[0] ?? null;
    for (const entry of entries.values()) renderMeta(entry);
    select(active, false);
  }

  function select(id, focus) {
    if (!entries.has(id)) return;
    active = id;
    for (const entry of entries.values()) {
      const on = entry.id === id;
      entry.view.tab.setAttribute('aria-selected', String(on));
      entry.view.tab.tabIndex = on ? 0 : -1;
      entry.view.root.hidden = !on;
      if (on) entry.editor.renderCarets();
    }
    if (focus) entries.get(id).view.tab.focus();
  }

  tabs.addEventListener('keydown', (event) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    let index = order.indexOf(active);
    if (step) index = (index + step + order.length) % order.length;
    else if (event.key === 'Home') index = 0;
    else if (event.key === 'End') index = order.length - 1;
    else return;
    event.preventDefault();
    select(order[index], true);
  });

  // ---- one document ----------------------------------------------------------------------

  function create(doc) {
    const id = doc.id;
    const v = {};
    v.tab = el('button', { type: 'button', role: 'tab', id: `doc-tab-${id}`,
                           'aria-controls': `doc-view-${id}`, class: 'doc-tab' });
    v.tab.addEventListener('click', () => select(id, false));
    v.heading = el('h3', { class: 'doc-title' });
    v.status = el('p', { class: 'doc-status', role: 'status' });
    v.renameButton = el('button', { type: 'button', class: 'button small' }, 'Rename');
    v.removeButton = el('button', { type: 'button', class: 'button small' }, 'Remove');
    v.renameInput = el('input', { type: 'text', maxlength: '80', id: `doc-rename-${id}` });
    v.renameError = el('p', { class: 'field-error', hidden: true });
    v.renameForm = el('form', { class: 'doc-rename', hidden: true, novalidate: true },
                      el('label', { for: `doc-rename-${id}` }, 'New title'), v.renameInput,
                      v.renameError,
                      el('div', { class: 'actions' },
                         el('button', { type: 'submit', class: 'button small primary' }, 'Save title'),
                         el('button', { type: 'button', class: 'button small', 'data-cancel': '' },
                            'Cancel')));
    v.removeText = el('p', {});
    v.removeError = el('p', { class: 'field-error', hidden: true });
    v.removeConfirm = el('div', { class: 'doc-remove notice', hidden: true }, v.removeText, v.removeError,
                         el('div', { class: 'actions' },
                            el('button', { type: 'button', class: 'button small', 'data-yes': '' },
                               'Remove it'),
                            el('button', { type: 'button', class: 'button small', 'data-no': '' },
                               'Keep it')));
    v.textarea = el('textarea', { id: `doc-text-${id}`, class: 'doc-text', rows: '9',
                                  spellcheck: 'true', 'aria-describedby': `doc-others-${id}` });
    v.label = el('label', { for: `doc-text-${id}`, class: 'visually-hidden' });
    v.overlay = el('div', { class: 'doc-overlay', 'aria-hidden': 'true' });
    v.others = el('p', { class: 'hint doc-others', id: `doc-others-${id}` });

    v.agreeStatus = el('p', { class: 'agree-status' });
    v.agreeButton = el('button', { type: 'button', class: 'button primary agree-button' });
    v.agreeError = el('p', { class: 'field-error', hidden: true });
    v.agreed = el('div', { class: 'agreed-version' });
    v.earlier = el('details', { class: 'agreed-earlier', hidden: true },
                   el('summary', {}, 'Earlier agreed versions'), el('ol', {}));
    v.authorship = el('p', { class: 'authorship-summary' });
    v.whoWrote = el('details', { class: 'authorship-details' },
                    el('summary', {}, 'Show who wrote what'), el('div', { class: 'authorship-view' }));
    v.history = el('details', { class: 'doc-history' },
                   el('summary', {}, 'History: every revision'),
                   el('p', { class: 'hint history-note' }),
                   el('ol', { class: 'revision-list', reversed: true }),
                   el('button', { type: 'button', class: 'button small history-more', hidden: true },
                      'Show earlier revisions'),
                   el('div', { class: 'revision-view', hidden: true }));

    v.root = el('section', { class: 'doc-view', role: 'tabpanel', id: `doc-view-${id}`,
                             'aria-labelledby': `doc-tab-${id}` },
                el('div', { class: 'doc-head' }, v.heading,
                   el('div', { class: 'doc-actions' }, v.renameButton,
                      id === PURPOSE ? null : v.removeButton)),
                v.renameForm, v.removeConfirm,
                v.label,
                el('div', { class: 'doc-editor' }, v.textarea, v.overlay),
                v.status, v.others,
                el('section', { class: 'doc-agreement', 'aria-label': 'Agreed version' },
                   el('h4', {}, 'Agreeing on it together'), v.agreeStatus,
                   el('div', { class: 'actions' }, v.agreeButton), v.agreeError, v.agreed, v.earlier),
                el('section', { class: 'doc-authorship', 'aria-label': 'Who wrote it' },
                   el('h4', {}, 'Who wrote it'), v.authorship, v.whoWrote),
                v.history);

    const entry = { id, info: doc, view: v, runs: runsFromWire(doc.authorship), reload: false,
                    welcomeRuns: runsFromWire(doc.authorship), history: null };
    entry.editor = new SharedEditor({
      doc: { id, rev: doc.rev ?? 0, text: doc.text ?? '' },
      textarea: v.textarea,
      overlay: v.overlay,
      clientPrefix,
      hooks: {
        me: () => connection.memberId ?? '',
        send: (edit) => sendEdit(entry, edit),
        changed: (op, author) => {
          entry.runs = op ? applyToRuns(entry.runs, op, author) : entry.welcomeRuns;
          scheduleMeta(entry);
        },
        status: () => updateStatus(entry),
        selection: () => queueSelection(entry),
        failed: (error) => reload(entry, error),
        lost: () => room.announce(`Your latest changes to “${entry.info.title}” could not be ` +
                                  'kept after the connection was lost; the text is as the room has it.'),
      },
    });
    entries.set(id, entry);

    v.renameButton.addEventListener('click', () => {
      v.renameForm.hidden = !v.renameForm.hidden;
      v.renameInput.value = entry.info.title ?? '';
      setFieldError(v.renameInput, v.renameError, null);
      if (!v.renameForm.hidden) v.renameInput.focus();
    });
    v.renameForm.querySelector('[data-cancel]').addEventListener('click', () => {
      v.renameForm.hidden = true;
      v.renameButton.focus();
    });
    v.renameForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const title = v.renameInput.value.trim();
      setFieldError(v.renameInput, v.renameError, title ? null : 'Please give a title.');
      if (!title) return;
      try {
        await connection.request('document', { rename: { doc: id, title } });
        v.renameForm.hidden = true;
        v.renameButton.focus();
      } catch (error) {
        setFieldError(v.renameInput, v.renameError, errorText(error));
      }
    });
    v.removeButton.addEventListener('click', () => {
      v.removeText.textContent = `Remove “${entry.info.title}” for everyone in the room? ` +
          'Its history is kept until the room is erased.';
      v.removeError.hidden = true;
      v.removeConfirm.hidden = false;
      v.removeConfirm.querySelector('[data-no]').focus();
    });
    v.removeConfirm.querySelector('[data-no]').addEventListener('click', () => {
      v.removeConfirm.hidden = true;
      v.removeButton.focus();
    });
    v.removeConfirm.querySelector('[data-yes]').addEventListener('click', async () => {
      try {
        await connection.request('document', { remove: { doc: id } });
      } catch (error) {
        v.removeError.textContent = errorText(error);
        v.removeError.hidden = false;
      }
    });
    v.agreeButton.addEventListener('click', () => agree(entry));
    v.whoWrote.addEventListener('toggle', () => renderAuthorship(entry));
    v.history.addEventListener('toggle', () => {
      if (v.history.open && !entry.history) loadHistory(entry, null);
    });
    v.history.querySelector('.history-more').addEventListener('click', () => {
      loadHistory(entry, entry.history?.oldest ?? null);
    });
    return entry;
  }

  function drop(id) {
    const entry = entries.get(id);
    entries.delete(id);
    entry?.view.root.remove();
    entry?.view.tab.remove();
  }

  function reload(entry, error) {
    console.warn(`colead: reloading document ${entry.id}: ${error?.message ?? error}`);
    if (entry.reload) return;
    entry.reload = true;
    room.announce(`“${entry.info.title}” is being loaded again from the room.`);
    connection.rejoin();
  }

  function sendEdit(entry, edit) {
    connection.request('edit', { doc: entry.id, baseRev: String(edit.baseRev),
                                 op: edit.op.toJSON(), editId: edit.editId },
                       { timeoutMs: 30000 })
        .catch((error) => {
          // Kept by the editor: sent again after the next welcome, once caught up.
          if (error instanceof RequestError && TRANSIENT.has(error.code)) return;
          reload(entry, error);
        });
  }

  // ---- carets and selections -------------------------------------------------------------

  let lastSelection = '';
  let selectionTimer = null;
  let selectionFrom = null;

  function queueSelection(entry) {
    selectionFrom = entry;
    if (selectionTimer) return;
    selectionTimer = setTimeout(() => {
      selectionTimer = null;
      const from = selectionFrom;
      if (!from || document.activeElement !== from.view.textarea) return;
      const { anchor, head } = from.editor.selection();
      const key = `${from.id}:${anchor}:${head}`;
      if (key === lastSelection) return;
      if (connection.send('selection', { doc: from.id, anchor, head })) lastSelection = key;
    }, SELECTION_THROTTLE_MS);
  }

  function showCarets(members) {
    const me = connection.memberId;
    const byDoc = new Map();
    for (const m of members) {
      if (m.memberId === me || m.online !== true || !m.selection?.doc) continue;
      if (!byDoc.has(m.selection.doc)) byDoc.set(m.selection.doc, []);
      byDoc.get(m.selection.doc).push({ memberId: m.memberId, name: (m.name ?? '').trim() || 'Someone',
                  anchor: m.selection.anchor ?? 0, head: m.selection.head ?? 0,
                  colour: (Math.max(1, Number(m.seat ?? 1)) - 1) % CARET_COLOURS });
    }
    for (const entry of entries.values()) {
      const list = byDoc.get(entry.id) ?? [];
      entry.editor.setRemote(list);
      entry.view.others.textContent = list.length === 0 ? ''
        : `Also in this document: ${listOfNames(list.map((c) => c.name))}. ` +
          'Their carets are marked with their names.';
    }
  }

  // ---- status, agreement, authorship -----------------------------------------------------

  function updateStatus(entry) {
    const { editor, view } = entry;
    let text;
    if (editor.catchUpTo !== null) text = 'Catching up with the room…';
    else if (editor.saved) text = 'All changes saved.';
    else if (joined) text = 'Saving…';
    else text = 'Not connected: your changes are kept here and sent when the connection is back.';
    if (view.status.textContent !== text) view.status.textContent = text;
    view.status.dataset.saved = String(editor.saved);
    renderAgreeButton(entry);
  }

  const metaPending = new Set();
  function scheduleMeta(entry) {
    metaPending.add(entry);
    if (metaPending.size > 1) return;
    setTimeout(() => {
      for (const e of metaPending) if (entries.get(e.id) === e) renderMeta(e);
      metaPending.clear();
    }, 120);
  }

  function renderMeta(entry) {
    const { info, view } = entry;
    const title = info.title || 'Untitled';
    view.tab.textContent = title;
    view.heading.textContent = title;
    view.label.textContent = `Text of ${title}`;
    renderAgreement(entry);
    const list = shares(entry.runs);
    view.authorship.textContent = capital(sharesText(list, nameOf));
    renderAuthorship(entry);
    updateStatus(entry);
  }

  function nameOf(memberId) {
    if (!memberId) return 'Someone';
    if (memberId === connection.memberId) return 'you';
    return room.members?.nameOf(memberId) ?? 'Someone';
  }

  function renderAgreeButton(entry) {
    const { info, view, editor } = entry;
    const me = connection.memberId;
    const proposal = info.proposal;
    const mine = proposal && (proposal.agreedBy ?? []).includes(me);
    view.agreeButton.textContent = proposal
      ? (mine ? 'You have agreed to this text' : 'Agree to this text')
      : 'Propose this text as agreed';
    const current = info.agreed && Number(info.agreed.rev) === editor.revision && !proposal;
    view.agreeButton.hidden = Boolean(current);
    view.agreeButton.disabled = Boolean(mine) || !editor.saved || !joined;
  }

  function renderAgreement(entry) {
    const { info, view, editor } = entry;
    const everyone = room.members?.all() ?? [];
    const proposal = info.proposal;
    if (proposal) {
      const by = proposal.agreedBy ?? [];
      const waiting = everyone.filter((m) => !by.includes(m.memberId)).map((m) => nameOf(m.memberId));
      view.agreeStatus.textContent =
          `${capital(nameOf(proposal.proposedBy))} proposed this text (revision ${proposal.rev}) as the ` +
          `agreed version. Agreed so far: ${listOfNames(by.map(nameOf))}. ` +
          (waiting.length ? `Waiting for: ${listOfNames(waiting)}. ` : '') +
          'Any change to the text withdraws the proposal.';
    } else if (info.agreed && Number(info.agreed.rev) === editor.revision) {
      view.agreeStatus.textContent = 'This text is the agreed version: nothing has changed since.';
    } else {
      view.agreeStatus.textContent = info.agreed
        ? 'The text has changed since it was agreed. When you are ready, propose it again.'
        : 'Nothing is agreed yet. When the text says what you all mean, propose it: it is agreed ' +
          'once every member agrees to it.';
    }
    view.agreeError.hidden = true;
    renderAgreeButton(entry);

    const agreed = info.agreed;
    if (!agreed) {
      view.agreed.replaceChildren();
    } else {
      const changes = el('details', { class: 'agreed-changes' },
                         el('summary', {}, 'What has changed since'));
      const fill = () => {
        if (!changes.open) return;
        const parts = diffWords(agreed.text ?? '', editor.text);
        changes.replaceChildren(changes.firstChild, el('p', { class: 'hint' }, diffSummary(parts)),
                                renderDiff(parts));
      };
      changes.addEventListener('toggle', fill);
      const wasOpen = view.agreed.querySelector('.agreed-changes')?.open;
      view.agreed.replaceChildren(
          el('h4', {}, 'The agreed version'),
          el('p', {}, `Agreed ${when(agreed.atMs)} by ${listOfNames((agreed.agreedBy ?? []).map(nameOf))} ` +
                      `(revision ${agreed.rev}, proposed by ${nameOf(agreed.proposedBy)}).`),
          el('blockquote', { class: 'agreed-text' }, agreed.text || '(empty)'),
          changes);
      if (wasOpen) {
        changes.open = true;
        fill();
      }
    }
    const earlier = (info.agreedHistory ?? [])
        .filter((a) => !(agreed && a.rev === agreed.rev && a.atMs === agreed.atMs)).reverse();
    view.earlier.hidden = earlier.length === 0;
    view.earlier.querySelector('ol').replaceChildren(...earlier.map((a) => el('li', {},
        el('p', {}, `Revision ${a.rev}, agreed ${when(a.atMs)} by ` +
                    `${listOfNames((a.agreedBy ?? []).map(nameOf))}.`),
        el('blockquote', { class: 'agreed-text' }, a.text || '(empty)'))));
  }

  async function agree(entry) {
    const { view, editor } = entry;
    view.agreeError.hidden = true;
    try {
      await connection.request('document', { agree: { doc: entry.id, rev: String(editor.revision) } });
      room.announce(entry.info.proposal ? 'You agreed to this text.' : 'You proposed this text.');
    } catch (error) {
      view.agreeError.textContent = errorText(error);
      view.agreeError.hidden = false;
    }
  }

  function renderAuthorship(entry) {
    const { view, editor } = entry;
    if (!view.whoWrote.open) return;
    const box = view.whoWrote.querySelector('.authorship-view');
    const text = editor.text;
    const colourOf = (id) => (Math.max(1, Number(room.members?.member(id)?.seat ?? 1)) - 1) %
                             CARET_COLOURS;
    const parts = [];
    let at = 0;
    const chars = [...text];
    for (const run of entry.runs) {
      const piece = chars.slice(at, at + run.length).join('');
      at += run.length;
      parts.push(el('span', { class: `author-run caret-colour-${colourOf(run.author)}` },
                    el('span', { class: 'author-name' }, `${nameOf(run.author)}:`), ' ', piece));
    }
    if (at < chars.length) parts.push(chars.slice(at).join(''));
    box.replaceChildren(...parts);
  }

  // ---- history ---------------------------------------------------------------------------

  async function api(path) {
    const response = await room.api(`docs/${path}`);
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error?.message ?? `the server answered ${response.status}`);
    return body;
  }

  async function loadHistory(entry, before) {
    const { view, editor } = entry;
    const note = view.history.querySelector('.history-note');
    const list = view.history.querySelector('.revision-list');
    const more = view.history.querySelector('.history-more');
    const top = before === null ? editor.revision : before - 1;
    if (before === null) list.replaceChildren();
    if (top < 1) {
      note.textContent = 'No revisions yet: nothing has been written.';
      return;
    }
    const from = Math.max(1, top - HISTORY_PAGE + 1);
    note.textContent = 'Loading the revisions…';
    try {
      const body = await api(`${encodeURIComponent(entry.id)}/revisions?from=${from}` +
                             `&limit=${top - from + 1}`);
      const revisions = (body.revisions ?? []).slice().reverse();
      list.append(...revisions.map((r) => {
        const show = el('button', { type: 'button', class: 'button small' }, 'Show this version');
        show.addEventListener('click', () => showRevision(entry, Number(r.rev), r));
        return el('li', { value: String(r.rev) },
                  el('span', {}, `Revision ${r.rev}: ${nameOf(r.author)}, ${when(r.atMs)}, ` +
                                 `${Number(r.inserted ?? 0)} added, ${Number(r.deleted ?? 0)} removed. `),
                  show);
      }));
      entry.history = { oldest: from };
      more.hidden = from <= 1;
      note.textContent = `The text as it was at any revision can be shown and restored. ` +
                         'Restoring is a new edit, so nothing is lost.';
    } catch (error) {
      note.textContent = `The history could not be loaded: ${error.message}`;
    }
  }

  async function showRevision(entry, rev, info) {
    const box = entry.view.history.querySelector('.revision-view');
    box.hidden = false;
    box.replaceChildren(el('p', {}, `Loading revision ${rev}…`));
    try {
      const body = await api(`${encodeURIComponent(entry.id)}/text?rev=${rev}`);
      const restore = el('button', { type: 'button', class: 'button' }, 'Restore this version');
      const result = el('p', { role: 'status' });
      restore.addEventListener('click', async () => {
        try {
          await connection.request('document', { restore: { doc: entry.id, rev: String(rev) } });
          result.textContent = `Revision ${rev} is the current text again (as a new edit, so ` +
                               'nothing is lost).';
          loadHistory(entry, null);
        } catch (error) {
          result.textContent = errorText(error);
        }
      });
      const heading = el('h4', { tabindex: '-1' },
                         `Revision ${rev}, by ${nameOf(info.author)}, ${when(info.atMs)}`);
      box.replaceChildren(heading, el('blockquote', { class: 'revision-text' }, body.text || '(empty)'),
                          el('div', { class: 'actions' }, restore), result);
      heading.focus();
    } catch (error) {
      box.replaceChildren(el('p', {}, `Revision ${rev} could not be loaded: ${error.message}`));
    }
  }

  return { editor: (id) => entries.get(id)?.editor ?? null };
}
