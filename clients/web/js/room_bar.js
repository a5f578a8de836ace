// The room bar: always in sight at the top of the room, small on a phone. Who is here, the
// meeting's mode and time left, the reflection share drawn beside the task time with the
// target marked and labelled, an overrun said in words and shown by a sign, and a consult's
// phase. The words come from room_bar_state.js; the state from the features that hold it,
// through `links` (features.js): nothing is kept twice.
//
// The bar is not a live region: the meeting and the consult announce their own changes, and
// the seconds are never read out.

import { byId, el } from './dom.js';
import * as model from './room_bar_state.js';
import * as storage from './storage.js';

const TICK_MS = 250;  // as the meeting panel, so both show the same second

/** The bar's elements, built once. */
function buildBar() {
  const count = el('span', { class: 'bar-count', id: 'bar-count' });
  const names = el('span', { class: 'bar-names', id: 'bar-names' });
  const away = el('span', { class: 'bar-away', id: 'bar-away' });
  const peopleLine = el('p', { class: 'bar-people' }, count, names, away);

  const mark = el('span', { class: 'bar-mark', 'aria-hidden': 'true' });
  const modeWords = el('span', { id: 'bar-mode' });
  const modeLine = el('p', { class: 'bar-mode' }, mark, modeWords);
  const overSign = el('span', { class: 'bar-over-sign', 'aria-hidden': 'true' }, '⚠ ');
  const time = el('span', { id: 'bar-time' });
  const timeLine = el('p', { class: 'bar-time' }, overSign, time);
  const shareWords = el('span', { class: 'bar-share-words', id: 'bar-share' });
  const times = el('span', { class: 'bar-times' });
  const shareLine = el('p', { class: 'bar-share-line' }, shareWords, times);
  const reflection = el('span', { class: 'bar-reflection' });
  const task = el('span', { class: 'bar-task' });
  const targetLabel = el('span', { class: 'bar-target-label' });
  const target = el('span', { class: 'bar-target' });
  const drawing = el('div', { class: 'bar-drawing', id: 'bar-drawing', role: 'img' },
                     el('span', { class: 'bar-track' }, reflection, task, target), targetLabel);
  const share = el('div', { class: 'bar-share' }, shareLine, drawing);
  const meeting = el('div', { class: 'bar-meeting', id: 'bar-meeting' }, modeLine, timeLine,
                     share);
  const idle = el('p', { class: 'bar-idle', id: 'bar-idle' });

  const consultLink = el('a', { href: '#panel-consult', id: 'bar-consult-link' });
  const consultTime = el('span', { class: 'bar-consult-time' });
  const consult = el('p', { class: 'bar-consult', id: 'bar-consult' }, consultLink, consultTime);

  return { peopleLine, count, names, away, meeting, mark, modeWords, timeLine, time, overSign,
           share, shareWords, times, drawing, reflection, task, target, targetLabel, idle,
           consult, consultLink, consultTime };
}

/**
 * Mounts the bar in #room-bar. `links.meeting()` gives { state, leadMinutes } of the meeting
 * panel, `links.consult()` the consult's run, `links.show(key)` brings a part of the room
 * forward, `links.activity(key)` hears where something is happening now.
 */
export function mountRoomBar(room, links = {}) {
  const section = byId('room-bar');
  const ui = buildBar();
  section.querySelector('.bar-status')
      .replaceChildren(ui.peopleLine, ui.meeting, ui.idle, ui.consult);
  const conn = room.connection;
  let connected = false;
  let consultSeenAt = 0;  // performance.now() when the consult's run last came
  let activity = null;

  ui.consultLink.addEventListener('click', (event) => {
    event.preventDefault();
    links.show?.('consult', { focus: true });
  });

  function render() {
    const run = links.consult?.() ?? null;
    const facts = model.barFacts({
      meeting: links.meeting?.() ?? null,
      consult: run,
      consultRemainingMs: remaining(run),
      members: room.members?.all?.() ?? [],
      me: conn.memberId,
      connected,
      serverNowMs: Date.now() + (conn.clockOffsetMs || 0),
      hideCount: storage.preference('meeting.hideCount') === 'true',
    });
    setText(ui.count, facts.people.count);
    setText(ui.names, facts.people.names ? `: ${facts.people.names}` : '');
    setText(ui.away, facts.people.away ? ` · ${facts.people.away}` : '');

    const m = facts.meeting;
    ui.meeting.hidden = !m;
    ui.idle.hidden = Boolean(m);
    setText(ui.idle, facts.idle);
    if (m) {
      ui.meeting.dataset.mode = m.mode;
      setText(ui.mark, `${m.mark} `);
      setText(ui.modeWords, m.modeWords);
      setText(ui.time, m.timeWords);
      ui.timeLine.classList.toggle('is-over', m.over);
      ui.overSign.hidden = !m.over;
      ui.share.hidden = m.hideCount;
      setText(ui.shareWords, m.shareWords);
      setText(ui.times, ` (${m.timesWords})`);
      ui.drawing.setAttribute('aria-label', m.drawing);
      ui.reflection.style.setProperty('width', `${m.reflectionPct}%`);
      ui.task.style.setProperty('width', `${m.taskPct}%`);
      ui.target.style.setProperty('left', `${m.targetPct}%`);
      // The label sits over its mark and never past either end of the drawing.
      ui.targetLabel.style.setProperty('left', `${m.targetPct}%`);
      ui.targetLabel.style.setProperty('transform', `translateX(-${m.targetPct}%)`);
      setText(ui.targetLabel, m.targetWords);
      ui.drawing.classList.toggle('is-met', m.met);
    }

    const c = facts.consult;
    ui.consult.hidden = !c;
    if (c) {
      setText(ui.consultLink, c.words);
      setText(ui.consultTime, ` · ${c.timeWords}${c.turnedAway ? ' · you are turned away' : ''}`);
    }
    if (facts.activity !== activity) {
      activity = facts.activity;
      links.activity?.(activity);
    }
  }

  function remaining(run) {
    if (!run) return 0;
    const left = Number(run.phaseRemainingMs ?? 0);
    if (run.paused || !run.active) return left;
    const scale = Number(run.timeScale ?? 1) || 1;
    return Math.max(0, left - (performance.now() - consultSeenAt) * scale);
  }

  // The bar hears each message after the features (it is mounted last), so what it reads
  // through `links` is already up to date.
  conn.on('welcome', () => {
    consultSeenAt = performance.now();
    render();
  });
  conn.on('consultState', () => {
    consultSeenAt = performance.now();
    render();
  });
  for (const kind of ['meetingState', 'presence', 'roomChanged']) conn.on(kind, render);
  room.onConnectionState((state) => {
    connected = state === 'joined';
    render();
  });

  setInterval(render, TICK_MS);
  render();
  return { activity: () => activity };
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
