// "Shared purpose and principles": the room's documents, written together at the same time.
// Everything is shared: each member types into the same text, sees where the others are,
// proposes and agrees to a version, sees who wrote which part, and can go back to any revision.
//
// Feed: `welcome.room.docs` (text, revision, agreed versions, authorship, catchingUp), then
// `applied` (others' edits), `ack` (one's own), `documents` (list, titles, agreements) and
// `presence` (where the others' carets are). Each document's text is a SharedEditor
// (editor.js) over ot_client.js; this module is the mount: it holds the list and the tabs and
// wires each document's elements (documents_view.js, documents_history.js) to its editor and
// to what the panel says (documents_state.js).

import { applyToRuns, runsFromWire, shares, sharesText } from './authorship.js';
import { byId, setFieldError } from './dom.js';
import * as docs from './documents_state.js';
import { documentHistory } from './documents_history.js';
import { selectionSender, wireDocumentActions } from './documents_actions.js';
import { buildDocumentView, buildDocumentsPanel, renderAgreed, renderAuthorship } from './documents_view.js';
import { CARET_COLOURS, SharedEditor } from './editor.js';
import { documentErrorText as errorText, isTransient } from './feedback.js';
import { capital } from './words.js';

const SELECTION_THROTTLE_MS = 150;

function randomPrefix() {
  const bytes = new Uint8Array(6);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('').slice(0, 10) + '-';
}

/** Mounts the documents panel. Returns { editor(docId) } (for other panels and tests). */
export function mountDocuments(room, links = {}) {
  const notify = links.notify ?? room.announce;
  const { connection } = room;
  const panel = byId('panel-documents');
  const clientPrefix = randomPrefix();
  /** docId -> entry { id, info, editor, runs, welcomeRuns, view, reload } */
  const entries = new Map();
  let order = [];
  let active = docs.PURPOSE;
  let selectAfterAdd = null;
  let joined = false;

  const { parts, tabs, views, addInput, addError, addForm } = buildDocumentsPanel();
  panel.append(...parts);

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
    const seen = new Set();
    for (const doc of welcome.room?.docs ?? []) {
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
    selections.forget();
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
      if (entry) entry.info = docs.mergeInfo(entry.info, doc);
      else create({ ...doc, text: '', rev: doc.rev ?? '0' });
    }
    for (const id of [...entries.keys()]) if (!seen.has(id)) drop(id);
    arrange();
    if (body.changedBy && body.changedBy !== connection.memberId) {
      const who = room.members?.nameOf(body.changedBy) ?? 'Someone';
      const after = new Map([...entries].map(([id, e]) => [id, e.info]));
      notify(docs.listChanges(before, after, who).join(' '));
    }
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

  // ---- the list and the tabs -----------------------------------------------------------

  function arrange() {
    order = docs.tabOrder([...entries.keys()]);
    // Nodes are moved only when the order changed: moving the one with the focus (the text
    // being typed, the agreement line) would drop the focus to the page.
    placeInOrder(tabs, order.map((id) => entries.get(id).view.tab));
    placeInOrder(views, order.map((id) => entries.get(id).view.root));
    if (!entries.has(active)) active = order[0] ?? null;
    for (const entry of entries.values()) renderMeta(entry);
    select(active, false);
  }

  function placeInOrder(parent, nodes) {
    const kids = parent.children;
    if (kids.length === nodes.length && nodes.every((node, i) => kids[i] === node)) return;
    const had = document.activeElement;
    parent.replaceChildren(...nodes);
    if (had && had !== document.activeElement && parent.contains(had)) had.focus();
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
    const next = docs.tabAfterKey(order, active, event.key);
    if (next === null) return;
    event.preventDefault();
    select(next, true);
  });

  // ---- one document ----------------------------------------------------------------------

  function create(doc) {
    const id = doc.id;
    const v = buildDocumentView(id);
    v.tab.addEventListener('click', () => select(id, false));
    const entry = { id, info: doc, view: v, runs: runsFromWire(doc.authorship), reload: false,
                    welcomeRuns: runsFromWire(doc.authorship) };
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
    wireDocumentActions(entry, room, showAuthorship);
    documentHistory(v.history, { id, revision: () => entry.editor.revision }, room, nameOf);
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
          if (isTransient(error)) return;
          reload(entry, error);
        });
  }

  // ---- carets and selections -------------------------------------------------------------

  const selections = selectionSender(connection, SELECTION_THROTTLE_MS);
  const queueSelection = (entry) => selections.queue(entry.id, entry.view.textarea, entry.editor);

  function showCarets(members) {
    const byDoc = docs.caretsByDoc(members, connection.memberId, CARET_COLOURS);
    for (const entry of entries.values()) {
      const list = byDoc.get(entry.id) ?? [];
      entry.editor.setRemote(list);
      entry.view.others.textContent = docs.othersText(list);
    }
  }

  // ---- status, agreement, authorship -----------------------------------------------------

  function updateStatus(entry) {
    const { editor, view } = entry;
    const text = docs.saveStatus({ catchingUp: editor.catchUpTo !== null, saved: editor.saved,
                                   joined });
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
    const { info, view, editor } = entry;
    const title = info.title || 'Untitled';
    view.tab.textContent = title;
    view.heading.textContent = title;
    view.label.textContent = `Text of ${title}`;
    const everyone = (room.members?.all() ?? []).map((m) => m.memberId);
    view.agreeStatus.textContent = docs.agreementText(info, editor.revision, everyone, nameOf,
                                                      capital);
    view.agreeError.hidden = true;
    renderAgreeButton(entry);
    renderAgreed(view, info, docs.earlierAgreements(info), () => editor.text, nameOf);
    view.authorship.textContent = capital(sharesText(shares(entry.runs), nameOf));
    showAuthorship(entry);
    updateStatus(entry);
  }

  function nameOf(memberId) {
    if (!memberId) return 'Someone';
    if (memberId === connection.memberId) return 'you';
    return room.members?.nameOf(memberId) ?? 'Someone';
  }

  function renderAgreeButton(entry) {
    const { info, view, editor } = entry;
    const button = docs.agreeButton(info, { me: connection.memberId, revision: editor.revision,
                                            saved: editor.saved, joined });
    view.agreeButton.textContent = button.text;
    view.agreeButton.hidden = button.hidden;
    view.agreeButton.disabled = button.disabled;
  }

  function showAuthorship(entry) {
    const colourOf = (id) => docs.colourOfSeat(room.members?.member(id)?.seat, CARET_COLOURS);
    renderAuthorship(entry.view, entry.runs, entry.editor.text, colourOf, nameOf);
  }

  return { editor: (id) => entries.get(id)?.editor ?? null };
}
