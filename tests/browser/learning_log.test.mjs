// The learning log from two browsers: a note reaches the other member with its author and
// category, only its author can edit or remove it, its earlier versions stay readable, the log
// filters by category, and the learning record downloads with the note in it.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { togetherInRoom, waitForText, WAIT_MS } from './room_helpers.mjs';
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

function noteItem(page, text) {
  return page.locator('#notes-list li', { hasText: text });
}

async function addNote(page, text, category) {
  await page.getByLabel('What are we learning?').fill(text);
  await page.getByLabel('It is about').selectOption(category);
  await page.getByRole('button', { name: 'Add to the learning log' }).click();
  await noteItem(page, text).waitFor({ timeout: WAIT_MS });
}

test('the learning log: shared at once, edited and removed only by its author', async () => {
  const [kim, lou] = await togetherInRoom(browser, openPerson, server.url, 'Carers’ forum',
                                     [{ name: 'Kim', role: 'manager' },
                                      { name: 'Lou', role: 'community member' }]);

  await lou.page.getByRole('heading', { name: 'Learning log' }).waitFor();
  assert.equal(await lou.page.locator('#notes-count').innerText(), 'Nothing in the log yet.');

  // An empty note is refused on the page, and nothing is sent.
  await kim.page.getByRole('button', { name: 'Add to the learning log' }).click();
  assert.equal(await kim.page.locator('#notes-message').innerText(), 'Write something first.');

  await addNote(kim.page, 'The GP practice wants carers at the design table', 'LOCAL_SYSTEM');
  await addNote(lou.page, 'We listen better when we meet at the community centre', 'HOW_WE_WORK');

  // Each sees both, with who wrote them; only their own carry Edit and Remove.
  const kimsOnLou = noteItem(lou.page, 'GP practice');
  await kimsOnLou.waitFor({ timeout: WAIT_MS });
  assert.match(await kimsOnLou.innerText(), /Our local system/i);
  assert.match(await kimsOnLou.innerText(), /Kim, /);
  assert.equal(await kimsOnLou.getByRole('button', { name: 'Edit', exact: true }).count(), 0);
  assert.equal(await noteItem(lou.page, 'community centre').getByRole('button', { name: 'Edit', exact: true })
                   .count(), 1);
  await lou.page.locator('#notes-count', { hasText: '2 notes.' }).waitFor({ timeout: WAIT_MS });

  // Kim edits hers: Lou sees the new words, marked edited.
  const kimsOwn = noteItem(kim.page, 'GP practice');
  await kimsOwn.getByRole('button', { name: 'Edit', exact: true }).click();
  await kim.page.getByLabel('Edit your note').fill('The GP practice wants carers and patients at the design table');
  await kim.page.getByRole('button', { name: 'Save', exact: true }).click();
  const edited = noteItem(lou.page, 'carers and patients');
  await edited.waitFor({ timeout: WAIT_MS });
  assert.match(await edited.innerText(), /\(edited\)/);
  // Its history is kept, and anyone can read the earlier words.
  await edited.locator('summary', { hasText: 'Earlier versions' }).click();
  await waitForText(edited.locator('.note-history-list'), /^The GP practice wants carers at the design table/);

  // The filter shows one category.
  await lou.page.getByLabel('Show', { exact: true }).selectOption('HOW_WE_WORK');
  assert.equal(await lou.page.locator('#notes-list li').count(), 1);
  assert.equal(await lou.page.locator('#notes-count').innerText(), '1 of 2 notes shown.');
  await lou.page.getByLabel('Show', { exact: true }).selectOption('');

  // The learning record downloads with both notes in it.
  const [download] = await Promise.all([
    lou.page.waitForEvent('download', { timeout: WAIT_MS }),
    lou.page.getByRole('button', { name: 'Download the learning record (Markdown)' }).click(),
  ]);
  const record = await readFile(await download.path(), 'utf8');
  assert.match(record, /carers and patients at the design table/);
  assert.match(record, /community centre/);

  // Kim removes hers after saying so; it goes from Lou's log.
  await noteItem(kim.page, 'carers and patients').getByRole('button', { name: 'Remove' }).click();
  await kim.page.getByRole('button', { name: 'Remove', exact: true }).last().click();
  await lou.page.locator('#notes-count', { hasText: '1 note.' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await noteItem(lou.page, 'carers and patients').count(), 0);

  for (const person of [kim, lou]) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});
