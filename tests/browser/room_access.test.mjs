// Getting into a room and staying in it: wrong or missing links are explained without
// retrying for ever, a reload or a second device is still the same member, a name or role
// can be changed, and a page comes back by itself after its network drops.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { startRelay } from './network_cut.mjs';
import { createRoomByApi, joinRoom, memberEntry, WAIT_MS, waitForMember } from './room_helpers.mjs';
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

/** Counts the WebSockets a page opens. */
function countSockets(page) {
  const counter = { opened: 0 };
  page.on('websocket', () => {
    counter.opened += 1;
  });
  return counter;
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('a link with a wrong token is explained once and not retried', async () => {
  const { id } = await createRoomByApi(server.url, 'Neuro-rehab services');
  const { page, context } = await openPerson(browser);
  const sockets = countSockets(page);
  await page.goto(`${server.url}/r/${id}#t=not-a-real-token`);
  // The page asks the server about the seat first: nobody types a name for a link that
  // cannot work.
  await page.getByRole('alert').filter({ hasText: 'This invite link is not valid' })
      .waitFor({ timeout: WAIT_MS });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'fatal');
  await pause(3000); // longer than the first two reconnect delays
  assert.equal(sockets.opened, 0, 'no WebSocket for a link that cannot work');
  assert.equal(await page.locator('#connection-status').innerText(), 'Not connected.');
  assert.equal(await page.locator('#join').isVisible(), false);
  await context.close();
});

test('a room that does not exist is explained once and not retried', async () => {
  const { page, context } = await openPerson(browser);
  const sockets = countSockets(page);
  await page.goto(`${server.url}/r/noSuchRoom0000#t=some-token`);
  await page.getByRole('alert').filter({ hasText: 'There is no room at this address' })
      .waitFor({ timeout: WAIT_MS });
  await pause(3000);
  assert.equal(sockets.opened, 0, 'no WebSocket for a room that is not there');
  await context.close();
});

test('a room page opened without its token says how to get in', async () => {
  const { id } = await createRoomByApi(server.url, 'Neuro-rehab services');
  const { page, context } = await openPerson(browser);
  const sockets = countSockets(page);
  await page.goto(`${server.url}/r/${id}`);
  await page.getByRole('alert').filter({ hasText: 'This page needs your invite link' })
      .waitFor({ timeout: WAIT_MS });
  assert.equal(sockets.opened, 0);
  await context.close();
});

