// A pair runs a Pair consult from their browsers: both see the same phase, each sees the
// prompt for their own role, and a question asked by the consultant reaches both.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { pairInRoom, waitForText } from './room_helpers.mjs';
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
  const [asha, ben] = await pairInRoom(browser, openPerson, server.url, 'Pair practice',
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
