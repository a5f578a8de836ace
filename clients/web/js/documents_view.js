// One document of the documents panel as elements: its tab, its heading and actions, the
// text with the carets' overlay, the agreement, who wrote it and its history. Built from a
// document's id; filled from state by the functions below. No handlers: documents.js wires
// them (the history fills itself: documents_history.js).

import { diffSummary, diffWords, renderDiff } from './diff_view.js';
import { el } from './dom.js';
import { PURPOSE } from './documents_state.js';
import { listOfNames, when } from './words.js';

/** The panel's own elements: the intro, the tabs, the views and the form to add a document. */
export function buildDocumentsPanel() {
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
  const intro = el('p', { class: 'hint' },
         'Everything is shared: write your shared purpose and shared principles together, ' +
         'at the same time. Each of you types into the same text and sees where the others are.');

  return { parts: [intro, tabs, views, addForm], tabs, views, addInput, addError, addForm };
}

/** Builds the elements of document `id`; returns them by name. */
export function buildDocumentView(id) {
  const v = {};
  v.tab = el('button', { type: 'button', role: 'tab', id: `doc-tab-${id}`,
                         'aria-controls': `doc-view-${id}`, class: 'doc-tab' });
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
                 el('summary', {}, 'History of changes'),
                 el('p', { class: 'hint history-note', 'aria-live': 'polite' }),
                 el('ul', { class: 'change-list', 'aria-label': 'Changes, newest first' }),
                 el('button', { type: 'button', class: 'button small history-more', hidden: true },
                    'Show earlier changes'),
                 el('section', { class: 'change-view', id: `change-view-${id}`, hidden: true,
                                 'aria-labelledby': `change-view-${id}-title` }));

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

  return v;
}

/**
 * Fills the agreed version (with "What has changed since", kept open across refills) and the
 * earlier agreed versions. `currentText()` is the text now; `nameOf` names members.
 */
export function renderAgreed(v, info, earlier, currentText, nameOf) {
  const agreed = info.agreed;
  if (!agreed) {
    v.agreed.replaceChildren();
  } else {
    const changes = el('details', { class: 'agreed-changes' },
                       el('summary', {}, 'What has changed since'));
    const fill = () => {
      if (!changes.open) return;
      const parts = diffWords(agreed.text ?? '', currentText());
      changes.replaceChildren(changes.firstChild, el('p', { class: 'hint' }, diffSummary(parts)),
                              renderDiff(parts));
    };
    changes.addEventListener('toggle', fill);
    const wasOpen = v.agreed.querySelector('.agreed-changes')?.open;
    v.agreed.replaceChildren(
        el('h4', {}, 'The agreed version'),
        el('p', {}, `Agreed ${when(agreed.atMs)} by ${listOfNames((agreed.agreedBy ?? []).map(nameOf))} ` +
                    `(proposed by ${nameOf(agreed.proposedBy)}).`),
        el('blockquote', { class: 'agreed-text' }, agreed.text || '(empty)'),
        changes);
    if (wasOpen) {
      changes.open = true;
      fill();
    }
  }
  v.earlier.hidden = earlier.length === 0;
  v.earlier.querySelector('ol').replaceChildren(...earlier.map((a) => el('li', {},
      el('p', {}, `Agreed ${when(a.atMs)} by ` +
                  `${listOfNames((a.agreedBy ?? []).map(nameOf))}.`),
      el('blockquote', { class: 'agreed-text' }, a.text || '(empty)'))));
}

/**
 * Fills "Show who wrote what" (when open) with the text in authorship runs, each marked with
 * its author's name and caret colour: `colourOf(id)`, `nameOf(id)`.
 */
export function renderAuthorship(v, runs, text, colourOf, nameOf) {
  if (!v.whoWrote.open) return;
  const box = v.whoWrote.querySelector('.authorship-view');
  const parts = [];
  let at = 0;
  const chars = [...text];
  for (const run of runs) {
    const piece = chars.slice(at, at + run.length).join('');
    at += run.length;
    parts.push(el('span', { class: `author-run caret-colour-${colourOf(run.author)}` },
                  el('span', { class: 'author-name' }, `${nameOf(run.author)}:`), ' ', piece));
  }
  if (at < chars.length) parts.push(chars.slice(at).join(''));
  box.replaceChildren(...parts);
}
