// Colead is for patients, carers and professionals alike, so every page is checked against
// WCAG 2.1 A and AA with axe-core (from npm, injected into the page): the landing page, a room
// with a meeting in reflection and the learning log, the summary with its chart, and a consult
// running, in the light and the dark scheme.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertAccessible } from './axe_check.mjs';
import { launchBrowser, openPerson } from './browser.mjs';
import { togetherInRoom, waitForText } from './room_helpers.mjs';
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

for (const colorScheme of ['light', 'dark']) {
  test(`every page meets WCAG 2.1 AA (${colorScheme})`, async () => {
    // axe is injected as a script of its own, which the pages' policy rightly refuses.
    const options = { bypassCSP: true, colorScheme };
    const visitor = await openPerson(browser, options);
    await visitor.page.goto(`${server.url}/`);
    await assertAccessible(visitor.page, 'the landing page');
    await visitor.context.close();

    const [asha, ben] = await togetherInRoom(
        browser, (b) => openPerson(b, options), server.url, 'Heart failure pathway',
        [{ name: 'Asha', role: 'clinician' }, { name: 'Ben', role: 'carer' }]);
    await assertAccessible(asha.page, 'a room before any meeting');

    await asha.page.getByLabel('Planned length, in minutes').fill('30');
    await asha.page.getByRole('button', { name: 'Start the meeting' }).click();
    await waitForText(ben.page.locator('#meeting-mode'), /^Task$/);
    await ben.page.getByRole('button', { name: 'Switch to reflection', exact: true }).click();
    await waitForText(asha.page.locator('#meeting-prompt'), /What role am I in now\?/);
    await asha.page.getByLabel('What are we learning?').fill('We both defer to the clinician');
    await asha.page.getByRole('button', { name: 'Add to the learning log' }).click();
    await waitForText(ben.page.locator('#notes-list'), /defer to the clinician/);
    await asha.page.locator('#meeting-options > summary').click();
    await asha.page.locator('#meeting-settings-box > summary').click();
    await assertAccessible(asha.page, 'a room with a meeting in reflection');

    await asha.page.getByRole('button', { name: 'End the meeting' }).click();
    await asha.page.locator('#meeting-end-confirm').click();
    await waitForText(ben.page.locator('#meeting-summary-title'), /What “Meeting 1, \d+ \w+” came to/);
    await ben.page.locator('#meeting-history details > summary').click();
    await assertAccessible(ben.page, 'a meeting summary and the history chart');

    await ben.page.locator('#consult-script option[value="pair-consult"]').waitFor({ state: 'attached' });
    await ben.page.locator('#consult-script').selectOption('pair-consult');
    await ben.page.getByRole('button', { name: 'Start', exact: true }).click();
    await waitForText(asha.page.locator('#consult-phase'), /Phase 1 of/);
    await assertAccessible(asha.page, 'a room consulting to each other');

    for (const person of [asha, ben]) await person.context.close();
  });
}
