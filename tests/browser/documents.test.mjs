// Writing the shared purpose together: two people type into it at the same time, in several
// scripts, and both (and the server) end with the same text; agreeing on it works across both;
// typing offline is kept and sent once the connection is back.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { startRelay } from './network_cut.mjs';
import { createRoomByApi, joinRoom, WAIT_MS } from './room_helpers.mjs';
import { purpose, serverText, waitForPurpose, waitForSaved } from './purpose_helpers.mjs';
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


/** Types `pieces` one key or one string at a time, with short pauses, like a person. */
async function typeSlowly(page, pieces) {
  for (const piece of pieces) {
    if (/^[\x20-\x7e]$/.test(piece)) await page.keyboard.press(piece === ' ' ? 'Space' : piece);
    else await page.keyboard.insertText(piece);
    await page.waitForTimeout(15 + Math.floor(Math.random() * 25));
  }
}

async function joinPair(room, base = server.url) {
  const asha = await openPerson(browser);
  const ben = await openPerson(browser);
  await joinRoom(asha.page, room.links[0].replace(server.url, base), { name: 'Asha', role: 'carer' });
  await joinRoom(ben.page, room.links[1].replace(server.url, base), { name: 'Ben', role: 'clinician' });
  return { asha, ben };
}

async function closeAll(...people) {
  for (const person of people) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
}

test('two people typing into the shared purpose at once end with the same text', async () => {
  const room = await createRoomByApi(server.url, 'Heart failure pathway');
  const { asha, ben } = await joinPair(room);
  await asha.page.getByRole('tab', { name: 'Shared purpose' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await asha.page.getByRole('tab').first().innerText(), 'Shared purpose',
               'the shared purpose comes first');

  const start = 'Better care, designed together.';
  await purpose(asha.page).click();
  await typeSlowly(asha.page, [...start]);
  await waitForPurpose(ben.page, start);

  // Ben writes at the start while Asha goes on at the end, key by key, at the same time.
  const benPart = ['心', ' ', 'H', 'e', 'a', 'r', 't', 's', ' ', 'f', 'i', 'r', 's', 't', ':', ' '];
  const ashaPart = [' ', 'W', 'e', ' ', 'c', 'a', 'r', 'e', ' ', '💙', ' ', 'قلب', ' ', 'o', 'k'];
  await purpose(ben.page).click();
  await ben.page.keyboard.press('Control+Home');
  await purpose(asha.page).click();
  await asha.page.keyboard.press('Control+End');
  await Promise.all([typeSlowly(ben.page, benPart), typeSlowly(asha.page, ashaPart)]);

  const expected = benPart.join('') + start + ashaPart.join('');
  await waitForPurpose(asha.page, expected);
  await waitForPurpose(ben.page, expected);
  await waitForSaved(asha.page);
  await waitForSaved(ben.page);
  assert.equal(await serverText(server.url, room), expected, 'the server has the same text');

  // Each sees where the other's caret is, with the other's name.
  await asha.page.locator('#doc-view-purpose .remote-label', { hasText: 'Ben' })
      .waitFor({ state: 'attached', timeout: WAIT_MS });
  await ben.page.locator('#doc-view-purpose .remote-label', { hasText: 'Asha' })
      .waitFor({ state: 'attached', timeout: WAIT_MS });
  // Who wrote it, in words.
  const share = await asha.page.locator('#doc-view-purpose .authorship-summary').innerText();
  assert.match(share, /^You wrote \d+%, Ben \d+%\.$/);

  await closeAll(asha, ben);
});

test('agreeing on the shared purpose works across both, and a later edit shows what changed',
     async () => {
  const room = await createRoomByApi(server.url, 'Agreeing');
  const { asha, ben } = await joinPair(room);
  await purpose(asha.page).click();
  await asha.page.keyboard.insertText('We keep people well at home.');
  await waitForPurpose(ben.page, 'We keep people well at home.');
  await waitForSaved(asha.page);

  await asha.page.getByRole('button', { name: 'Propose this text as agreed' }).click();
  await ben.page.locator('#doc-view-purpose .agree-status', { hasText: 'Asha proposed this text' })
      .waitFor({ timeout: WAIT_MS });
  await ben.page.getByRole('button', { name: 'Agree to this text' }).click();
  for (const [page, other] of [[asha.page, 'Ben'], [ben.page, 'Asha']]) {
    const agreed = page.locator('#doc-view-purpose .agreed-version');
    await agreed.getByRole('heading', { name: 'The agreed version' }).waitFor({ timeout: WAIT_MS });
    assert.match(await agreed.innerText(), new RegExp(`by (you and ${other}|${other} and you)`));
    assert.match(await agreed.locator('.agreed-text').innerText(), /^We keep people well at home\.$/);
  }

  // Ben changes a word: both see what has changed since, in words.
  await purpose(ben.page).click();
  await ben.page.keyboard.press('Control+End');
  await ben.page.keyboard.insertText(' Together.');
  await waitForPurpose(asha.page, 'We keep people well at home. Together.');
  await asha.page.locator('#doc-view-purpose .agreed-changes summary').click();
  const diff = asha.page.locator('#doc-view-purpose .diff-view');
  await diff.locator('ins', { hasText: 'Together.' }).waitFor({ timeout: WAIT_MS });
  assert.match(await diff.innerText(), /\[added: +Together\.\]/);
  await asha.page.locator('#doc-view-purpose .agree-status', { hasText: 'has changed since' })
      .waitFor({ timeout: WAIT_MS });

  await closeAll(asha, ben);
});

test('typing while the connection is lost is kept and sent once it is back', async () => {
  const relay = await startRelay(server.port);
  try {
    const room = await createRoomByApi(server.url, 'Offline', { linkBase: relay.url });
    const asha = await openPerson(browser);
    const ben = await openPerson(browser);
    await joinRoom(asha.page, room.links[0], { name: 'Asha', role: 'carer' });
    await joinRoom(ben.page, room.links[1].replace(relay.url, server.url),
                   { name: 'Ben', role: 'clinician' });
    await purpose(asha.page).click();
    await asha.page.keyboard.insertText('Shared purpose.');
    await waitForPurpose(ben.page, 'Shared purpose.');

    relay.cut();
    await asha.page.locator('#connection[data-state="waiting"]').waitFor({ timeout: WAIT_MS });
    await purpose(asha.page).press('Control+End');
    await typeSlowly(asha.page, [' ', 'O', 'f', 'f', 'l', 'i', 'n', 'e', ' ', '💙']);
    await purpose(ben.page).click();
    await ben.page.keyboard.press('Control+Home');
    await ben.page.keyboard.insertText('Our ');
    relay.restore();
    await asha.page.locator('#connection-retry').click().catch(() => {});

    const expected = 'Our Shared purpose. Offline 💙';
    await waitForPurpose(asha.page, expected);
    await waitForPurpose(ben.page, expected);
    await waitForSaved(asha.page);
    assert.equal(await serverText(server.url, room), expected);
    // Chromium reports each reconnection attempt the cut network refused; that is the cut
    // itself, not a fault of the page. Anything else still counts.
    asha.problems.splice(0, asha.problems.length, ...asha.problems.filter(
        (p) => !/^console: WebSocket connection to '[^']+' failed: .*ERR_(CONNECTION_(RESET|REFUSED|CLOSED)|SOCKET_NOT_CONNECTED)/
            .test(p)));
    await closeAll(asha, ben);
  } finally {
    await relay.close();
  }
});

