// The room in every state, on a phone (360 × 740), a desktop (1280 × 800) and that desktop
// zoomed to 200% (640 × 400 CSS pixels): before a meeting,
// a meeting in task, in reflection with its prompts, paused and over its planned time, the
// summary with the chart, each phase of a Troika consult for each role (the presenter turned
// away among them), the shared purpose's history and the learning log. In each: nothing
// scrolls sideways, the room bar is in sight even at the bottom of the page, and axe-core
// finds no WCAG 2.1 A or AA violation. A screenshot of each is kept in
// <build>/artefacts/screens/<state>-<width>.png, 640-zoom200 for the zoomed desktop
// (COLEAD_ARTEFACTS_DIR when CTest runs it): the whole page on a phone, the window elsewhere.
// The first visit explains the room, can be hidden, stays hidden, and comes back; on a phone the
// navigation brings one part of the room forward at a time, with its heading in focus.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { axeViolations } from './axe_check.mjs';
import { launchBrowser, openPerson } from './browser.mjs';
import { togetherInRoom, waitForText, WAIT_MS } from './room_helpers.mjs';
import { repoRoot, startServer } from './server.mjs';

const screens = process.env.COLEAD_ARTEFACTS_DIR ??
    path.join(repoRoot, 'build', 'artefacts', 'screens');
// A phone and a desktop for every state; the desktop at 200% zoom (half as many CSS pixels
// each way) and the narrowest phone (320 × 568) for the states with the most on screen, which
// keeps the test's time bounded.
const SIZES = [{ width: 360, height: 740, name: '360' }, { width: 1280, height: 800, name: '1280' }];
const ZOOMED = [...SIZES, { width: 640, height: 400, name: '640-zoom200' },
                { width: 320, height: 568, name: '320' }];
// axe is injected as a script of its own, which the pages' policy rightly refuses.
const OPTIONS = { bypassCSP: true, viewport: { width: 1280, height: 800 } };

let server;
let fastServer;
let browser;
const measured = [];

before(async () => {
  await mkdir(screens, { recursive: true });
  server = await startServer();
  // A minute of meeting time per real second: a one-minute meeting runs over at once.
  fastServer = await startServer({ extraArgs: ['--time-scale', '60'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await fastServer?.stop();
  if (measured.length) console.log(`widths measured:\n${measured.join('\n')}`);
});

/** Goes to a part of the room from its navigation (on a phone the others step aside). */
async function goTo(page, words) {
  await page.locator('#room-views').getByRole('link', { name: new RegExp(`^${words}`) }).click();
}

/**
 * Checks `person`'s page in `state` at both sizes, showing the part `view` of the room
 * ("Meeting", "Consult", …): no sideways scrolling, the room bar in sight at the bottom of the
 * page, no axe violations; keeps a screenshot of each.
 */
async function check(person, state, view, { open = null, sizes = SIZES } = {}) {
  const { page } = person;
  for (const size of sizes) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await goTo(page, view);
    if (open) await open(page);
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
    const where = `${state} at ${size.name} px`;
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
                                                inner: window.innerWidth }));
    measured.push(`${where}: scrollWidth ${widths.scroll}, innerWidth ${widths.inner}`);
    assert.ok(widths.scroll <= widths.inner,
              `${where}: the page is ${widths.scroll} px wide in a ${widths.inner} px window`);
    // The bar stays in sight at the bottom of the page.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const bar = await page.locator('#room-bar').boundingBox();
    assert.ok(await page.locator('#room-bar').isVisible(), `${where}: the room bar shows`);
    assert.ok(bar && bar.y >= 0 && bar.y + bar.height <= size.height,
              `${where}: the room bar is in sight at the bottom of the page (${JSON.stringify(bar)})`);
    assert.deepEqual(await axeViolations(page), [], `${where}: axe-core`);
    await page.evaluate(() => window.scrollTo(0, 0));
    // The whole page on a phone; what the window shows elsewhere (a whole desktop page takes
    // seconds to draw).
    await page.screenshot({ path: path.join(screens, `${state}-${size.name}.png`),
                            fullPage: size.width < 400 });
  }
  await page.setViewportSize(OPTIONS.viewport);
}

function closeAll(...people) {
  return Promise.all(people.map(async (p) => {
    assert.deepEqual(p.problems, [], 'no script errors or refused resources');
    await p.context.close();
  }));
}

