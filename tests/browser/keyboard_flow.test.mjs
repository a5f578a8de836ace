// The whole flow of a room by keyboard alone, and where the focus lands after each action.
// Asha uses only Tab, Shift+Tab, the arrow keys, Enter, Escape and typing; Ben, her partner,
// acts in his own browser. After every action of Asha's the focus is on the action's result
// or a sensible control, never on the page itself. Along the way Asha is told what Ben does:
// said aloud and shown as a notice, and counted in the page title while her tab is hidden.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertAccessible } from './axe_check.mjs';
import { launchBrowser, openPerson } from './browser.mjs';
import { createRoomFromLanding, joinRoom, waitForText, WAIT_MS } from './room_helpers.mjs';
import { startServer } from './server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** What has the focus: its id, tag, accessible words and classes. */
function focused(page) {
  return page.evaluate(() => {
    const node = document.activeElement;
    return {
      id: node?.id ?? '',
      tag: node?.tagName.toLowerCase() ?? '',
      text: (node?.getAttribute('aria-label') || node?.textContent || '').trim().slice(0, 200),
      className: node?.className ?? '',
      onPage: node === document.body || node === null,
    };
  });
}

/** Waits (bounded) until the focus is on the element with `id`; fails saying where it is. */
async function focusIsOn(page, id, what) {
  let last = null;
  for (let i = 0; i < 50; i += 1) {
    last = await focused(page);
    if (last.id === id) return last;
    await page.waitForTimeout(100);
  }
  assert.fail(`after ${what} the focus should be on #${id}, but it is on ` +
              `${last.onPage ? 'the page itself' : `<${last.tag} id="${last.id}"> "${last.text}"`}`);
}