test('history shows an earlier change and restores the text it left; documents can be added ' +
     'and renamed', async () => {
  const room = await createRoomByApi(server.url, 'History');
  const { asha, ben } = await joinPair(room);
  await purpose(asha.page).click();
  await asha.page.keyboard.insertText('First words.');
  await waitForPurpose(ben.page, 'First words.');
  await purpose(ben.page).click();
  await ben.page.keyboard.press('Control+End');
  await ben.page.keyboard.insertText(' More.');
  await waitForPurpose(asha.page, 'First words. More.');
  await waitForSaved(ben.page);
  await purpose(asha.page).click();
  await asha.page.keyboard.press('Control+A');
  await asha.page.keyboard.insertText('Second thoughts.');
  await waitForPurpose(ben.page, 'Second thoughts.');
  await waitForSaved(asha.page);

  await ben.page.locator('#doc-view-purpose .doc-history summary').click();
  const changes = ben.page.locator('#doc-view-purpose .change-list .change-button');
  const mine = changes.filter({ hasText: /^You, .*Added a word$/ });
  await mine.waitFor({ timeout: WAIT_MS });
  assert.equal(await changes.count(), 3);
  assert.match(await changes.first().textContent(), /^Asha, .*Added a sentence and removed 3 words$/);
  await mine.click();
  const shown = ben.page.locator('#doc-view-purpose .change-diff');
  await shown.locator('ins').waitFor({ timeout: WAIT_MS });
  assert.equal(await shown.textContent(), 'First words.[added:  More.]');
  await ben.page.getByRole('button', { name: 'Restore the text as this change left it' }).click();
  await waitForPurpose(ben.page, 'First words. More.');
  await waitForPurpose(asha.page, 'First words. More.');
  assert.equal(await serverText(server.url, room), 'First words. More.');

  await asha.page.getByLabel('Add a document').fill('Shared ambition');
  await asha.page.getByRole('button', { name: 'Add document' }).click();
  await ben.page.getByRole('tab', { name: 'Shared ambition' }).waitFor({ timeout: WAIT_MS });
  await ben.page.getByRole('tab', { name: 'Shared ambition' }).click();
  const view = ben.page.locator('.doc-view:not([hidden])');
  await view.getByRole('button', { name: 'Rename' }).click();
  await view.getByLabel('New title').fill('Our shared ambition');
  await view.getByRole('button', { name: 'Save title' }).click();
  await asha.page.getByRole('tab', { name: 'Our shared ambition' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await asha.page.getByRole('tab').first().innerText(), 'Shared purpose');

  await closeAll(asha, ben);
});