test('a reload joins again by itself as the same member, token kept off the address bar',
     async () => {
  const { links } = await createRoomByApi(server.url, 'Neuro-rehab services');
  const asha = await openPerson(browser);
  await joinRoom(asha.page, links[0], { name: 'Asha', role: 'manager' });
  assert.equal(new URL(asha.page.url()).hash, '');
  // The name is remembered for the next room too, and the role for this room.
  assert.equal(await asha.page.evaluate(() => localStorage.getItem('colead.name')), 'Asha');

  await asha.page.reload();
  await asha.page.locator('#connection-status', { hasText: 'Connected.' })
      .waitFor({ timeout: WAIT_MS });
  assert.equal(new URL(asha.page.url()).hash, '');
  assert.equal(await asha.page.locator('#join').isVisible(), false, 'no questions on reload');
  await waitForMember(asha.page, 'Asha', 'Online');
  assert.equal(await asha.page.locator('#member-list li').count(), 1, 'still one member');

  // Another seat's link opened in the same tab asks again who is joining.
  await asha.page.goto(links[1]);
  await asha.page.getByRole('button', { name: 'Join the room' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await asha.page.getByLabel('Your name').inputValue(), 'Asha', 'prefilled');
  assert.deepEqual(asha.problems, []);
  await asha.context.close();
});

test('the same seat on a second device is one member online on two devices, not asked again',
     async () => {
  const { links } = await createRoomByApi(server.url, 'Neuro-rehab services');
  const laptop = await openPerson(browser);
  await joinRoom(laptop.page, links[0], { name: 'Asha', role: 'carer' });
  // The phone has never seen this room: the server knows the seat's name and role, so the
  // phone joins as Asha without asking.
  const phone = await openPerson(browser, { viewport: { width: 390, height: 844 } });
  let asked = false;
  await phone.page.exposeFunction('joinFormShown', () => {
    asked = true;
  });
  await phone.page.addInitScript(() => {
    new MutationObserver((changes) => {
      if (changes.some((c) => c.target.id === 'join' && !c.target.hidden)) globalThis.joinFormShown();
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['hidden'] });
  });
  await phone.page.goto(links[0]);
  await phone.page.locator('#connection-status', { hasText: 'Connected.' })
      .waitFor({ timeout: WAIT_MS });
  assert.equal(asked, false, 'the join form never showed');
  // On a phone one part of the room shows at a time: the person goes to who is here.
  await phone.page.locator('#room-views').getByRole('link', { name: /^Who is here/ }).click();
  await waitForMember(phone.page, 'Asha', 'Online on 2 devices');
  assert.match(await memberEntry(phone.page, 'Asha').innerText(), /carer/);

  // The join form, opened to change them, shows what the room knows.
  await phone.page.getByRole('button', { name: 'Change my name or role' }).click();
  assert.equal(await phone.page.getByLabel('Your name').inputValue(), 'Asha');
  assert.equal(await phone.page.getByLabel('What role am I in now?').inputValue(), 'carer');
  await phone.page.getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual(phone.problems, []);

  await waitForMember(laptop.page, 'Asha', 'Online on 2 devices');
  assert.equal(await laptop.page.locator('#member-list li').count(), 1);
  await phone.page.close();
  await laptop.page.locator('#member-list li .member-state', { hasText: /^Online$/ })
      .waitFor({ timeout: WAIT_MS });
  await laptop.context.close();
  await phone.context.close();
});

test('a member can change the name and role the others see', async () => {
  const { links } = await createRoomByApi(server.url, 'Neuro-rehab services');
  const asha = await openPerson(browser);
  await joinRoom(asha.page, links[0], { name: 'Asha', role: 'clinician' });
  const ben = await openPerson(browser);
  await joinRoom(ben.page, links[1], { name: 'Ben', role: 'patient' });
  await waitForMember(asha.page, 'Ben', 'Online');

  await ben.page.getByRole('button', { name: 'Change my name or role' }).click();
  assert.equal(await ben.page.evaluate(() => document.activeElement?.id), 'join-name');
  await ben.page.getByLabel('Your name').fill('Benjamin');
  await ben.page.getByLabel('What role am I in now?').selectOption('other');
  await ben.page.getByLabel('Your role, in your own words').fill('community partner');
  await ben.page.getByRole('button', { name: 'Save and rejoin' }).click();

  await waitForMember(asha.page, 'Benjamin', 'Online');
  assert.match(await memberEntry(asha.page, 'Benjamin').innerText(), /community partner/);
  await waitForMember(ben.page, 'Benjamin', 'Online');
  assert.equal(await asha.page.locator('#member-list li').count(), 2, 'the same seat, renamed');
  await asha.context.close();
  await ben.context.close();
});

test('a page comes back by itself after its network drops, as the same member', async () => {
  const { links } = await createRoomByApi(server.url, 'Shared decision-making');
  const relay = await startRelay(server.port);
  try {
    // Asha reaches the server through a network that will drop; Ben's stays up.
    const asha = await openPerson(browser);
    const sockets = countSockets(asha.page);
    await joinRoom(asha.page, links[0].replace(server.url, relay.url),
                   { name: 'Asha', role: 'clinician' });
    const ben = await openPerson(browser);
    await joinRoom(ben.page, links[1], { name: 'Ben', role: 'carer' });
    await waitForMember(asha.page, 'Ben', 'Online');

    relay.cut();
    await asha.page.locator('#connection-status', { hasText: /^Connection lost\. Trying again/ })
        .waitFor({ timeout: WAIT_MS });
    assert.equal(await asha.page.locator('#connection-retry').isVisible(), true);
    await asha.page.locator('#presence-summary', { hasText: /^Not connected/ }).waitFor();
    await waitForMember(ben.page, 'Asha', 'Offline');
    await pause(3000);
    assert.ok(sockets.opened <= 4, `a calm retry pace while cut (${sockets.opened} sockets)`);

    relay.restore();
    await asha.page.locator('#connection-status', { hasText: 'Connected.' })
        .waitFor({ timeout: 20000 });
    await waitForMember(ben.page, 'Asha', 'Online');
    await waitForMember(asha.page, 'Ben', 'Online');
    assert.equal(await ben.page.locator('#member-list li').count(), 2, 'the same seat came back');
    assert.equal(await asha.page.locator('#room-title').innerText(), 'Shared decision-making');
    await asha.context.close();
    await ben.context.close();
  } finally {
    await relay.close();
  }
});

test('"Try now" reconnects at once instead of waiting', async () => {
  const { links } = await createRoomByApi(server.url, 'Neuro-rehab services');
  const relay = await startRelay(server.port);
  try {
    const asha = await openPerson(browser);
    await joinRoom(asha.page, links[0].replace(server.url, relay.url),
                   { name: 'Asha', role: 'patient' });
    relay.cut();
    // Wait until the automatic retries have backed off to a wait of 4 seconds or more.
    await asha.page.locator('#connection-status', { hasText: /Trying again in ([4-9]|\d\d) sec/ })
        .waitFor({ timeout: 20000 });
    relay.restore();
    await asha.page.getByRole('button', { name: 'Try now' }).focus();
    await asha.page.keyboard.press('Enter');
    // Well before the automatic attempt, which is 3.5 seconds or more away.
    await asha.page.locator('#connection-status', { hasText: 'Connected.' })
        .waitFor({ timeout: 2500 });
    await asha.context.close();
  } finally {
    await relay.close();
  }
});
