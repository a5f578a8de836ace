// The learning record says what the screen said: a pair runs two meetings on an accelerated
// clock (one named, one not) and a consult in which the presenter records a takeaway; the
// reflection shares and meeting names the page showed are the ones the export (Markdown and
// JSON) holds, and the takeaway is in both.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { createRoomFromLanding, joinRoom, waitForMember, waitForText } from './room_helpers.mjs';
import { startServer } from './server.mjs';

let server;
let browser;

before(async () => {
  // Ten seconds of meeting and consult time per real second.
  server = await startServer({ extraArgs: ['--time-scale', '10'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function bothSee(people, selector, pattern) {
  return Promise.all(people.map((p) => waitForText(p.page.locator(selector), pattern)));
}

/**
 * Runs one meeting from `by`'s page: task for `taskMs` of real time, then reflection for
 * `reflectionMs`, then ends it. Returns what the summary shows: { name, sharePct }.
 */
async function runMeeting(pair, by, { title, taskMs, reflectionMs }) {
  const page = by.page;
  await page.locator('#meeting-title-input').fill(title);
  await page.getByLabel('Planned length, in minutes').fill('10');
  await page.locator('#meeting-start-button').click();
  await bothSee(pair, '#meeting-mode', /^Task$/);
  await pause(taskMs);
  await page.locator('#meeting-switch').click();
  await bothSee(pair, '#meeting-mode', /^Reflection$/);
  await pause(reflectionMs);
  await page.locator('#meeting-end').click();
  await page.locator('#meeting-end-confirm').click();
  const [heading] = await bothSee(pair, '#meeting-summary-title', /came to/);
  const figures = await Promise.all(pair.map((p) => p.page.locator('#meeting-figures').innerText()));
  assert.equal(figures[0], figures[1], 'both see the same summary');
  const share = /Reflection share\n(\d+)% \(target 40%\)/.exec(figures[0]);
  assert.ok(share, figures[0]);
  const name = /^What “(.+)” came to$/.exec(heading.trim());
  assert.ok(name, `the summary names the meeting: ${heading}`);
  return { name: name[1], sharePct: Number(share[1]) };
}

test('the export holds the shares and names the screen showed, and the takeaways',
     { timeout: 120000 }, async () => {
  const creator = await openPerson(browser);
  const links = await createRoomFromLanding(creator.page, server.url,
                                            { title: 'Heart failure pathway', seats: 2 });
  await creator.context.close();
  const asha = await openPerson(browser);
  await joinRoom(asha.page, links[0], { name: 'Asha', role: 'clinician' });
  const ben = await openPerson(browser);
  await joinRoom(ben.page, links[1], { name: 'Ben', role: 'carer' });
  await waitForMember(asha.page, 'Ben', 'Online');
  const pair = [asha, ben];
  const roomId = new URL(links[0]).pathname.split('/').pop();
  const token = new URL(links[0]).hash.replace(/^#t=/, '');

  // Two meetings: the first without a title, so the room names it; the second named.
  const shown = [];
  shown.push(await runMeeting(pair, asha, { title: '', taskMs: 3000, reflectionMs: 2000 }));
  shown.push(await runMeeting(pair, ben, { title: 'Monthly check-in', taskMs: 2000,
                                           reflectionMs: 2500 }));
  assert.match(shown[0].name, /^Meeting 1, \d{1,2} [A-Z][a-z]+$/);
  assert.equal(shown[1].name, 'Monthly check-in');
  // The chart of past meetings says the same shares.
  await bothSee(pair, '#meeting-chart-text',
                new RegExp(`oldest first: ${shown[0].sharePct}%, ${shown[1].sharePct}%\\.`));

  // A pair consult with Asha presenting; at its last phase she records her takeaway.
  await asha.page.locator('#consult-script option[value="pair-consult"]')
      .waitFor({ state: 'attached' });
  await asha.page.locator('#consult-script').selectOption('pair-consult');
  await asha.page.locator('#consult-presenter').focus();
  await asha.page.locator('#consult-presenter').selectOption({ label: 'Asha (you)' });
  await asha.page.locator('#consult-start-button').click();
  await waitForText(ben.page.locator('#consult-phase'), /Phase 1 of/);
  for (const phase of [2, 3, 4]) {
    await ben.page.locator('#consult-advance').click();
    await waitForText(asha.page.locator('#consult-phase'), new RegExp(`Phase ${phase} of`));
  }
  const takeaway = 'I will ask the ward team for help before the clinic, not after';
  await asha.page.locator('#consult-takeaway-text').fill(takeaway);
  await asha.page.locator('#consult-takeaway-button').click();
  await waitForText(ben.page.locator('#consult-takeaways'), /ask the ward team for help/);

  // The record, as a member downloads it.
  const get = (format) => fetch(`${server.url}/api/rooms/${roomId}/export?format=${format}`,
                                { headers: { Authorization: `Bearer ${token}` } });
  const jsonResponse = await get('json');
  assert.equal(jsonResponse.status, 200);
  const record = await jsonResponse.json();
  assert.equal(record.meetings.length, 2);
  record.meetings.forEach((m, i) => {
    assert.equal(m.title, shown[i].name, `meeting ${i + 1} named as on the screen`);
    assert.equal(m.sharePct ?? 0, shown[i].sharePct, `meeting ${i + 1}: the share on the screen`);
  });
  assert.equal(record.consults.length, 1);
  assert.deepEqual(record.consults[0].takeaways.map((t) => t.text), [takeaway]);

  const mdResponse = await get('md');
  assert.equal(mdResponse.status, 200);
  const md = await mdResponse.text();
  for (const m of shown) {
    const row = md.split('\n').find((line) => line.startsWith(`| ${m.name} |`));
    assert.ok(row, `a row for ${m.name} in:\n${md}`);
    assert.match(row, new RegExp(`\\| ${m.sharePct}% \\| 40% \\|`), row);
  }
  assert.match(md, /## What we took from consulting to each other/);
  assert.ok(md.includes(`- ${takeaway} — Asha`), md);

  for (const person of pair) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});
