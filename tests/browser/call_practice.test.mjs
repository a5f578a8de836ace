// The call shaped by the practice, in Chromium with fake microphones and cameras. Three
// members join the call (each reads where the call goes before the browser asks for
// anything) and run Troika Consulting. While the phase turns the person presenting away, their
// outgoing video and microphone are off (read from the senders of their peer connections) and
// the strip says why; the others see "turned away" on their tile. The presenter's own override
// (the microphone, pressed twice) stays theirs; pausing the round leaves the call as it is;
// turning back brings the camera back on. Checked with axe-core at 360 px and 1280 px with the
// call joined, and the page never wider than the window. Screenshots of the call are kept in
// <build>/artefacts/screens/call-*.png (COLEAD_ARTEFACTS_DIR when CTest runs it).

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertAccessible } from './axe_check.mjs';
import { launchBrowser, openPerson } from './browser.mjs';
import { togetherInRoom, waitForText, WAIT_MS } from './room_helpers.mjs';
import { repoRoot, startServer } from './server.mjs';

const screens = process.env.COLEAD_ARTEFACTS_DIR ??
    path.join(repoRoot, 'build', 'artefacts', 'screens');

// Calls take longer than a page's text to set up on a busy machine.
const CALL_WAIT_MS = 30000;

let server;
let browser;

before(async () => {
  // Consult clocks at a tenth of real time: however slow the machine, the turned-away phase
  // (4 minutes) does not run out while the test works in it.
  server = await startServer({ extraArgs: ['--time-scale', '0.1'] });
  browser = await launchBrowser({ media: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens a person's page that counts each time the page asks the browser for devices. */
async function openCounted(b) {
  const person = await openPerson(b, { bypassCSP: true, viewport: { width: 1280, height: 800 } });
  await person.context.addInitScript(() => {
    globalThis.__deviceAsks = 0;
    const devices = navigator.mediaDevices;
    const ask = devices.getUserMedia.bind(devices);
    devices.getUserMedia = (constraints) => {
      globalThis.__deviceAsks += 1;
      return ask(constraints);
    };
  });
  return person;
}

/** What the page sends now: each sender's track kind and whether it is live and enabled. */
function sending(page) {
  return page.evaluate(() => globalThis.__coleadCall.peerConnections().map(({ memberId, pc }) => ({
    memberId,
    state: pc.connectionState,
    tracks: pc.getSenders().filter((s) => s.track).map((s) => ({
      kind: s.track.kind, on: s.track.enabled && s.track.readyState === 'live' })),
  })));
}

/** Waits until every peer connection of the page sends `kind` as `on` says (true or false). */
async function waitSending(page, kind, on, what) {
  const deadline = Date.now() + CALL_WAIT_MS;
  let last = null;
  for (;;) {
    last = await sending(page);
    const fits = last.length > 0 && last.every((p) => {
      const tracks = p.tracks.filter((t) => t.kind === kind);
      return on ? tracks.length > 0 && tracks.every((t) => t.on) : tracks.every((t) => !t.on);
    });
    if (fits) return last;
    if (Date.now() > deadline) assert.fail(`${what}: ${JSON.stringify(last)}`);
    await page.waitForTimeout(100);
  }
}

/** Joins the call from the strip, checking the consent line comes before any device is asked. */
async function joinCall(person) {
  const { page } = person;
  await page.getByRole('button', { name: 'Join the call' }).click();
  const consent = page.locator('#call-consent-text');
  await consent.waitFor({ timeout: WAIT_MS });
  assert.match(await consent.innerText(),
               /straight to the others’ browsers, encrypted\. Nothing of the call passes through or is kept on the server, and nothing is recorded\./);
  assert.equal(await page.evaluate(() => globalThis.__deviceAsks), 0,
               'the browser has not been asked for anything yet');
  await page.getByRole('button', { name: 'Join now' }).click();
  await page.locator('#call-mic[aria-pressed="true"]').waitFor({ timeout: CALL_WAIT_MS });
  assert.ok(await page.evaluate(() => globalThis.__deviceAsks) > 0);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'call-mic',
               'after joining, the focus is on the microphone');
}

/** Waits until the page's strip shows `count` tiles and every link is connected. */
async function waitForCall(page, count) {
  await page.locator('#call-tiles > li').nth(count - 1).waitFor({ timeout: CALL_WAIT_MS });
  await page.waitForFunction((n) => {
    const pcs = globalThis.__coleadCall.peerConnections();
    return pcs.length === n && pcs.every(({ pc }) => pc.connectionState === 'connected');
  }, count - 1, { timeout: CALL_WAIT_MS });
}

/** Keeps a screenshot of what the window shows as call-<name>.png. */
async function keepScreen(page, name) {
  await mkdir(screens, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(screens, `call-${name}.png`) });
}

async function noWiderThanWindow(page, where) {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
                                              inner: window.innerWidth }));
  assert.ok(widths.scroll <= widths.inner, `${where}: scrollWidth ${widths.scroll} > ${widths.inner}`);
}

