// The rooms of a programme as its facilitators see them, live: a card for each room (who is
// present, the meeting's mode and time, its reflection share against the target and whether
// it is at risk, the consult's phase, the last activity, whether it shares its learning) and
// the programme's reflection chart across meetings. It keeps the overview's state
// (cohort_state.js), which the other parts of the page read through `cohort()`.
//
// Feed: `welcome` (every room and the programme), `room` (one room after a change),
// `programme` (the items and answers after a change). Between two overviews the meeting time
// runs on locally; the facilitator hears a room's meeting starting, switching or ending, a
// room falling at risk, and each item raised, never the seconds.

import * as model from './cohort_state.js';
import * as view from './cohort_view.js';
import { byId } from './dom.js';
import { dateAndTime } from './words.js';

const TICK_MS = 1000;

/**
 * Mounts the rooms and the chart. `page` is { id, connection, announce, token }. Returns
 * { cohort() }: the overview's state, for the parts mounted after it.
 */
export function mountOverview(page) {
  const conn = page.connection;
  const c = model.createCohort();
  const rooms = view.buildRooms();
  const chart = view.buildChart();
  byId('panel-rooms').append(...rooms.parts);
  byId('panel-cohort-reflection').append(...chart.parts);
  const cards = new Map();  // room id -> { node, time }
  const serverNow = () => Date.now() + (conn.clockOffsetMs || 0);
  const facts = (overview) => model.roomFacts(overview, serverNow(),
                                              { timeScale: c.timeScale, dateAndTime });

  function drawRoom(overview) {
    const card = view.roomCard(overview.roomId, facts(overview));
    const old = cards.get(overview.roomId);
    if (old) old.node.replaceWith(card.node);
    else rooms.list.append(card.node);
    cards.set(overview.roomId, card);
  }

  function drawTotals() {
    rooms.summary.textContent = model.summary(c);
    const bars = model.chartBars(c.rooms);
    view.renderChart(chart, bars, model.chartDescription(bars));
  }

  function drawRooms() {
    rooms.list.replaceChildren();
    cards.clear();
    c.rooms.forEach(drawRoom);
    drawTotals();
  }

  function tick() {
    for (const overview of c.rooms) {
      const card = cards.get(overview.roomId);
      if (card) view.fillTime(card.time, facts(overview));
    }
  }

  conn.on('welcome', (welcome) => {
    model.takeWelcome(c, welcome);
    drawRooms();
  });
  conn.on('room', (overview) => {
    const said = model.takeRoom(c, overview);
    if (!overview?.roomId) return;
    drawRoom(overview);
    drawTotals();
    if (said) page.announce(said);
  });
  conn.on('programme', (programme) => {
    const fresh = model.takeProgramme(c, programme);
    if (fresh.length) page.announce(fresh.map(model.raisedText).join(' '));
  });

  setInterval(tick, TICK_MS);
  return { cohort: () => c };
}
