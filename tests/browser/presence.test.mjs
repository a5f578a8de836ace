// Two people join a room made on the landing page and see each other come and go.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { createRoomFromLanding, joinRoom, memberEntry, waitForMember } from './room_helpers.mjs';
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

test('a pair created on the landing page see each other arrive and go offline', async () => {
  const creator = await openPerson(browser);
  const links = await createRoomFromLanding(creator.page, server.url,
                                            { title: 'Heart failure pathway', seats: 2 });
  assert.notEqual(links[0], links[1], 'each seat has its own link');

  const asha = await openPerson(browser);
  await joinRoom(asha.page, links[0], { name: 'Asha', role: 'clinician' });
  assert.equal(new URL(asha.page.url()).hash, '', 'the token is removed from the address bar');
  await asha.page.getByRole('heading', { level: 1, name: 'Heart failure pathway' }).waitFor();
  await waitForMember(asha.page, 'Asha', 'Online');
  assert.match(await memberEntry(asha.page, 'Asha').innerText(), /\(you\)/);
  assert.match(await memberEntry(asha.page, 'Asha').innerText(), /clinician/);

  const ben = await openPerson(browser);
  await joinRoom(ben.page, links[1], { name: 'Ben', ownWords: 'peer supporter' });
  await waitForMember(ben.page, 'Ben', 'Online');
  await waitForMember(ben.page, 'Asha', 'Online');
  assert.doesNotMatch(await memberEntry(ben.page, 'Asha').innerText(), /\(you\)/);

  // Asha sees Ben arrive without reloading, with the role he gave in his own words.
  await waitForMember(asha.page, 'Ben', 'Online');
  assert.match(await memberEntry(asha.page, 'Ben').innerText(), /peer supporter/);

  // Ben closes his page: Asha sees him go offline, said in words.
  await ben.page.close();
  await waitForMember(asha.page, 'Ben', 'Offline');
  await waitForMember(asha.page, 'Asha', 'Online');

  for (const person of [creator, asha, ben]) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});