/** Presses Tab (Shift+Tab backwards) until `matches(focused)` holds, at most `limit` times. */
async function tabTo(page, matches, what, { backwards = false, limit = 120 } = {}) {
  for (let i = 0; i < limit; i += 1) {
    const now = await focused(page);
    if (matches(now)) return now;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  assert.fail(`Tab never reached ${what}`);
}

const byId = (id) => (f) => f.id === id;

/** Arrow keys on a focused select until it holds `value`. */
async function chooseByKeyboard(page, id, value) {
  for (let i = 0; i < 12; i += 1) {
    if (await page.locator(`#${id}`).inputValue() === value) return;
    await page.keyboard.press('ArrowDown');
  }
  assert.fail(`#${id} never took the value ${value}`);
}

/** Records everything the page gives its screen-reader announcer to say. */
async function listenToAnnouncer(page) {
  await page.evaluate(() => {
    const region = document.getElementById('announcer');
    globalThis.said = [];
    new MutationObserver(() => {
      if (region.textContent) globalThis.said.push(region.textContent);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
}

async function heard(page, pattern) {
  for (let i = 0; i < 50; i += 1) {
    const said = await page.evaluate(() => globalThis.said ?? []);
    if (said.some((line) => pattern.test(line))) return;
    await page.waitForTimeout(100);
  }
  const said = await page.evaluate(() => globalThis.said ?? []);
  assert.fail(`never heard ${pattern}; heard:\n${said.join('\n')}`);
}

/** Makes the page believe its tab is hidden (or shown again), as switching tabs does. */
function setTabHidden(page, hidden) {
  return page.evaluate((isHidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true,
                                                         get: () => (isHidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => isHidden });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('the whole flow by keyboard: the focus lands on each action’s result', async () => {
  const creator = await openPerson(browser);
  const links = await createRoomFromLanding(creator.page, server.url,
                                            { title: 'Keyboard pair', seats: 2 });
  await creator.context.close();
  const asha = await openPerson(browser, { viewport: { width: 1280, height: 800 } });
  const ben = await openPerson(browser);
  const page = asha.page;

  // ---- join, by keyboard --------------------------------------------------------------
  await page.goto(links[0]);
  await page.locator('#join-name').waitFor();
  await tabTo(page, byId('join-name'), 'the name field');
  await page.keyboard.type('Asha');
  await tabTo(page, byId('join-role'), 'the role');
  await chooseByKeyboard(page, 'join-role', 'clinician');
  await tabTo(page, byId('join-submit'), 'Join the room');
  await page.keyboard.press('Enter');
  await page.locator('#connection-status', { hasText: 'Connected.' }).waitFor({ timeout: WAIT_MS });
  await focusIsOn(page, 'room-title', 'joining');
  await listenToAnnouncer(page);

  // Ben joins: Asha hears it and sees a notice she can dismiss by keyboard.
  await joinRoom(ben.page, links[1], { name: 'Ben', role: 'carer' });
  await heard(page, /Ben \(carer\) joined the room\./);
  await waitForText(page.locator('#notices-list'), /Ben \(carer\) joined the room\./);

  // ---- the shared purpose: write, propose; Ben agrees --------------------------------
  await tabTo(page, (f) => f.tag === 'textarea' && f.className.includes('doc-text'),
              'the shared purpose');
  const purposeId = (await focused(page)).id;
  await page.keyboard.type('We want people to be heard at every step.');
  const agree = page.locator('.agree-button').first();
  await agree.filter({ hasText: 'Propose this text as agreed' }).waitFor({ timeout: WAIT_MS });
  for (let i = 0; i < 50 && await agree.isDisabled(); i += 1) await page.waitForTimeout(100);
  await tabTo(page, (f) => f.className.includes('agree-button'), 'Propose this text as agreed');
  await page.keyboard.press('Enter');
  const afterPropose = await focused(page);
  for (let i = 0; i < 50; i += 1) {
    const f = await focused(page);
    if (f.className.includes('agree-status')) break;
    await page.waitForTimeout(100);
  }
  let proposeResult = await focused(page);
  assert.ok(proposeResult.className.includes('agree-status'),
            `after Propose the focus is on where the agreement stands, not ${JSON.stringify(afterPropose)}`);
  // The line says so once the room's push arrives; the focus stays on it meanwhile.
  for (let i = 0; i < 50 && !/proposed this text/.test(proposeResult.text); i += 1) {
    await page.waitForTimeout(100);
    proposeResult = await focused(page);
  }
  assert.ok(proposeResult.className.includes('agree-status'), 'the focus stays on the line');
  assert.match(proposeResult.text, /proposed this text/);
  await ben.page.getByRole('button', { name: 'Agree to this text' }).first().click();
  await heard(page, /Everyone has agreed to the text of/);
  await waitForText(page.locator('#notices-list'), /Everyone has agreed to the text of/);

  // ---- a meeting: start, switch, pause, resume, end ----------------------------------
  await tabTo(page, byId('meeting-title-input'), 'the meeting’s title');
  await page.keyboard.type('Keyboard check-in');
  await page.keyboard.press('Enter');
  await focusIsOn(page, 'meeting-switch', 'Start the meeting');
  // Tab reaches Switch, Pause and End, in that order.
  await page.keyboard.press('Tab');
  await focusIsOn(page, 'meeting-pause', 'one Tab from Switch');
  await page.keyboard.press('Tab');
  await focusIsOn(page, 'meeting-end', 'two Tabs from Switch');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await focusIsOn(page, 'meeting-switch', 'Shift+Tab back');

  await page.keyboard.press('Enter');
  await waitForText(page.locator('#meeting-mode'), /Reflection/);
  await focusIsOn(page, 'meeting-switch', 'Switch to reflection');
  assert.equal(await page.locator('#meeting-switch').innerText(), 'Back to the task');

  await page.keyboard.press('Tab');
  await focusIsOn(page, 'meeting-pause', 'Tab to Pause');
  await page.keyboard.press('Enter');
  await waitForText(page.locator('#meeting-mode'), /Paused/);
  await focusIsOn(page, 'meeting-switch', 'Pause (the button hides; Resume takes the focus)');
  assert.equal(await page.locator('#meeting-switch').innerText(), 'Resume');
  await page.keyboard.press('Enter');
  await waitForText(page.locator('#meeting-mode'), /Reflection/);
  await focusIsOn(page, 'meeting-switch', 'Resume');

  // While Asha's tab is hidden, Ben switches back to the task: her title counts it.
  const roomTitle = await page.title();
  await setTabHidden(page, true);
  await ben.page.locator('#meeting-switch', { hasText: 'Back to the task' }).click();
  await waitForText(page.locator('#meeting-mode'), /Task/);
  await heard(page, /Back to the task, by Ben\./);
  await waitForText(page.locator('#notices-list'), /Ben switched the meeting back to the task\./);
  for (let i = 0; i < 50 && (await page.title()) === roomTitle; i += 1) await page.waitForTimeout(100);
  assert.equal(await page.title(), `(1) ${roomTitle}`);
  await setTabHidden(page, false);
  assert.equal(await page.title(), roomTitle, 'the title is the room’s again once the tab is shown');
  await focusIsOn(page, 'meeting-switch', 'another member’s change');

  // End: the question shows the same figure as the timer.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await focusIsOn(page, 'meeting-end', 'Tab to End');
  await page.keyboard.press('Enter');
  await page.locator('#meeting-end-form').waitFor();
  const endFocus = await focused(page);
  assert.ok(['meeting-end-reason', 'meeting-end-confirm'].includes(endFocus.id),
            `End the meeting opens its question with the focus in it, not ${endFocus.id}`);
  const [timerShare, endText] = await page.evaluate(() => [
    document.getElementById('meeting-share').textContent,
    document.getElementById('meeting-end-text').textContent]);
  const pct = (text) => text.match(/(\d+)%/)[1];
  assert.equal(pct(endText), pct(timerShare), `${endText} | ${timerShare}`);
  await tabTo(page, byId('meeting-end-confirm'), 'End the meeting (in the question)');
  await page.keyboard.press('Enter');
  await focusIsOn(page, 'meeting-summary-title', 'End the meeting');

  // ---- a consult: start (Ben presents), ready, a question by Enter, stop with a question
  await tabTo(page, byId('consult-script'), 'the consult’s structure');
  await chooseByKeyboard(page, 'consult-script', 'pair-consult');
  assert.match(await page.locator('#consult-script').evaluate((s) => s.selectedOptions[0].text),
               /^Pair consult \(for 2 people\)$/);
  await tabTo(page, byId('consult-presenter'), 'who presents first');
  const benId = await page.locator('#consult-presenter option', { hasText: 'Ben' }).getAttribute('value');
  await chooseByKeyboard(page, 'consult-presenter', benId);
  await tabTo(page, byId('consult-start-button'), 'Start');
  await page.keyboard.press('Enter');
  await focusIsOn(page, 'consult-heading', 'Start (consult)');
  await waitForText(ben.page.locator('#notices-list'), /Asha started Pair consult\./);
  assert.match(await page.locator('#consult-ready-line').innerText(),
               /moves on when everyone here is ready, when its time runs out, or when someone presses Move on now/);

  await page.keyboard.press('Tab');
  await focusIsOn(page, 'consult-ready', 'Tab from the consult’s heading');
  await page.keyboard.press('Enter');
  await waitForText(ben.page.locator('#consult-roles'), /Asha.*ready/);
  await focusIsOn(page, 'consult-ready', 'I am ready');
  assert.equal(await page.locator('#consult-ready').getAttribute('aria-pressed'), 'true');
  await ben.page.locator('#consult-ready').click();
  await waitForText(page.locator('#consult-phase'), /Phase 2 of 4: Questions only/);
  await heard(page, /^Now: Questions only\./);
  await focusIsOn(page, 'consult-ready', 'the phase moving on');

  await tabTo(page, byId('consult-question-text'), 'the question box');
  await page.keyboard.type('What matters most to you?');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('And to the people you care for?');
  assert.equal(await page.locator('#consult-question-text').inputValue(),
               'What matters most to you?\nAnd to the people you care for?',
               'Shift+Enter adds a line and asks nothing');
  await page.keyboard.press('Enter');
  await waitForText(ben.page.locator('#consult-questions'), /What matters most to you\?/);
  assert.equal(await page.locator('#consult-question-text').inputValue(), '', 'Enter asked it');
  await focusIsOn(page, 'consult-question-text', 'asking a question');

  await tabTo(page, byId('consult-stop'), 'Stop the consult', { backwards: true });
  await page.keyboard.press('Enter');
  await focusIsOn(page, 'consult-stop-yes', 'Stop the consult');
  assert.match(await page.locator('#consult-stop-text').innerText(),
               /^Stop the consult for everyone\? It stops for Ben too/);
  await page.keyboard.press('Escape');
  await focusIsOn(page, 'consult-stop', 'Escape in the stop question');
  assert.equal(await page.locator('#consult-stop-confirm').isHidden(), true);
  assert.match(await ben.page.locator('#consult-phase').innerText(), /Phase 2 of 4/, 'still running');
  await page.keyboard.press('Enter');
  await focusIsOn(page, 'consult-stop-yes', 'Stop the consult, again');
  await page.keyboard.press('Enter');
  await focusIsOn(page, 'consult-status', 'Yes, stop it for everyone');
  // The focus moves when the stop is acknowledged; the stopped state may follow a moment later.
  assert.match(await waitForText(page.locator('#consult-status'), /stopped by you/), /stopped by you/);
  await waitForText(ben.page.locator('#notices-list'), /Pair consult has stopped\./);

  // ---- the learning log ----------------------------------------------------------------
  await tabTo(page, byId('note-text'), 'the learning log');
  await page.keyboard.type('Questions first helped Ben think.');
  await tabTo(page, byId('note-add-button'), 'Add to the learning log');
  await page.keyboard.press('Enter');
  for (let i = 0; i < 50; i += 1) {
    if ((await focused(page)).className.includes('note-text')) break;
    await page.waitForTimeout(100);
  }
  const noteFocus = await focused(page);
  assert.ok(noteFocus.className.includes('note-text'), `focus on the new note, not ${noteFocus.id}`);
  assert.equal(noteFocus.text, 'Questions first helped Ben think.');
  await waitForText(ben.page.locator('#notices-list'), /Asha added to the learning log/);

  // ---- a notice dismissed by keyboard -----------------------------------------------------
  const count = await page.locator('#notices-list li').count();
  assert.ok(count > 0);
  await tabTo(page, (f) => f.className.includes('notice-dismiss'), 'a notice’s Dismiss',
              { backwards: true, limit: 200 });
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#notices-list li').count(), count - 1);
  const afterDismiss = await focused(page);
  assert.ok(!afterDismiss.onPage, 'dismissing a notice keeps the focus on the notices');
  assert.ok(purposeId, 'the shared purpose was reached by Tab');

  for (const person of [asha, ben]) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});

test('notices at 320 px: in the page’s flow, within the width, and the sound is off until chosen', async () => {
  const creator = await openPerson(browser);
  const links = await createRoomFromLanding(creator.page, server.url,
                                            { title: 'Narrow pair', seats: 2 });
  await creator.context.close();
  const asha = await openPerson(browser, { viewport: { width: 320, height: 640 }, bypassCSP: true });
  const ben = await openPerson(browser);
  await joinRoom(asha.page, links[0], { name: 'Asha', role: 'clinician' });
  await joinRoom(ben.page, links[1], { name: 'Ben', role: 'carer' });
  const page = asha.page;
  await waitForText(page.locator('#notices-list'), /Ben \(carer\) joined the room\./);
  await ben.page.context().close();
  await waitForText(page.locator('#notices-list'), /Ben has left\./);

  // The notices take the room's width (the room's own layout sets it); made as narrow as a
  // 320 px screen leaves them, nothing inside runs sideways.
  const box = await page.locator('#notices').evaluate((node) => {
    const position = getComputedStyle(node).position;
    node.style.width = '288px';
    const overflow = Math.max(0, ...[node, ...node.querySelectorAll('*')]
        .map((n) => n.getBoundingClientRect().right - node.getBoundingClientRect().right));
    const inner = node.scrollWidth - node.clientWidth;
    node.style.width = '';
    return { position, overflow, inner };
  });
  assert.ok(box.overflow <= 0.5 && box.inner === 0, `nothing runs sideways at 288 px: ${JSON.stringify(box)}`);
  assert.ok(['static', 'relative'].includes(box.position), 'the notices sit in the flow, over nothing');
  await assertAccessible(page, 'a room with notices, at 320 px');

  // The gentle sound is off by default; the choice is remembered on this device.
  const sound = page.getByLabel('Play a gentle sound for each notice (on this device)');
  assert.equal(await sound.isChecked(), false);
  await sound.check();
  assert.equal(await page.evaluate(() => localStorage.getItem('colead.pref.notices.sound')), 'on');

  // Dismissing every notice empties the list; the focus goes to its heading.
  await page.getByRole('button', { name: 'Dismiss all' }).click();
  assert.equal(await page.locator('#notices-list').isHidden(), true);
  assert.match(await page.locator('#notices-empty').innerText(), /^Nothing yet\./);
  const active = await page.evaluate(() => document.activeElement?.id);
  assert.equal(active, 'notices-title', 'with nothing left to show, the focus goes to the heading');

  await page.reload();
  await page.locator('#connection-status', { hasText: 'Connected.' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await page.locator('#notices-sound').isChecked(), true, 'the choice is remembered');
  assert.deepEqual(asha.problems, [], 'no script errors or refused resources');
  await asha.context.close();
});
