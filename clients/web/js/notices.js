// Notices of what others do: one call, notify(text, spoken), says it to screen readers (politely,
// through the room's announcer), adds it to a short visible list that a person can dismiss,
// counts it in the page title while the tab is hidden ("(2) Room — Colead", back to the room's
// own title when the tab is shown), and, if the person turned it on, plays a gentle tone made
// on the spot (WebAudio; no sound files). Features reach it through links.notify (features.js).
//
// The section goes where the page puts an element with id "notices"; without one it goes under
// the room's top bar (#room-top), or first in the room.
//
// This file is the mount: notices_state.js holds the list, notices_view.js builds it.

import { byId } from './dom.js';
import * as model from './notices_state.js';
import * as storage from './storage.js';
import { buildNotices, noticeItem } from './notices_view.js';
import { timeOfDay } from './words.js';

/**
 * Mounts the notices. Returns { notify(text, spoken) }: `text` is shown, `spoken` (text when
 * left out) is said aloud, so a notice stays short while a screen reader hears the detail.
 */
export function mountNotices(room) {
  const n = model.createNotices();
  const ui = buildNotices();
  // In the page's own slot if it has one; else under the room's top bar, or first in the room.
  const slot = document.getElementById('notices');
  const top = document.getElementById('room-top');
  if (slot) slot.replaceWith(ui.section);
  else if (top?.parentElement === byId('room')) top.after(ui.section);
  else byId('room').prepend(ui.section);

  ui.sound.checked = storage.preference(model.SOUND_PREFERENCE) === 'on';
  ui.sound.addEventListener('change', () => {
    storage.setPreference(model.SOUND_PREFERENCE, ui.sound.checked ? 'on' : null);
    if (ui.sound.checked) tone();
  });

  ui.list.addEventListener('click', (event) => {
    const id = Number(event.target.closest('[data-dismiss]')?.dataset.dismiss);
    if (!id) return;
    const items = n.items.map((item) => item.id);
    const at = items.indexOf(id);
    model.dismiss(n, id);
    render();
    // Focus goes to the next notice's button, the one before, or the list's heading.
    const nextId = items[at + 1] ?? items[at - 1];
    const next = nextId && ui.list.querySelector(`[data-dismiss="${nextId}"]`);
    if (next) next.focus();
    else focusHeading();
  });
  ui.clearButton.addEventListener('click', () => {
    model.clear(n);
    render();
    focusHeading();
  });

  function focusHeading() {
    ui.title.tabIndex = -1;
    ui.title.focus();
  }

  document.addEventListener('visibilitychange', () => {
    model.setHidden(n, document.visibilityState === 'hidden');
    showCount();
  });
  model.setHidden(n, document.visibilityState === 'hidden');
  render();

  function showCount() {
    const title = model.pageTitle(document.title, n.unseen);
    if (title !== document.title) document.title = title;
  }

  function render() {
    ui.list.hidden = n.items.length === 0;
    ui.clearButton.hidden = n.items.length === 0;
    ui.section.querySelector('#notices-empty').hidden = n.items.length > 0;
    ui.title.textContent = model.heading(n);
    ui.list.replaceChildren(...n.items.map((item) => noticeItem(item, timeOfDay(item.atMs))));
  }

  // A soft two-note chime, made on the spot; quiet failure where audio is not allowed.
  let audio = null;
  function tone() {
    try {
      audio ??= new AudioContext();
      const now = audio.currentTime;
      for (const [i, frequency] of [660, 880].entries()) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = 'sine';
        osc.frequency.value = frequency;
        const start = now + i * 0.12;
        gain.gain.setValueAtTime(0.0001, start);
        gain.gain.exponentialRampToValueAtTime(0.05, start + 0.02);
        gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.35);
        osc.connect(gain).connect(audio.destination);
        osc.start(start);
        osc.stop(start + 0.4);
      }
    } catch { /* no audio here: the notice is still shown and said */ }
  }

  return {
    notify(text, spoken = text) {
      const item = model.add(n, text, Date.now());
      if (!item) return;
      room.announce?.(spoken || item.text);
      render();
      showCount();
      if (ui.sound.checked) tone();
    },
  };
}
