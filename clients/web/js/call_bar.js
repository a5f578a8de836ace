// The call in the room bar: small enough for a phone. Out of the call, "Join the call" opens
// one line saying where the call goes and that nothing is kept or recorded, before the browser
// asks for anything; then join (with or without the camera) or listen only. In the call: the
// microphone and camera as toggle buttons (aria-pressed, their state in words on this member's
// tile), a menu of devices, leave, and a tile for each person in the call (the camera's
// picture or initials, with muted, camera off, listening only, turned away and a link still
// connecting in words; speaking shown by a frame and said to screen readers in words).
//
// The words come from call_bar_state.js; the call from call.js through links.call(), which
// also plays the others' voices (on the speaker chosen here).

import * as model from './call_bar_state.js';
import { buildStrip, buildTile } from './call_bar_view.js';
import { byId, el, setMessage } from './dom.js';

/**
 * Mounts the strip in the room bar. `links.call()` is the call, `links.consult()` the consult's
 * run, `links.practice()` the practice (call_practice.js), `links.notify(text)` tells people
 * what others changed.
 */
export function mountCallBar(room, links = {}) {
  const ui = buildStrip();
  // Last in the bar, on a line of its own below what the room is doing.
  byId('room-bar').append(ui.strip);
  const conn = room.connection;
  const tiles = new Map();  // memberId → tile elements
  let consentOpen = false;
  let subscribed = null;
  let members = null;  // the others in the call at the last render, for the notices
  let phase = 'out';
  let wantFocus = null;

  const call = () => links.call?.() ?? null;
  const nameOf = (id) => room.members?.nameOf?.(id) || 'Someone';
  const showError = (text) => setMessage(ui.error, text);

  if (!('setSinkId' in HTMLMediaElement.prototype)) ui.fields[2].remove();

  ui.join.addEventListener('click', () => {
    consentOpen = !consentOpen;
    render();
    if (consentOpen) ui.joinNow.focus();
  });
  ui.notNow.addEventListener('click', () => {
    consentOpen = false;
    render();
    ui.join.focus();
  });
  ui.consent.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    consentOpen = false;
    render();
    ui.join.focus();
  });

  async function join(wanted) {
    const c = call();
    if (!c) return;
    showError('');
    consentOpen = false;
    const options = links.practice?.()?.joinOptions(wanted) ?? wanted;
    wantFocus = wanted.noMicrophone ? ui.leave : ui.mic;
    try {
      await c.join(options);
    } catch (err) {
      wantFocus = ui.join;
      showError(err?.message || 'The call could not be joined.');
    }
    render();
  }
  ui.joinNow.addEventListener('click', () => join({ muted: false, cameraOn: ui.cameraChoice.checked,
                                                    noMicrophone: false }));
  ui.listenOnly.addEventListener('click', () => join({ muted: true, cameraOn: false,
                                                       noMicrophone: true }));

  ui.mic.addEventListener('click', () => {
    const c = call();
    if (!c) return;
    links.practice?.()?.userSet('muted');
    c.setMuted(!c.state().local.muted);
  });
  ui.camera.addEventListener('click', async () => {
    const c = call();
    if (!c) return;
    links.practice?.()?.userSet('cameraOn');
    try {
      await c.setCamera(!c.state().local.cameraOn);
    } catch (err) {
      showError(err?.message || 'The camera could not be started.');
    }
  });
  ui.leave.addEventListener('click', () => {
    closeDevices(false);
    wantFocus = ui.join;
    call()?.leave();
    render();
  });

  // ---- the device menu ---------------------------------------------------------------------
  async function openDevices() {
    ui.devices.hidden = false;
    ui.devicesToggle.setAttribute('aria-expanded', 'true');
    let lists = { audioinput: [], videoinput: [], audiooutput: [] };
    try {
      lists = await call().devices();
    } catch {
      showError('The list of devices could not be read.');
    }
    for (const [kind, words] of [['audioinput', 'Microphone'], ['videoinput', 'Camera'],
                                 ['audiooutput', 'Speaker']]) {
      const options = model.deviceOptions(lists[kind], words);
      const select = ui.selects[kind];
      const chosen = select.value;
      select.replaceChildren(...options.map((o) => el('option', { value: o.value }, o.label)));
      if (options.some((o) => o.value === chosen)) select.value = chosen;
      select.disabled = options.length === 0;
    }
    ui.selects.audioinput.focus();
  }
  function closeDevices(refocus) {
    ui.devices.hidden = true;
    ui.devicesToggle.setAttribute('aria-expanded', 'false');
    if (refocus) ui.devicesToggle.focus();
  }
  ui.devicesToggle.addEventListener('click', () => {
    if (ui.devices.hidden) openDevices();
    else closeDevices(false);
  });
  ui.devices.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') closeDevices(true);
  });
  for (const kind of ['audioinput', 'videoinput', 'audiooutput']) {
    ui.selects[kind].addEventListener('change', async () => {
      try {
        await call()?.chooseDevice(kind, ui.selects[kind].value);
      } catch (err) {
        showError(err?.message || 'That device could not be used.');
      }
    });
  }

  // ---- rendering ---------------------------------------------------------------------------
  function render() {
    const c = call();
    if (c && subscribed !== c) {
      subscribed = c;
      c.subscribe(render);
    }
    ui.strip.hidden = !c;
    if (!c) return;
    const state = c.state();
    const v = model.stripView(state, { me: conn.memberId, nameOf, run: links.consult?.() ?? null,
                                       practiceLine: links.practice?.()?.line() ?? '',
                                       consentOpen });
    if (!v.showJoin) consentOpen = false;
    tellChanges(state);
    setText(ui.who, v.who);
    ui.who.hidden = !v.who;
    ui.join.hidden = !v.showJoin;
    ui.join.setAttribute('aria-expanded', String(v.consentOpen));
    ui.consent.hidden = !v.consentOpen;
    ui.joining.hidden = !v.joining;
    setText(ui.joining, v.joiningWords);
    ui.controls.hidden = !v.inCall;
    if (!v.inCall) closeDevices(false);
    ui.mic.setAttribute('aria-pressed', String(v.mic.pressed));
    ui.mic.disabled = v.mic.disabled;
    ui.camera.setAttribute('aria-pressed', String(v.camera.pressed));
    ui.camera.disabled = v.camera.disabled;
    setText(ui.practice, v.practice);
    ui.practice.hidden = !v.practice;
    setText(ui.audioOnly, v.audioOnly);
    ui.audioOnly.hidden = !v.audioOnly;
    if (v.error && ui.error.textContent !== v.error) showError(v.error);
    renderTiles(v.tiles, state);
    if (phase !== v.phase) {
      phase = v.phase;
      settleFocus();
    }
  }

  // After joining the focus goes to the microphone; after leaving, to "Join the call".
  function settleFocus() {
    const target = wantFocus;
    if (!target || target.hidden || target.closest('[hidden]')) return;
    const active = document.activeElement;
    if (active && active !== document.body && !ui.strip.contains(active)) return;
    wantFocus = null;
    target.focus();
  }

  function renderTiles(list, state) {
    ui.tiles.hidden = list.length === 0;
    const keep = new Set(list.map((t) => t.memberId));
    for (const [id, t] of tiles) {
      if (!keep.has(id)) {
        t.video.srcObject = null;
        t.item.remove();
        tiles.delete(id);
      }
    }
    const streams = new Map([[conn.memberId, state.local?.stream ?? null],
                             ...(state.members ?? []).map((m) => [m.memberId, m.stream ?? null])]);
    list.forEach((t, i) => {
      let node = tiles.get(t.memberId);
      if (!node) {
        node = buildTile();
        tiles.set(t.memberId, node);
      }
      const at = ui.tiles.children[i] ?? null;
      if (at !== node.item) ui.tiles.insertBefore(node.item, at);
      node.item.classList.toggle('is-speaking', t.speaking);
      node.item.classList.toggle('is-turned-away', t.turnedAway);
      node.item.classList.toggle('is-you', t.you);
      node.item.dataset.member = t.memberId;
      setText(node.mark, t.initials);
      setText(node.name, t.name);
      setText(node.words, t.words);
      setText(node.speaking, t.speaking ? ', speaking' : '');
      const stream = t.video ? streams.get(t.memberId) : null;
      if (node.video.srcObject !== stream) node.video.srcObject = stream;
      node.video.hidden = !stream;
      node.mark.hidden = Boolean(stream);
    });
  }

  // Others muting or turning their microphone on: told as a notice.
  function tellChanges(state) {
    const now = state.phase === 'in' ? state.members ?? [] : null;
    if (members && now) {
      const run = links.consult?.() ?? null;
      for (const text of model.noticesOf(members, now, { nameOf, run })) links.notify?.(text);
    }
    members = now && now.map((m) => ({ memberId: m.memberId, session: m.session, muted: m.muted,
                                       noMicrophone: m.noMicrophone }));
  }

  for (const kind of ['welcome', 'consultState', 'presence']) conn.on(kind, render);
  render();
  return { render };
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
