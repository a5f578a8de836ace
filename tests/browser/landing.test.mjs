// The landing page: creating a room by keyboard alone, copying invite links, and readable
// errors when the server refuses or cannot be reached.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { WAIT_MS } from './room_helpers.mjs';
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

/** Presses Tab until the element with `id` has focus (at most `limit` times). */
async function tabTo(page, id, limit = 15) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement?.id) === id) return;
  }
  assert.fail(`#${id} cannot be reached with the Tab key`);
}

test('a room can be created with the keyboard alone and each link copied', async () => {
  const person = await openPerson(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
  const { page } = person;
  await page.goto(`${server.url}/`);

  await tabTo(page, 'room-title');
  await page.keyboard.type('Dementia hub');
  await tabTo(page, 'room-seats');
  await page.keyboard.press('ArrowDown'); // 3 — a trio
  await tabTo(page, 'create-submit');
  await page.keyboard.press('Enter');

  await page.getByRole('heading', { name: 'Your room is ready' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'invites',
               'focus moves to the new links');
  assert.equal(await page.locator('#invites-room').innerText(), 'Dementia hub');
  const links = await page.locator('#invite-list input').evaluateAll((inputs) =>
    inputs.map((input) => input.value));
  assert.equal(links.length, 3);
  assert.equal(new Set(links).size, 3, 'every seat has its own link');
  await page.getByText('Each link is one person\'s seat.').waitFor();

  await tabTo(page, 'invite-2');
  await page.keyboard.press('Tab'); // the Copy button of seat 2
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Copy seat 2 link',
               'the Copy button of seat 2 comes next, named for its seat');
  await page.keyboard.press('Enter');
  await page.locator('#copy-status', { hasText: 'Seat 2 link copied.' })
      .waitFor({ timeout: WAIT_MS });
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), links[1]);

  assert.deepEqual(person.problems, []);
  await person.context.close();
});

test('an empty title is explained next to the field and nothing is sent', async () => {
  const { page, context } = await openPerson(browser);
  let posted = 0;
  page.on('request', (request) => {
    if (request.url().endsWith('/api/rooms')) posted += 1;
  });
  await page.goto(`${server.url}/`);
  await page.getByLabel('What will you work on together?').fill('   ');
  await page.getByRole('button', { name: 'Create the room' }).click();
  await page.locator('#room-title-error', { hasText: 'Please give the room a name.' }).waitFor();
  assert.equal(await page.getByLabel('What will you work on together?')
      .getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'room-title');
  assert.equal(posted, 0);
  await context.close();
});

test('an error from the server is shown in words and the form stays usable', async () => {
  const { page, context } = await openPerson(browser);
  await page.route('**/api/rooms', (route) => route.fulfill({
    status: 429,
    contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'too many rooms created' } }),
  }));
  await page.goto(`${server.url}/`);
  await page.getByLabel('What will you work on together?').fill('Pathway');
  await page.getByRole('button', { name: 'Create the room' }).click();
  await page.getByRole('alert').filter({ hasText: 'The room could not be created: too many ' +
                                                  'rooms created' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await page.getByRole('button', { name: 'Create the room' }).isEnabled(), true);
  assert.equal(await page.locator('#invites').isVisible(), false);
  await context.close();
});

test('a server that cannot be reached is explained', async () => {
  const { page, context } = await openPerson(browser);
  await page.route('**/api/rooms', (route) => route.abort('connectionrefused'));
  await page.goto(`${server.url}/`);
  await page.getByLabel('What will you work on together?').fill('Pathway');
  await page.getByRole('button', { name: 'Create the room' }).click();
  await page.getByRole('alert').filter({ hasText: 'Colead could not reach the server' })
      .waitFor({ timeout: WAIT_MS });
  await context.close();
});

test('a server that asks for its organiser key gets it, and the room is created', async () => {
  const { page, context } = await openPerson(browser);
  const keys = [];
  await page.route('**/api/rooms', async (route) => {
    const key = route.request().headers().authorization ?? null;
    keys.push(key);
    if (key !== 'Bearer the-organiser-key') {
      // What a server listening beyond loopback answers without the key.
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'UNAUTHORIZED', message: 'needs the key' } }),
      });
    }
    return route.continue();
  });
  await page.goto(`${server.url}/`);
  assert.equal(await page.getByLabel('Organiser key').isVisible(), false, 'hidden until asked');
  await page.getByLabel('What will you work on together?').fill('Dementia hub');
  await page.getByRole('button', { name: 'Create the room' }).click();
  await page.getByRole('alert').filter({ hasText: 'asks for its organiser key' })
      .waitFor({ timeout: WAIT_MS });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'organiser-key');

  await page.keyboard.type('a-wrong-key');
  await page.getByRole('button', { name: 'Create the room' }).click();
  await page.getByRole('alert').filter({ hasText: 'The organiser key was not accepted' })
      .waitFor({ timeout: WAIT_MS });

  await page.getByLabel('Organiser key').fill('the-organiser-key');
  await page.getByRole('button', { name: 'Create the room' }).click();
  await page.getByRole('heading', { name: 'Your room is ready' }).waitFor({ timeout: WAIT_MS });
  assert.deepEqual(keys, [null, 'Bearer a-wrong-key', 'Bearer the-organiser-key']);
  await context.close();
});

test('a server that needs its organiser key asks for it at once, and the key it printed works',
     async () => {
  const keyed = await startServer({ extraArgs: ['--room-creation', 'key'] });
  try {
    const key = /'Authorization: Bearer <key>'\): (\S+)/.exec(keyed.output())?.[1];
    assert.ok(key, `the server printed its organiser key:\n${keyed.output()}`);
    const { page, context } = await openPerson(browser);
    await page.goto(`${keyed.url}/`);
    await page.getByLabel('Organiser key').waitFor({ state: 'visible', timeout: WAIT_MS });
    await page.getByLabel('What will you work on together?').fill('Carers\u2019 pathway');
    await page.getByLabel('Organiser key').fill(key);
    await page.getByRole('button', { name: 'Create the room' }).click();
    await page.getByRole('heading', { name: 'Your room is ready' }).waitFor({ timeout: WAIT_MS });
    await context.close();
  } finally {
    await keyed.stop();
  }
});
