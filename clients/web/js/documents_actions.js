// What the controls of one document ask of the room (rename, remove, agree), and the member's
// own caret and selection as the others see it, sent at most every so often.

import { setFieldError } from './dom.js';
import { documentErrorText as errorText } from './feedback.js';

/**
 * Wires the rename, remove, agree and "who wrote what" controls of one document `entry`
 * ({ id, info, view, editor }) to the room ({ connection, announce });
 * `showAuthorship(entry)` fills "who wrote what".
 */
export function wireDocumentActions(entry, { connection, announce }, showAuthorship) {
  const { id, view: v } = entry;
  const closeRename = () => {
    v.renameForm.hidden = true;
    v.renameButton.focus();
  };
  v.renameButton.addEventListener('click', () => {
    v.renameForm.hidden = !v.renameForm.hidden;
    v.renameInput.value = entry.info.title ?? '';
    setFieldError(v.renameInput, v.renameError, null);
    if (!v.renameForm.hidden) v.renameInput.focus();
  });
  v.renameForm.querySelector('[data-cancel]').addEventListener('click', closeRename);
  v.renameForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = v.renameInput.value.trim();
    setFieldError(v.renameInput, v.renameError, title ? null : 'Please give a title.');
    if (!title) return;
    try {
      await connection.request('document', { rename: { doc: id, title } });
      closeRename();
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
  v.agreeButton.addEventListener('click', async () => {
    v.agreeError.hidden = true;
    try {
      await connection.request('document', { agree: { doc: id, rev: String(entry.editor.revision) } });
      announce(entry.info.proposal ? 'You agreed to this text.' : 'You proposed this text.');
      // Once agreed the button is disabled; the focus goes to the result, the line saying
      // where the agreement stands.
      v.agreeStatus.tabIndex = -1;
      v.agreeStatus.focus();
    } catch (error) {
      v.agreeError.textContent = errorText(error);
      v.agreeError.hidden = false;
    }
  });
  v.whoWrote.addEventListener('toggle', () => showAuthorship(entry));
}

/**
 * Sends this member's selection in a document, at most once per `throttleMs` and only when
 * it changed. queue(docId, textarea, editor) after any selection change; forget() after a
 * welcome (the room has forgotten it).
 */
export function selectionSender(connection, throttleMs) {
  let last = '';
  let timer = null;
  let from = null;
  return {
    queue(docId, textarea, editor) {
      from = { docId, textarea, editor };
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (!from || document.activeElement !== from.textarea) return;
        const { anchor, head } = from.editor.selection();
        const key = `${from.docId}:${anchor}:${head}`;
        if (key === last) return;
        if (connection.send('selection', { doc: from.docId, anchor, head })) last = key;
      }, throttleMs);
    },
    forget() {
      last = '';
    },
  };
}
