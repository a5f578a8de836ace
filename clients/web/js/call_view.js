// The call's larger view. While this member is in the call and a camera is on, the panel
// "The call" (#panel-call, in the room's part "Who is here") shows each camera's picture
// large, named, with the same words as the tiles of the room bar. Its videos are silent: the
// others' voices play once, from the call itself (call_peers.js).

import * as model from './call_bar_state.js';
import { byId, el } from './dom.js';

/** One person's figure in the larger view. */
function buildFigure() {
  const video = el('video', { class: 'call-view-video' });
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  const name = el('span', { class: 'call-view-name' });
  const words = el('span', { class: 'call-view-words' });
  const speaking = el('span', { class: 'visually-hidden' });
  const item = el('li', { class: 'call-view-item' },
                  el('figure', {}, video, el('figcaption', {}, name, words, speaking)));
  return { item, video, name, words, speaking };
}

/** Mounts the view. `links.call()` is the call (call.js), `links.consult()` the consult's run. */
export function mountCallView(room, links = {}) {
  const panel = byId('panel-call');
  const list = el('ul', { class: 'call-view-list', id: 'call-view-list' });
  panel.append(list);
  const conn = room.connection;
  const figures = new Map();  // memberId → figure elements
  let subscribed = null;

  const nameOf = (id) => room.members?.nameOf?.(id) || 'Someone';

  function render() {
    const call = links.call?.();
    if (!call) return;
    if (subscribed !== call) {
      subscribed = call;
      call.subscribe(render);
    }
    const state = call.state();
    const v = model.stripView(state, { me: conn.memberId, nameOf, run: links.consult?.() ?? null });
    panel.hidden = !v.anyVideo;
    const streams = new Map([[conn.memberId, state.local?.stream ?? null],
                             ...(state.members ?? []).map((m) => [m.memberId, m.stream ?? null])]);
    const shown = v.tiles.filter((t) => t.video);
    const keep = new Set(shown.map((t) => t.memberId));
    for (const [id, f] of figures) {
      if (!keep.has(id)) {
        f.video.srcObject = null;
        f.item.remove();
        figures.delete(id);
      }
    }
    shown.forEach((t, i) => {
      let f = figures.get(t.memberId);
      if (!f) {
        f = buildFigure();
        figures.set(t.memberId, f);
      }
      if (list.children[i] !== f.item) list.insertBefore(f.item, list.children[i] ?? null);
      f.item.classList.toggle('is-speaking', t.speaking);
      f.item.classList.toggle('is-you', t.you);
      f.item.dataset.member = t.memberId;
      const stream = streams.get(t.memberId);
      if (f.video.srcObject !== stream) f.video.srcObject = stream;
      setText(f.name, t.you ? 'You' : t.name);
      setText(f.words, t.words ? ` (${t.words})` : '');
      setText(f.speaking, t.speaking ? ', speaking' : '');
    });
  }

  for (const kind of ['welcome', 'consultState', 'presence']) conn.on(kind, render);
  render();
  return { render };
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
