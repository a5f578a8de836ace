// A room's programme as elements: the facilitators' latest messages, their proposals with
// Accept and Decline, the room's choice to share its learning (and who made it), the form to
// raise what gets in the way, the items raised (this room's, which it closes once answered,
// and the other rooms') and the programme's answers. The words come from programme_state.js;
// no handlers here: programme.js wires them.

import { el } from './dom.js';
import { CATEGORIES, RAISE_MAX } from './programme_state.js';

/** Builds the panel's parts once; returns them by name (`parts` in the panel's order). */
export function buildProgrammePanel() {
  const intro = el('p', { class: 'hint', id: 'programme-intro' });
  const message = el('p', { id: 'programme-message', class: 'field-error', role: 'alert',
                            hidden: true });
  const fromFacilitators = el('ul', { id: 'programme-messages', class: 'programme-list' });
  const messagesBox = el('section', { 'aria-labelledby': 'programme-messages-title', hidden: true },
                         el('h3', { id: 'programme-messages-title' }, 'From the facilitators'),
                         fromFacilitators);
  const proposals = el('ul', { id: 'programme-proposals', class: 'programme-list' });
  const proposalsBox = el('section', { 'aria-labelledby': 'programme-proposals-title',
                                       hidden: true },
                          el('h3', { id: 'programme-proposals-title' }, 'Proposed to your room'),
                          proposals);

  const share = el('input', { type: 'checkbox', id: 'programme-share',
                              'aria-describedby': 'programme-share-state programme-share-by' });
  const shareState = el('p', { class: 'hint', id: 'programme-share-state' });
  const shareBy = el('p', { class: 'hint', id: 'programme-share-by', role: 'status' });
  const shareBox = el('div', { class: 'programme-share' },
                      el('p', { class: 'check' }, share, ' ',
                         el('label', { for: 'programme-share' },
                            'Share our learning with the programme’s facilitators')),
                      shareState, shareBy);

  const text = el('textarea', { id: 'programme-text', rows: 3, maxlength: RAISE_MAX,
                                'aria-describedby': 'programme-text-hint' });
  const category = el('select', { id: 'programme-category' },
                      ...CATEGORIES.map(([value, words]) => el('option', { value }, words)));
  const anonymous = el('input', { type: 'checkbox', id: 'programme-anonymous' });
  const raiseButton = el('button', { type: 'submit', class: 'button primary',
                                     id: 'programme-raise' }, 'Raise it with the programme');
  const raiseForm = el(
    'form', { id: 'programme-raise-form', class: 'stack', novalidate: true },
    el('h3', {}, 'You said'),
    el('div', { class: 'field' },
       el('label', { for: 'programme-text' }, 'What gets in our way?'),
       el('p', { class: 'hint', id: 'programme-text-hint' },
          'The programme’s facilitators see it with your room’s name and answer what they ' +
          'did about it. Every room of the programme sees it too.'),
       text),
    el('div', { class: 'field' }, el('label', { for: 'programme-category' }, 'Category'),
       category),
    el('p', { class: 'check' }, anonymous, ' ',
       el('label', { for: 'programme-anonymous' },
          'Leave our room’s name out for the other rooms (the facilitators still see it)')),
    el('div', { class: 'actions' }, raiseButton),
  );
  const ours = el('ul', { id: 'programme-ours', class: 'programme-list' });
  const others = el('ul', { id: 'programme-others', class: 'programme-list' });
  const answers = el('ul', { id: 'programme-answers', class: 'programme-list' });
  const parts = [
    intro, message, messagesBox, proposalsBox, shareBox, raiseForm,
    el('h4', {}, 'What your room raised'), ours,
    el('h4', {}, 'What other rooms raised'), others,
    el('h3', {}, 'We did: the programme’s answers'), answers,
  ];
  return { parts, intro, message, messagesBox, fromFacilitators, proposalsBox, proposals, share,
           shareState, shareBy, text, category, anonymous, raiseButton, raiseForm, ours, others,
           answers };
}

/** A facilitator's message in the list. */
export function facilitatorItem(words, when) {
  return el('li', { class: 'programme-from-facilitator' }, el('p', {}, words),
            el('p', { class: 'hint' }, when));
}

/** A proposal with Accept (unless this member accepted) and Decline. */
export function proposalItem(p) {
  return el('li', { 'data-proposal-id': p.id },
            el('p', {}, p.words),
            el('p', { class: 'hint' }, p.accepted),
            el('div', { class: 'actions' },
               p.mine ? el('p', { class: 'hint' }, 'You accepted; it starts once the others do.')
                      : el('button', { type: 'button', class: 'button small',
                                       'data-accept': p.id }, 'Accept'),
               el('button', { type: 'button', class: 'button small', 'data-decline': p.id },
                  'Decline')));
}

/** An item raised, with Close or Reopen for this room's own. */
export function itemEntry(f) {
  const textId = `programme-item-${f.id}`;
  return el('li', { 'data-item-id': f.id },
            el('p', { class: 'hint' }, `${f.category} · ${f.from} · ${f.when}`),
            el('p', { class: 'programme-item-text', id: textId }, f.text),
            el('p', {}, f.state),
            f.answer ? el('p', {}, el('strong', {}, 'We did: '), f.answer) : null,
            f.canClose || f.canReopen
              ? el('div', { class: 'actions' },
                   el('button', { type: 'button', class: 'button small',
                                  'aria-describedby': textId,
                                  [f.canClose ? 'data-close' : 'data-reopen']: f.id },
                      f.canClose ? 'The answer closes it for us' : 'Reopen it'))
              : null);
}

/** An answer of the programme. */
export function answerEntry(a) {
  return el('li', { 'data-answer-id': a.id },
            el('p', { class: 'programme-item-text' }, a.text),
            el('p', { class: 'hint' }, a.by),
            a.answers.length ? el('p', { class: 'hint' },
                                  `It answers: ${a.answers.map((t) => `“${t}”`).join(', ')}.`)
                             : null,
            a.ours ? el('p', {}, a.ours) : null);
}
