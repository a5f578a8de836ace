// Two people typing at the same spot keep their words whole: both carets are put at the same
// position of the shared purpose, both type a different sentence key by key at the same time,
// and each sentence ends up in one piece, twenty times over, on both pages and on the server.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { createRoomByApi, joinRoom, WAIT_MS } from './room_helpers.mjs';
import { purpose, serverText, waitForPurpose, waitForSaved } from './purpose_helpers.mjs';
import { startServer } from './server.mjs';

const RUNS = Number(process.env.COLEAD_SAME_SPOT_RUNS || 20);

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

const textOf = (page) => purpose(page).inputValue();

/** Waits until both pages show the same text and have nothing unsaved; returns the text. */
async function settled(pages) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const texts = await Promise.all(pages.map(textOf));
    if (texts.every((t) => t === texts[0])) {
      await Promise.all(pages.map(waitForSaved));
      const again = await Promise.all(pages.map(textOf));
      if (again.every((t) => t === again[0])) return again[0];
    }
    assert.ok(Date.now() < deadline, `the pages did not settle: ${JSON.stringify(texts)}`);
    await pages[0].waitForTimeout(50);
  }
}

/** Puts the caret after the first `at` characters, by keyboard. */
async function caretAt(page, at) {
  await purpose(page).focus();
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < at; i++) await page.keyboard.press('ArrowRight');
}

/** Types `text` key by key with short, uneven pauses, like a person typing fast. */
async function typeKeys(page, text, seed) {
  let state = seed;
  for (const key of text) {
    await page.keyboard.press(key === ' ' ? 'Space' : key);
    state = (state * 1103515245 + 12345) % 2147483648;
    await page.waitForTimeout(5 + (state % 30));
  }
}

const SENTENCES = [
  ['Reverse the steps first.', 'Everything shared here helps.'],
  ['We listen before we act.', 'Patients choose what matters.'],
  ['Care plans stay simple.', 'Nobody waits in the dark.'],
  ['Start with the question.', 'Time to reflect counts too.'],
];

test(`two people typing different sentences at the same spot keep both whole (${RUNS} runs)`,
     { timeout: 240000 }, async (t) => {
  const room = await createRoomByApi(server.url, 'Same spot');
  const asha = await openPerson(browser);
  const ben = await openPerson(browser);
  await joinRoom(asha.page, room.links[0], { name: 'Asha', role: 'carer' });
  await joinRoom(ben.page, room.links[1], { name: 'Ben', role: 'clinician' });
  const pages = [asha.page, ben.page];

  const broken = [];
  for (let run = 1; run <= RUNS; run++) {
    const [first, second] = SENTENCES[run % SENTENCES.length];
    const head = `Run ${run}: `;
    const frame = `${head}| end.`;
    // A fresh frame for the run; both carets go right after "Run N: ".
    await purpose(asha.page).focus();
    await asha.page.keyboard.press('Control+A');
    await asha.page.keyboard.insertText(frame);
    await waitForPurpose(ben.page, frame);
    await settled(pages);
    await Promise.all([caretAt(asha.page, head.length), caretAt(ben.page, head.length)]);

    await Promise.all([typeKeys(asha.page, first, run * 7 + 1),
                       typeKeys(ben.page, second, run * 13 + 5)]);
    const text = await settled(pages);
    assert.equal(await serverText(server.url, room), text, `run ${run}: the server has the same text`);
    const whole = [`${head}${first}${second}| end.`, `${head}${second}${first}| end.`];
    if (!whole.includes(text)) broken.push(`run ${run}: ${JSON.stringify(text)}`);
  }
  t.diagnostic(`${broken.length} of ${RUNS} runs broke a sentence`);
  assert.deepEqual(broken, [], 'each sentence stays in one piece in every run');

  for (const person of [asha, ben]) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});