test('a Troika in the call: the presenter’s camera and microphone follow the phase', async () => {
  const [asha, ben, chidi] = await togetherInRoom(
      browser, openCounted, server.url, 'Trio in a call',
      [{ name: 'Asha', role: 'clinician' }, { name: 'Ben', role: 'carer' },
       { name: 'Chidi', role: 'manager' }]);
  const people = [asha, ben, chidi];

  for (const person of people) await joinCall(person);
  for (const person of people) await waitForCall(person.page, 3);
  const a = asha.page;
  await waitSending(a, 'video', true, 'Asha sends video before the consult');
  await waitSending(a, 'audio', true, 'Asha sends her voice before the consult');
  assert.match(await a.locator('#call-tiles > li.is-you').innerText(), /Microphone on, Camera on/);
  assert.equal(await a.locator('#panel-call').isHidden(), false, 'the larger view shows the cameras');
  await assertAccessible(a, 'in the call, 1280 px');
  await keepScreen(a, 'joined-asha-1280');

  // The device menu lists the fake microphone and camera; Escape closes it.
  await a.getByRole('button', { name: 'Devices' }).click();
  await a.locator('#call-device-audioinput option').first().waitFor({ state: 'attached',
                                                                      timeout: WAIT_MS });
  assert.ok(await a.locator('#call-device-videoinput option').count() > 0, 'a camera to choose');
  assert.equal(await a.evaluate(() => document.activeElement?.id), 'call-device-audioinput');
  await assertAccessible(a, 'the device menu');
  await a.keyboard.press('Escape');
  assert.equal(await a.locator('#call-devices').isHidden(), true);
  assert.equal(await a.evaluate(() => document.activeElement?.id), 'call-devices-toggle');

  // Asha presents a Troika; Ben moves it on to the phase that turns her away.
  await a.locator('#consult-script option[value="troika"]').waitFor({ state: 'attached' });
  await a.locator('#consult-script').selectOption('troika');
  await a.locator('#consult-presenter').focus();
  await a.locator('#consult-presenter').selectOption({ label: 'Asha (you)' });
  await a.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForText(ben.page.locator('#consult-phase'), /Phase 1 of/);
  await ben.page.locator('#consult-advance').click();
  await waitForText(ben.page.locator('#consult-phase'), /Phase 2 of/);
  await ben.page.locator('#consult-advance').click();
  await a.locator('#consult-turned-away').waitFor({ timeout: WAIT_MS });

  // Turned away: camera off, microphone muted, said why; she still hears the others.
  await waitSending(a, 'video', false, 'turned away, Asha sends no picture');
  await waitSending(a, 'audio', false, 'turned away, Asha’s microphone is muted');
  assert.match(await waitForText(a.locator('#call-practice'), /turned away/),
               /^Your camera and microphone are off while you are turned away; you can still hear the others\.$/);
  // Said aloud too, after the consult's own words on the phase.
  await waitForText(a.locator('#announcer'),
                    /^Your camera and microphone are off while you are turned away/);
  assert.equal(await a.locator('#call-mic').getAttribute('aria-pressed'), 'false');
  assert.equal(await a.locator('#call-camera').getAttribute('aria-pressed'), 'false');
  assert.match(await a.locator('#call-tiles > li.is-you').innerText(), /Muted, Camera off, turned away/);
  assert.equal(await a.evaluate(() => globalThis.__coleadCall.state().phase), 'in');
  const receiving = await a.evaluate(() => globalThis.__coleadCall.peerConnections().map(
      ({ pc }) => pc.getReceivers().some((r) => r.track?.kind === 'audio' && r.track.readyState === 'live')));
  assert.deepEqual(receiving, [true, true], 'Asha still hears Ben and Chidi');
  for (const other of [ben, chidi]) {
    await waitForText(other.page.locator('#call-tiles > li[data-member]', { hasText: 'Asha' }),
                      /muted, camera off, turned away/);
  }
  await waitForText(ben.page.locator('#notices-list'), /Asha is muted while turned away\./);

  await assertAccessible(a, 'turned away in the call, 1280 px');
  await keepScreen(a, 'turned-away-asha-1280');
  await a.setViewportSize({ width: 360, height: 740 });
  await noWiderThanWindow(a, 'turned away in the call, 360 px');
  await assertAccessible(a, 'turned away in the call, 360 px');
  await keepScreen(a, 'turned-away-asha-360');
  await ben.page.setViewportSize({ width: 360, height: 740 });
  await noWiderThanWindow(ben.page, 'a consultant in the call, 360 px');
  await assertAccessible(ben.page, 'a consultant in the call, 360 px');
  await keepScreen(ben.page, 'consultant-ben-360');
  await a.setViewportSize({ width: 1280, height: 800 });
  await ben.page.setViewportSize({ width: 1280, height: 800 });

  // Her own controls still work: she turns her microphone on to say something...
  await a.locator('#call-mic').click();
  await waitSending(a, 'audio', true, 'Asha overrides: her voice goes out');
  assert.match(await a.locator('#call-practice').innerText(), /as you chose, your microphone is on\.$/);
  assert.equal(await a.locator('#call-mic').getAttribute('aria-pressed'), 'true');
  // ...and mutes it again herself: that is her choice too.
  await a.locator('#call-mic').click();
  await waitSending(a, 'audio', false, 'Asha mutes herself again');
  assert.match(await a.locator('#call-practice').innerText(), /as you chose, your microphone is muted\.$/);

  // Pausing the round leaves the call as it is: everyone still in it, Asha's camera still off.
  await ben.page.locator('#consult-pause').click();
  await waitForText(a.locator('#consult-status'), /paused the round/);
  await a.waitForTimeout(500);
  await waitSending(a, 'video', false, 'paused, Asha’s camera stays off');
  for (const person of people) {
    assert.equal(await person.page.evaluate(() => globalThis.__coleadCall.state().phase), 'in');
    assert.equal(await person.page.locator('#call-tiles > li').count(), 3);
  }
  await ben.page.locator('#consult-resume').click();
  await waitForText(a.locator('#consult-countdown'), /left in this phase$/);

  // The phase moves on: Asha turns back. Her camera comes back on; the microphone stays as she
  // chose while turned away (muted).
  await ben.page.locator('#consult-advance').click();
  await waitForText(a.locator('#consult-phase'), /Phase 4 of/);
  await waitSending(a, 'video', true, 'turned back, Asha’s camera is on again');
  await a.locator('#call-practice').waitFor({ state: 'hidden', timeout: WAIT_MS });
  assert.equal(await a.locator('#call-camera').getAttribute('aria-pressed'), 'true');
  assert.equal(await a.locator('#call-mic').getAttribute('aria-pressed'), 'false');
  assert.match(await a.locator('#call-tiles > li.is-you').innerText(), /Muted, Camera on/);
  await waitSending(a, 'audio', false, 'her own choice to stay muted is kept');
  await a.locator('#call-mic').click();
  await waitSending(a, 'audio', true, 'and she turns it on when she wants');

  // Leaving takes her out of the call; the others see two in it, and the focus goes back to
  // "Join the call".
  await a.getByRole('button', { name: 'Leave the call' }).click();
  await a.locator('#call-join').waitFor({ timeout: WAIT_MS });
  assert.equal(await a.evaluate(() => document.activeElement?.id), 'call-join');
  await ben.page.waitForFunction(() => document.querySelectorAll('#call-tiles > li').length === 2,
                                 null, { timeout: WAIT_MS });
  await waitForText(a.locator('#call-who'), /In the call: (Ben, Chidi|Chidi, Ben)/);

  // Without a microphone she can still take part: she listens, and everyone sees so.
  await a.getByRole('button', { name: 'Join the call' }).click();
  await a.getByRole('button', { name: 'Listen only (no microphone)' }).click();
  await waitForText(a.locator('#call-tiles > li.is-you'), /Listening only \(no microphone\)/);
  assert.equal(await a.locator('#call-mic').isDisabled(), true);
  await waitForText(chidi.page.locator('#call-tiles > li[data-member]', { hasText: 'Asha' }),
                    /listening only/);
  await waitForCall(a, 3);

  for (const person of people) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});