test('the first visit explains the room, can be hidden and comes back', async () => {
  const [asha, ben] = await togetherInRoom(
      browser, (b) => openPerson(b, OPTIONS), server.url, 'First visit',
      [{ name: 'Asha', role: 'carer' }, { name: 'Ben', role: 'clinician' }]);
  const { page } = asha;
  const card = page.locator('#first-visit');
  await card.getByRole('heading', { name: 'How this room works' }).waitFor({ timeout: WAIT_MS });
  const words = await card.innerText();
  for (const phrase of [/Shared purpose/, /40 per cent/, /Consulting to each other/,
                        /learning log/i]) {
    assert.match(words, phrase);
  }
  await check(asha, 'first-visit', 'Meeting');
  await page.getByRole('button', { name: 'Got it, hide this' }).click();
  assert.equal(await card.isHidden(), true);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'how-it-works');
  await page.reload();
  await page.locator('#connection-status', { hasText: 'Connected.' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await card.isHidden(), true, 'still hidden after a reload');
  await page.getByRole('button', { name: 'How this room works' }).click();
  await card.waitFor({ timeout: WAIT_MS });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'first-visit-title');
  assert.equal(await page.locator('#how-it-works').getAttribute('aria-expanded'), 'true');

  // The navigation is a real one: on a phone a part comes forward with its heading in focus.
  await page.setViewportSize({ width: 360, height: 740 });
  await goTo(page, 'Learning log');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'notes-title');
  assert.equal(await page.locator('#panel-meeting').isHidden(), true, 'one part at a time');
  assert.equal(await page.locator('#room-views a[aria-current="true"]').innerText(), 'Learning log');
  await goTo(page, 'Meeting');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'meeting-title');
  assert.equal(await page.locator('#panel-notes').isHidden(), true);
  // On a desktop every part shows at once.
  await page.setViewportSize(OPTIONS.viewport);
  assert.equal(await page.locator('#panel-notes').isVisible(), true);
  await closeAll(asha, ben);
});

