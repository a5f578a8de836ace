// A seat's link over time: the join form presets no role and asks for one; an organiser
// replaces a seat's link on the landing page, the device holding the old link is told and
// leaves, the old link no longer lets anyone in, and the new link joins as the same member
// without asking again.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { createRoomByApi, joinRoom, memberEntry, WAIT_MS, waitForMember } from './room_helpers.mjs';
import { startServer } from './server.mjs';

let server;
let browser;
let organiserKey;

before(async () => {
  server = await startServer();
  organiserKey = /'Authorization: Bearer <key>'\): (\S+)/.exec(server.output())?.[1];
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the join form presets no role and says plainly when none is chosen', async () => {
  const { links } = await createRoomByApi(server.url, 'Discharge planning');
  const person = await openPerson(browser);
  const { page } = person;
  let sockets = 0;
  page.on('websocket', () => {
    sockets += 1;
  });
  await page.goto(links[0]);
  await page.getByRole('button', { name: 'Join the room' }).waitFor({ timeout: WAIT_MS });
  const role = page.getByLabel('What role am I in now?');
  assert.equal(await role.inputValue(), '', 'no role is chosen for anybody');
  assert.equal(await role.locator('option:checked').innerText(), 'Choose a role');

  await page.getByLabel('Your name').fill('Sam');
  await page.getByRole('button', { name: 'Join the room' }).click();
  const error = page.locator('#join-role-error');
  await error.waitFor({ state: 'visible', timeout: WAIT_MS });
  assert.match(await error.innerText(), /^Choose the role you bring\./);
  assert.equal(await role.getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'join-role');
  assert.equal(sockets, 0, 'nothing is sent');

  await role.selectOption('carer');
  await page.getByRole('button', { name: 'Join the room' }).click();
  await page.locator('#connection-status', { hasText: 'Connected.' }).waitFor({ timeout: WAIT_MS });
  await waitForMember(page, 'Sam', 'Online');
  assert.match(await memberEntry(page, 'Sam').innerText(), /carer/);
  assert.deepEqual(person.problems, []);
  await person.context.close();
});

test('an organiser replaces a link on the landing page; the old one stops working', async () => {
  assert.ok(organiserKey, `the server printed its organiser key:\n${server.output()}`);
  const { id, links } = await createRoomByApi(server.url, 'Discharge planning');
  const asha = await openPerson(browser);
  await joinRoom(asha.page, links[0], { name: 'Asha', role: 'clinician' });
  const ben = await openPerson(browser);
  await joinRoom(ben.page, links[1], { name: 'Ben', role: 'carer' });
  await waitForMember(ben.page, 'Asha', 'Online');

  const organiser = await openPerson(browser);
  const { page } = organiser;
  await page.goto(`${server.url}/`);
  const form = page.locator('#reissue-form');
  await form.getByLabel('Room').fill(links[0]);  // a whole invite link names the room
  await form.getByLabel('Seat number').fill('1');

  // A wrong key changes nothing.
  await form.getByLabel('Organiser’s key').fill('not-the-key');
  await form.getByRole('button', { name: 'Make a new link' }).click();
  await page.getByRole('alert').filter({ hasText: 'The organiser key was not accepted' })
      .waitFor({ timeout: WAIT_MS });
  assert.equal(await asha.page.locator('#connection-status').innerText(), 'Connected.');

  await form.getByLabel('Organiser’s key').fill(organiserKey);
  await form.getByRole('button', { name: 'Make a new link' }).click();
  await page.locator('#reissue-result').waitFor({ state: 'visible', timeout: WAIT_MS });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'reissue-result');
  assert.match(await page.locator('#reissue-done').innerText(), /Seat 1 has a new link\./);
  const newLink = await page.locator('#reissue-link').inputValue();
  assert.match(newLink, new RegExp(`^${server.url}/r/${id}#t=[A-Za-z0-9_-]{22,}$`));
  assert.notEqual(newLink, links[0]);
  assert.deepEqual(organiser.problems.filter((p) => !/401/.test(p)), []);

  // Asha's page, on the old link, is told and leaves; Ben sees her go.
  await asha.page.getByRole('alert')
      .filter({ hasText: 'Your invite link has been replaced by a new one' })
      .waitFor({ timeout: WAIT_MS });
  await waitForMember(ben.page, 'Asha', 'Offline');

  // The old link lets nobody in.
  const stranger = await openPerson(browser);
  await stranger.page.goto(links[0]);
  await stranger.page.getByRole('alert').filter({ hasText: 'This invite link is not valid' })
      .waitFor({ timeout: WAIT_MS });
  await stranger.context.close();

  // The new link, on a new device: Asha again, not asked for her name or role.
  const phone = await openPerson(browser, { viewport: { width: 390, height: 844 } });
  await phone.page.goto(newLink);
  await phone.page.locator('#connection-status', { hasText: 'Connected.' })
      .waitFor({ timeout: WAIT_MS });
  assert.equal(await phone.page.locator('#join').isVisible(), false);
  await waitForMember(ben.page, 'Asha', 'Online');
  assert.match(await memberEntry(phone.page, 'Asha').innerText(), /clinician/);
  assert.deepEqual(phone.problems, []);

  for (const person of [asha, ben, organiser, phone]) await person.context.close();
});
