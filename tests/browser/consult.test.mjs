// Consulting to each other from the browser. A pair runs a Pair consult: both see the same
// phase, each sees the prompt for their own role, and a question asked by the consultant
// reaches both. A trio runs Troika Consulting: the person presenting turns away while the
// consultants discuss, keeps private notes that only they see, and can say they are ready
// while turned away; stopping asks first. An action-learning set's facilitator seat: its
// member facilitates, never presents and keeps time; the others may pause but not move on.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertAccessible } from './axe_check.mjs';
import { launchBrowser, openPerson } from './browser.mjs';
import { memberEntry, togetherInRoom, waitForText, WAIT_MS } from './room_helpers.mjs';
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

test('a pair consult: both see the same phase and their own role’s prompt', async () => {
  const [asha, ben] = await togetherInRoom(browser, openPerson, server.url, 'Pair practice',
                                      [{ name: 'Asha', role: 'clinician' },
                                       { name: 'Ben', role: 'carer' }]);

  // Asha starts a Pair consult with herself presenting.
  const panel = asha.page.locator('#panel-consult');
  await panel.getByRole('heading', { name: 'Consulting to each other' }).waitFor();
  await asha.page.locator('#consult-script option[value="pair-consult"]').waitFor({ state: 'attached' });
  await asha.page.locator('#consult-script').selectOption('pair-consult');
  await asha.page.locator('#consult-presenter').focus();
  await asha.page.locator('#consult-presenter').selectOption({ label: 'Asha (you)' });
  await asha.page.getByRole('button', { name: 'Start', exact: true }).click();

  // Both see the same phase; each sees their own role and its prompt.
  const ashaPhase = await waitForText(asha.page.locator('#consult-phase'), /Phase 1 of/);
  const benPhase = await waitForText(ben.page.locator('#consult-phase'), /Phase 1 of/);
  assert.equal(ashaPhase, benPhase);
  const ashaRole = await asha.page.locator('#consult-my-role').innerText();
  const benRole = await ben.page.locator('#consult-my-role').innerText();
  assert.notEqual(ashaRole, benRole, 'presenter and consultant hold different roles');
  const ashaPrompt = await asha.page.locator('#consult-prompt').innerText();
  const benPrompt = await ben.page.locator('#consult-prompt').innerText();
  assert.ok(ashaPrompt.length > 0 && benPrompt.length > 0, 'each role has a prompt');
  assert.notEqual(ashaPrompt, benPrompt, 'each sees the prompt for their own role');
  assert.match(await asha.page.locator('#consult-countdown').innerText(), /\d+:\d\d left/);
  assert.match(await ben.page.locator('#consult-round').innerText(), /Asha presents/);

  // Both say they are ready: the pair moves to the next phase together.
  await asha.page.locator('#consult-ready').click();
  await waitForText(ben.page.locator('#consult-roles'), /Asha.*ready/);
  await ben.page.locator('#consult-ready').click();
  const ashaNext = await waitForText(asha.page.locator('#consult-phase'), /Phase 2 of/);
  const benNext = await waitForText(ben.page.locator('#consult-phase'), /Phase 2 of/);
  assert.equal(ashaNext, benNext);
  assert.notEqual(await asha.page.locator('#consult-prompt').innerText(),
                  await ben.page.locator('#consult-prompt').innerText());

  // In the questions phase Ben (consultant) asks; Asha (presenter) has no question field.
  assert.equal(await asha.page.locator('#consult-ask').isHidden(), true);
  await ben.page.locator('#consult-question-text').fill('What matters most to you here?');
  await ben.page.getByRole('button', { name: 'Ask' }).click();
  await waitForText(asha.page.locator('#consult-questions'), /What matters most to you here\?/);

  for (const person of [asha, ben]) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});

