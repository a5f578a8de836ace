// The call strip's elements (call_bar.js wires and fills them): "Join the call" and the line
// said before the browser asks for anything, the controls, the device menu, the lines of the
// practice, of audio only and of errors, and the tiles.

import * as model from './call_bar_state.js';
import { el } from './dom.js';

/** The strip's elements, built once. */
export function buildStrip() {
  const who = el('p', { class: 'call-who', id: 'call-who' });
  const join = el('button', { type: 'button', class: 'button small', id: 'call-join',
                              'aria-expanded': 'false', 'aria-controls': 'call-consent' },
                  'Join the call');
  const consentText = el('p', { class: 'call-consent-text', id: 'call-consent-text' },
                         model.CONSENT);
  const cameraChoice = el('input', { type: 'checkbox', id: 'call-camera-choice', checked: true });
  const joinNow = el('button', { type: 'button', class: 'button small primary', id: 'call-join-now',
                                 'aria-describedby': 'call-consent-text' }, 'Join now');
  const listenOnly = el('button', { type: 'button', class: 'button small', id: 'call-listen-only',
                                    'aria-describedby': 'call-consent-text' },
                        'Listen only (no microphone)');
  const notNow = el('button', { type: 'button', class: 'button small', id: 'call-not-now' },
                    'Not now');
  const consent = el('div', { class: 'call-consent', id: 'call-consent', hidden: true },
                     consentText,
                     el('p', { class: 'call-camera-choice' }, cameraChoice,
                        el('label', { for: 'call-camera-choice' }, ' Start with my camera on')),
                     el('p', { class: 'call-consent-actions' }, joinNow, listenOnly, notNow));
  const joining = el('p', { class: 'call-joining', id: 'call-joining', hidden: true });

  const mic = el('button', { type: 'button', class: 'button small call-toggle', id: 'call-mic',
                             'aria-pressed': 'false' },
                 el('span', { class: 'call-toggle-sign', 'aria-hidden': 'true' }), 'Microphone');
  const camera = el('button', { type: 'button', class: 'button small call-toggle', id: 'call-camera',
                                'aria-pressed': 'false' },
                    el('span', { class: 'call-toggle-sign', 'aria-hidden': 'true' }), 'Camera');
  const devicesToggle = el('button', { type: 'button', class: 'button small', id: 'call-devices-toggle',
                                       'aria-expanded': 'false', 'aria-controls': 'call-devices' },
                           'Devices');
  const leave = el('button', { type: 'button', class: 'button small', id: 'call-leave' },
                   'Leave the call');
  const controls = el('div', { class: 'call-controls', id: 'call-controls', role: 'group',
                               'aria-label': 'Your call', hidden: true },
                      mic, camera, devicesToggle, leave);

  const selects = {};
  const fields = [];
  for (const [kind, words] of [['audioinput', 'Microphone'], ['videoinput', 'Camera'],
                               ['audiooutput', 'Speaker']]) {
    selects[kind] = el('select', { id: `call-device-${kind}` });
    fields.push(el('p', { class: 'call-device', 'data-kind': kind },
                   el('label', { for: `call-device-${kind}` }, words), selects[kind]));
  }
  const devices = el('div', { class: 'call-devices', id: 'call-devices', hidden: true }, ...fields);

  const practice = el('p', { class: 'call-practice', id: 'call-practice', hidden: true });
  const audioOnly = el('p', { class: 'call-audio-only', id: 'call-audio-only', hidden: true });
  const error = el('p', { class: 'call-error', id: 'call-error', role: 'alert', hidden: true });
  const tiles = el('ul', { class: 'call-tiles', id: 'call-tiles', 'aria-label': 'In the call',
                           hidden: true });
  const strip = el('div', { class: 'bar-call', id: 'bar-call' }, who, join, consent, joining,
                   controls, devices, practice, audioOnly, error, tiles);
  return { strip, who, join, consent, cameraChoice, joinNow, listenOnly, notNow, joining, mic,
           camera, devicesToggle, leave, controls, devices, selects, fields, practice,
           audioOnly, error, tiles };
}

/** A tile's elements, kept while the member stays in the call (so a video never restarts). */
export function buildTile() {
  const video = el('video', { class: 'call-tile-video', 'aria-hidden': 'true', hidden: true });
  video.muted = true;  // the voice plays once, from the call itself; a tile only shows
  video.autoplay = true;
  video.playsInline = true;
  const mark = el('span', { class: 'call-tile-initials', 'aria-hidden': 'true' });
  const name = el('span', { class: 'call-tile-name' });
  const words = el('span');
  const speaking = el('span', { class: 'visually-hidden' });
  // The name and the words are read as one line: "Ben: muted, camera off".
  const item = el('li', { class: 'call-tile' },
                  el('span', { class: 'call-tile-picture' }, video, mark), name,
                  el('span', { class: 'call-tile-words' },
                     el('span', { class: 'visually-hidden' }, ': '), words), speaking);
  return { item, video, mark, name, words, speaking };
}