test('every state fits a phone and a desktop, with the room bar in sight', async () => {
  const [asha, ben, chidi] = await togetherInRoom(
      browser, (b) => openPerson(b, OPTIONS), server.url,
      'Heart failure pathway: a shared plan for people going home from Ward 7B',
      [{ name: 'Asha', role: 'clinician' }, { name: 'Ben', role: 'carer' },
       { name: 'Chidi Okonkwo-Fairweather', ownWords: 'Community member and volunteer driver' }]);

  await check(asha, 'before-meeting', 'Meeting');
  // Everyone has read how the room works: the states below show the room itself.
  for (const person of [asha, ben, chidi]) {
    await person.page.getByRole('button', { name: 'Got it, hide this' }).click();
  }

  // A meeting: task, reflection with its prompts, paused.
  await goTo(asha.page, 'Meeting');
  await asha.page.getByLabel('What is this meeting for? (optional)')
      .fill('Monthly check-in on the discharge letters and the community transport rota');
  await asha.page.getByLabel('Planned length, in minutes').fill('30');
  await asha.page.getByRole('button', { name: 'Start the meeting' }).click();
  await waitForText(ben.page.locator('#meeting-mode'), /^Task$/);
  await waitForText(ben.page.locator('#bar-mode'), /^Task$/);
  assert.match(await ben.page.locator('#bar-time').innerText(), /^\d+:\d\d left$/);
  assert.match(await ben.page.locator('.bar-target-label').innerText(), /target 40%/);
  assert.match(await ben.page.locator('#room-views').innerText(), /Meeting \(now\)/);
  await check(ben, 'task', 'Meeting');

  await goTo(ben.page, 'Meeting');
  await ben.page.getByRole('button', { name: 'Switch to reflection', exact: true }).click();
  await waitForText(asha.page.locator('#meeting-prompt'), /What role am I in now\?/);
  await waitForText(asha.page.locator('#bar-mode'), /^Reflection$/);
  await check(asha, 'reflection-prompts', 'Meeting', { sizes: ZOOMED });

  await goTo(asha.page, 'Meeting');
  await asha.page.getByRole('button', { name: 'Pause', exact: true }).click();
  await waitForText(chidi.page.locator('#bar-mode'), /^Paused$/);
  await check(chidi, 'paused', 'Meeting');

  // The learning log, with a note written from the meeting's prompts.
  await goTo(asha.page, 'Meeting');
  await asha.page.getByRole('button', { name: 'Resume' }).click();
  await waitForText(asha.page.locator('#meeting-mode'), /^Reflection$/);
  await asha.page.setViewportSize({ width: 360, height: 740 });
  await asha.page.getByRole('button', { name: 'Write it in the learning log' }).click();
  assert.equal(await asha.page.evaluate(() => document.activeElement?.id), 'note-text',
               'on a phone the learning log comes forward with its field in focus');
  await asha.page.getByLabel('What are we learning?')
      .fill('We both defer to the clinician when time is short, even when the carer knows more');
  await asha.page.getByRole('button', { name: 'Add to the learning log' }).click();
  await waitForText(ben.page.locator('#notes-list'), /defer to the clinician/);
  await check(ben, 'learning-log', 'Learning log', { sizes: ZOOMED });

  // The summary with the chart and the table of past meetings.
  await goTo(asha.page, 'Meeting');
  await asha.page.getByRole('button', { name: 'End the meeting' }).click();
  await asha.page.locator('#meeting-end-confirm').click();
  await waitForText(ben.page.locator('#meeting-summary-title'), /came to/);
  await waitForText(ben.page.locator('#bar-idle'), /No meeting running/);
  await check(ben, 'summary-chart', 'Meeting', {
    sizes: ZOOMED,
    open: async (page) => {
      const table = page.locator('#meeting-history details');
      if (!await table.evaluate((d) => d.open)) await table.locator('summary').click();
    },
  });

  // The shared purpose's history.
  await goTo(asha.page, 'Shared purpose');
  await asha.page.locator('#doc-text-purpose').click();
  await asha.page.keyboard.insertText('We want people going home from Ward 7B to know who to ' +
                                      'call, and to be called back the same day.');
  await ben.page.waitForFunction(
      () => document.querySelector('#doc-text-purpose')?.value.includes('Ward 7B'), null,
      { timeout: WAIT_MS });
  await check(ben, 'history', 'Shared purpose', {
    open: async (page) => {
      const history = page.locator('#doc-view-purpose .doc-history');
      if (!await history.evaluate((d) => d.open)) await history.locator('summary').click();
    },
  });

  // A Troika consult: each phase for each role; Asha presents and turns away in phase 3.
  const trio = { asha, ben, chidi };
  await goTo(asha.page, 'Consult');
  await asha.page.locator('#consult-script option[value="troika"]').waitFor({ state: 'attached' });
  await asha.page.locator('#consult-script').selectOption('troika');
  await asha.page.locator('#consult-presenter').focus();
  await asha.page.locator('#consult-presenter').selectOption({ label: 'Asha (you)' });
  await asha.page.getByRole('button', { name: 'Start', exact: true }).click();
  for (let phase = 1; phase <= 4; ++phase) {
    // The presenter and a consultant in every phase; both consultants once, as they see alike.
    const seen = phase === 1 ? Object.entries(trio) : [['asha', asha], ['ben', ben]];
    for (const [name, person] of seen) {
      await waitForText(person.page.locator('#consult-phase'), new RegExp(`Phase ${phase} of`));
      await waitForText(person.page.locator('#bar-consult'), new RegExp(`phase ${phase} of 4`));
      const role = name === 'asha' ? 'presenter' : 'consultant';
      await check(person, `consult-phase${phase}-${role}-${name}`, 'Consult',
                  { sizes: phase === 3 ? ZOOMED : SIZES });
    }
    if (phase === 3) {
      await asha.page.locator('#consult-turned-away').waitFor({ timeout: WAIT_MS });
      await waitForText(asha.page.locator('#bar-consult'), /you are turned away/);
    }
    if (phase < 4) {
      await goTo(ben.page, 'Consult');
      await ben.page.locator('#consult-advance').click();
    }
  }
  await closeAll(asha, ben, chidi);
});

test('a meeting over its planned time says so in the bar, in words', async () => {
  const [asha, ben] = await togetherInRoom(
      browser, (b) => openPerson(b, OPTIONS), fastServer.url, 'Overrun',
      [{ name: 'Asha', role: 'clinician' }, { name: 'Ben', role: 'carer' }]);
  await goTo(asha.page, 'Meeting');
  await asha.page.getByLabel('Planned length, in minutes').fill('1');
  await asha.page.getByRole('button', { name: 'Start the meeting' }).click();
  await waitForText(ben.page.locator('#bar-time'), /^Over by \d+:\d\d$/);
  assert.equal(await ben.page.locator('.bar-time').evaluate((p) => p.classList.contains('is-over')),
               true);
  assert.equal(await ben.page.locator('.bar-over-sign').isVisible(), true, 'a sign, not colour alone');
  await check(ben, 'overrun', 'Meeting', { sizes: ZOOMED });
  // The overrun's colours keep their contrast in the dark scheme too; with reduced motion the
  // colours change at once, without a transition.
  await ben.page.emulateMedia({ colorScheme: 'dark', reducedMotion: 'reduce' });
  assert.deepEqual(await axeViolations(ben.page), [], 'overrun, dark scheme: axe-core');
  await ben.page.screenshot({ path: path.join(screens, 'overrun-dark-1280.png') });
  await closeAll(asha, ben);
});
