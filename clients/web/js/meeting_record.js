// The record of meetings as the panel draws it: the summary of the meeting that just ended
// and the chart and table of every past one. DOM only; the words come from meeting_state.js
// and meeting_view.js.

import { el } from './dom.js';
import { summaryFacts } from './meeting_state.js';
import * as view from './meeting_view.js';
import { dateAndTime } from './words.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

/** Fills `section` with the summary `s` of an ended meeting; `named(id)` names members. */
export function renderSummary(section, s, named) {
  const facts = summaryFacts(s, named);
  section.replaceChildren(...[
    el('h3', { id: 'meeting-summary-title' }, facts.title),
    el('p', { class: `meeting-verdict ${facts.met ? 'is-met' : 'is-missed'}`,
              id: 'meeting-verdict' }, facts.verdict),
    el('dl', { class: 'meeting-figures', id: 'meeting-figures' },
       ...facts.rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)])),
    facts.reason ? el('p', { id: 'meeting-reason' }, el('strong', {}, facts.reasonLead),
                      facts.reason) : null,
    el('h4', {}, 'How the time went'),
    el('ol', { class: 'meeting-timeline', id: 'meeting-timeline' },
       ...facts.timeline.map((g) => {
         const item = el('li', { class: `segment mode-${g.mode.toLowerCase()}`, title: g.words },
                         el('span', { class: 'segment-text' }, g.words));
         item.style.setProperty('flex-grow', String(g.weight));
         return item;
       })),
    el('h4', {}, 'What we learnt in this meeting'),
    facts.notes.length
      ? el('ul', { class: 'meeting-notes', id: 'meeting-summary-notes' },
           ...facts.notes.map((n) => el('li', {}, n.text, el('span', { class: 'hint' }, ` — ${n.by}`))))
      : el('p', { class: 'hint', id: 'meeting-summary-notes' },
           'No notes were written in this meeting.'),
    el('h4', {}, 'Our shared purpose, as it stood at the end'),
    facts.purpose
      ? el('p', { class: 'meeting-purpose', id: 'meeting-summary-purpose' }, facts.purpose)
      : el('p', { class: 'hint', id: 'meeting-summary-purpose' },
           'The shared purpose was still empty.'),
  ].filter(Boolean));
}

/**
 * The reflection-share chart of `bars` ({ label, share, targetPct, met }), described by the
 * element `describedBy` (its id). The cohort's overview draws its own with it.
 */
export function chartGraphic(bars, describedBy = 'meeting-chart-text') {
  const width = 320;
  const height = 140;
  const top = 10;
  const bottom = 24;
  const plot = height - top - bottom;
  const step = width / Math.max(bars.length, 4);
  const y = (share) => top + plot * (1 - Math.min(1, Math.max(0, share)));
  const graphic = svg('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img',
                               'aria-labelledby': describedBy, class: 'share-chart' });
  graphic.append(svg('line', { x1: 0, x2: width, y1: y(0), y2: y(0), class: 'axis' }));
  bars.forEach((bar, i) => {
    const x = i * step + step * 0.2;
    const w = step * 0.6;
    const g = svg('g', { class: bar.met ? 'bar met' : 'bar missed' });
    g.append(svg('title', {}, `${bar.label}: ${view.percent(bar.share)} (target ${bar.targetPct}%)`));
    g.append(svg('rect', { x, y: y(bar.share), width: w, height: Math.max(1, y(0) - y(bar.share)) }));
    g.append(svg('line', { x1: x - step * 0.1, x2: x + w + step * 0.1, y1: y(bar.targetPct / 100),
                           y2: y(bar.targetPct / 100), class: 'target' }));
    g.append(svg('text', { x: x + w / 2, y: height - 8, 'text-anchor': 'middle' },
                 view.percent(bar.share)));
    graphic.append(g);
  });
  return graphic;
}

/** Fills the chart, its description and the table from every past meeting, oldest first. */
export function renderHistory({ chart, chartText, historyTable }, past) {
  const bars = view.chartBars(past);
  chart.replaceChildren(chartGraphic(bars));
  chartText.textContent = `${view.chartDescription(bars)} The line on each bar is its target.`;
  historyTable.replaceChildren(...past.slice().reverse().map((m) => el(
    'tr', {},
    el('th', { scope: 'row' }, (m.title ?? '').trim() || 'Meeting'),
    el('td', {}, dateAndTime(view.int(m.endedAtMs))),
    el('td', {}, view.clock(view.int(m.taskMs))),
    el('td', {}, view.clock(view.int(m.reflectionMs))),
    el('td', {}, view.percent(Number(m.share ?? 0) || 0)),
    el('td', {}, `${view.int(m.targetPct)}% ${m.met ? '✓ met' : '✗ not met'}`))));
}