test('a trio’s Troika: the person presenting turns away, keeps private notes, and can be ready', async () => {
  const [asha, ben, chidi] = await togetherInRoom(
      browser, (b) => openPerson(b, { bypassCSP: true }), server.url, 'Trio practice',
      [{ name: 'Asha', role: 'clinician' }, { name: 'Ben', role: 'carer' },
       { name: 'Chidi', role: 'manager' }]);

  await asha.page.locator('#consult-script option[value="troika"]').waitFor({ state: 'attached' });
  await asha.page.locator('#consult-script').selectOption('troika');
  await asha.page.locator('#consult-presenter').focus();
  await asha.page.locator('#consult-presenter').selectOption({ label: 'Asha (you)' });
  await asha.page.getByRole('button', { name: 'Start', exact: true }).click();
  await waitForText(chidi.page.locator('#consult-phase'), /Phase 1 of/);

  // Ben moves the round on twice: the consultants discuss while Asha listens, turned away.
  await ben.page.locator('#consult-advance').click();
  await waitForText(ben.page.locator('#consult-phase'), /Phase 2 of/);
  await ben.page.locator('#consult-advance').click();
  await waitForText(asha.page.locator('#consult-phase'), /Phase 3 of/);
  await asha.page.locator('#consult-turned-away').waitFor({ timeout: WAIT_MS });
  assert.equal(await asha.page.locator('#consult-controls').isHidden(), true);
  assert.match(await asha.page.locator('#consult-turned-away-sign').innerText(), /You turn back/);
  // There is no call: turning away means listening without speaking.
  assert.match(await asha.page.locator('#consult-prompt').innerText(),
               /^Turn away and listen without speaking\./);
  assert.equal(await ben.page.locator('#consult-turned-away').isHidden(), true);

  // What Asha writes while turned away becomes a personal note of her learning log.
  await asha.page.getByLabel('Private notes (only you see them)')
      .fill('They noticed I keep apologising for the waiting list');
  await asha.page.getByRole('button', { name: 'Keep in my learning log (only I see it)' }).click();
  await waitForText(asha.page.locator('#consult-private-saved'), /only you can see it/);
  const kept = asha.page.locator('#notes-list li', { hasText: 'apologising' });
  await kept.waitFor({ timeout: WAIT_MS });
  assert.match(await kept.innerText(), /only you see this/i);
  assert.equal(await asha.page.getByLabel('Private notes (only you see them)').inputValue(), '');
  // Nobody else sees it.
  for (const other of [ben, chidi]) {
    assert.equal(await other.page.locator('#notes-count').innerText(), 'Nothing in the log yet.');
  }

  // Turned away, Asha can still say she is ready, as the engine waits for her too: the
  // others see who they are waiting for, and that changes when she presses it.
  await ben.page.locator('#consult-ready').click();
  await chidi.page.locator('#consult-ready').click();
  await waitForText(ben.page.locator('#consult-ready-line'), /Waiting for Asha\.$/);
  assert.match(await ben.page.locator('#consult-ready-line').innerText(),
               /^This phase moves on when everyone here is ready, when its time runs out, or when /);
  assert.match(await chidi.page.locator('#consult-roles').innerText(),
               /Asha: the person presenting, turned away and listening/);
  const awayReady = asha.page.getByRole('button', { name: 'I am ready to turn back' });
  await awayReady.waitFor({ timeout: WAIT_MS });
  await assertAccessible(asha.page, 'turned away, with a ready button');
  await awayReady.click();
  // Everyone is ready: the phase moves on, and Asha turns back.
  await waitForText(ben.page.locator('#consult-phase'), /Phase 4 of/);
  await asha.page.locator('#consult-controls').waitFor({ timeout: WAIT_MS });
  assert.equal(await asha.page.locator('#consult-turned-away').isHidden(), true);
  // Ben and Chidi were told, in a notice, of the phase moving on (Asha's readiness moved it).
  await waitForText(ben.page.locator('#notices-list'), /Troika Consulting: now “/);

  // Stopping asks first; saying no leaves the consult running for everyone.
  await chidi.page.getByRole('button', { name: 'Stop the consult for everyone' }).click();
  await waitForText(chidi.page.locator('#consult-stop-text'), /It stops for Asha and Ben too/);
  await assertAccessible(chidi.page, 'the stop question');
  await chidi.page.getByRole('button', { name: 'No, keep going' }).click();
  assert.equal(await chidi.page.locator('#consult-stop-confirm').isHidden(), true);
  assert.match(await asha.page.locator('#consult-phase').innerText(), /Phase 4 of/);

  for (const person of [asha, ben, chidi]) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});

test('an action-learning set: the member in the facilitator seat keeps time', async () => {
  const people = [{ name: 'Asha', role: 'clinician' }, { name: 'Ben', role: 'carer' },
                  { name: 'Chidi', role: 'manager' }, { name: 'Fay', role: 'clinician' }];
  const [asha, ben, chidi, fay] = await togetherInRoom(
      browser, (b) => openPerson(b, { bypassCSP: true }), server.url, 'Discharge set', people,
      { facilitatorSeat: true });
  await waitForText(memberEntry(ben.page, 'Fay'), /facilitator/);
  assert.doesNotMatch(await memberEntry(ben.page, 'Asha').innerText(), /facilitator/);

  // The facilitator is no one to present first; the form says who facilitates.
  await asha.page.locator('#consult-script option[value="action-learning"]').waitFor({ state: 'attached' });
  await asha.page.locator('#consult-script').selectOption('action-learning');
  await waitForText(asha.page.locator('#consult-script-info'),
                    /Fay, in the facilitator seat, facilitates and keeps time/);
  await asha.page.locator('#consult-presenter').focus();
  const presenters = await asha.page.locator('#consult-presenter option').allInnerTexts();
  assert.deepEqual(presenters, ['Asha (you)', 'Ben', 'Chidi']);
  await asha.page.getByRole('button', { name: 'Start', exact: true }).click();

  // Ben sees who keeps time and may pause, not move on; Fay moves the set on.
  await waitForText(ben.page.locator('#consult-time-keeper'), /^Fay keeps time in this set/);
  assert.match(await fay.page.locator('#consult-my-role').innerText(), /Facilitator/);
  assert.equal(await ben.page.locator('#consult-advance').isHidden(), true);
  assert.equal(await ben.page.locator('#consult-extend').isHidden(), true);
  assert.equal(await ben.page.locator('#consult-stop').isHidden(), true);
  assert.equal(await ben.page.locator('#consult-pause').isVisible(), true);
  await waitForText(fay.page.locator('#consult-time-keeper'), /^You keep time in this set/);
  await assertAccessible(ben.page, 'a set member while the facilitator keeps time');
  await fay.page.locator('#consult-advance').click();
  await waitForText(ben.page.locator('#consult-phase'), /Phase 2 of 6: Clarifying questions/);

  // Ben stops the set to look at the process; only Fay can resume it.
  await ben.page.locator('#consult-pause').click();
  await waitForText(ben.page.locator('#consult-ready-line'), /until Fay resumes it/);
  assert.equal(await ben.page.locator('#consult-resume').isHidden(), true);
  await fay.page.locator('#consult-resume').click();
  await waitForText(chidi.page.locator('#consult-status'), /^Consult running: Action learning round/);
  await ben.page.locator('#consult-pause').waitFor({ state: 'visible', timeout: WAIT_MS });

  for (const person of [asha, ben, chidi, fay]) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});
