// "Raise with the programme": a room that belongs to a programme (a cohort of rooms with its
// facilitators) says what gets in its way ("you said"), sees the programme's answers ("we
// did") and closes its items the answers settle, chooses whether to share its learning with
// the facilitators (any member may change it; who did is shown), and hears the facilitators'
// messages and calls of time and their proposals to start a consulting structure, which the
// room accepts or declines. Nothing from the facilitators changes anything of the room's by
// itself: a proposal starts only once every member present accepts.
//
// Feed: `welcome.room.programme` and `.settings`, then `programme`, `roomChanged` and the
// facilitators' `nudge`s (FACILITATOR_MESSAGE, TIME_CALL). The panel shows only while the room
// belongs to a programme.
//
// This file is the mount: programme_view.js builds the elements, programme_state.js holds the
// state and its words.

import { byId, setMessage } from './dom.js';
import { requester } from './feedback.js';
import { focusKeeper, keepFocusIn } from './focus.js';
import * as model from './programme_state.js';
import * as view from './programme_view.js';
import { dateAndTime, timeOfDay } from './words.js';

const MESSAGES_SHOWN = 3;

/** Mounts the panel. `links.notify(text)` tells people what the facilitators or others did. */
export function mountProgramme(room, links = {}) {
  const panel = byId('panel-programme');
  const conn = room.connection;
  const p = model.createProgramme();
  const ui = view.buildProgrammePanel();
  panel.append(...ui.parts);
  const me = () => conn.memberId;
  const nameOf = (id) => (id === me() ? 'you' : room.members?.nameOf?.(id) || 'someone');
  const say = (words) => setMessage(ui.message, words);
  const programme = requester(conn, 'programme', say);
  const focus = focusKeeper();
  const rescueFocus = keepFocusIn(panel, () => [ui.raiseButton]);
  const messages = [];
  let raising = false;

  const tell = (text) => (links.notify ?? room.announce)?.(text);

  // ---- raising -------------------------------------------------------------------------
  ui.raiseForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const words = ui.text.value.trim();
    const problem = model.raiseProblem(words);
    if (problem) {
      say(problem);
      return ui.text.focus();
    }
    if (raising) return;
    raising = true;
    const answer = await programme(model.raiseRequest(ui.category.value, words,
                                                      ui.anonymous.checked));
    raising = false;
    if (answer) {
      ui.text.value = '';
      ui.anonymous.checked = false;
      room.announce?.('Raised with the programme.');
    }
  });

  // ---- closing, accepting, declining ---------------------------------------------------
  panel.addEventListener('click', async (event) => {
    const target = event.target.closest('button');
    if (!target) return;
    const { close, reopen, accept, decline } = target.dataset;
    if (close || reopen) {
      if (await programme(model.closeRequest(close || reopen, Boolean(reopen)))) {
        room.announce?.(close ? 'Closed: the answer settles it for your room.' : 'Reopened.');
      }
    } else if (accept) {
      if (await programme({ accept: { proposalId: accept } })) {
        room.announce?.('You accepted. It starts once everyone here accepts.');
        focus.want(() => panel.querySelector(`[data-proposal-id="${CSS.escape(accept)}"] ` +
                                             '[data-decline]'));
      }
    } else if (decline) {
      if (await programme({ decline: { proposalId: decline } })) {
        room.announce?.('Declined. Nothing starts.');
      }
    }
  });

  // ---- sharing the room's learning -------------------------------------------------------
  ui.share.addEventListener('change', async () => {
    const on = ui.share.checked;
    say('');
    try {
      await conn.request('room', model.shareRequest(on));
    } catch (error) {
      ui.share.checked = p.share;
      say(error?.message || 'That did not work. Try again.');
    }
  });

  // ---- rendering -------------------------------------------------------------------------
  function render() {
    const inside = model.inProgramme(p);
    panel.hidden = !inside;
    if (!inside) return;
    ui.intro.textContent = `Your room belongs to ${model.programmeTitle(p)}. Raise with it what ` +
                           'gets in your way; its facilitators answer with what they did.';
    ui.share.checked = p.share;
    const share = model.shareWords(p, nameOf, dateAndTime);
    ui.shareState.textContent = share.state;
    ui.shareBy.textContent = share.by;
    ui.shareBy.hidden = !share.by;

    const proposals = model.proposalFacts(p, me(), (id) => room.members?.nameOf?.(id) || 'someone');
    ui.proposalsBox.hidden = proposals.length === 0;
    ui.proposals.replaceChildren(...proposals.map(view.proposalItem));
    const items = model.itemFacts(p, room.id, dateAndTime);
    ui.ours.replaceChildren(...items.filter((i) => i.ours).reverse().map(view.itemEntry));
    ui.others.replaceChildren(...items.filter((i) => !i.ours).reverse().map(view.itemEntry));
    ui.answers.replaceChildren(...model.answerFacts(p, room.id, dateAndTime)
        .map(view.answerEntry));
    ui.messagesBox.hidden = messages.length === 0;
    ui.fromFacilitators.replaceChildren(...messages.map((m) => view.facilitatorItem(m.words,
                                                                                    m.when)));
    focus.settle();
    rescueFocus();
  }

  // ---- the feed ------------------------------------------------------------------------------
  conn.on('welcome', (welcome) => {
    model.takeSettings(p, welcome.room?.settings);
    model.takeProgramme(p, welcome.room?.programme);
    render();
  });
  conn.on('programme', (next) => {
    const news = model.takeProgramme(p, next);
    render();
    for (const answer of news.answers) tell(model.answerNotice(answer, p, room.id));
    for (const proposal of news.proposals) tell(model.proposalNotice(proposal));
  });
  conn.on('roomChanged', (changed) => {
    const before = p.share;
    model.takeSettings(p, changed.settings);
    render();
    if (before !== p.share && model.inProgramme(p)) {
      if (changed.changedBy && changed.changedBy !== me()) tell(model.shareNotice(p, nameOf));
    }
  });
  conn.on('nudge', (nudge) => {
    if (!model.fromFacilitator(nudge)) return;
    const words = model.facilitatorText(nudge);
    messages.unshift({ words, when: timeOfDay(Number(nudge.atMs ?? 0) || Date.now()) });
    messages.splice(MESSAGES_SHOWN);
    render();
    tell(words);
  });
  // Names of who accepted a proposal come from presence.
  conn.on('presence', () => {
    if (p.programme?.proposals?.length) render();
  });
}
