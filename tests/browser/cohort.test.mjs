// A programme's overview in the browser: a facilitator watches two rooms change live (who is
// here, the meeting's mode and time, reflection, the reflection chart across meetings), speaks
// to every room and to a chosen one, and the page passes axe-core at 1280 and 360 px without
// ever being wider than the window. A link that is not a facilitator's opens nothing.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertAccessible } from './axe_check.mjs';
import { launchBrowser, openPerson } from './browser.mjs';
import { createCohortByApi, joinProgrammeRoom, openOverview, roomCard } from './cohort_helpers.mjs';
import { waitForText, WAIT_MS } from './room_helpers.mjs';
import { startServer } from './server.mjs';

// axe is injected as a script of its own, which the pages' policy rightly refuses.
const OPTIONS = { bypassCSP: true, viewport: { width: 1280, height: 800 } };

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

async function startMeeting(page, minutes) {
  await page.getByLabel('Planned length, in minutes').fill(String(minutes));
  await page.getByRole('button', { name: 'Start the meeting' }).click();
  await page.locator('#meeting-mode', { hasText: /^Task$/ }).waitFor({ timeout: WAIT_MS });
}

/** No sideways scrolling and no axe violations at a phone's width and a desktop's. */
async function checkWidths(page, what) {
  for (const width of [1280, 360]) {
    await page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
    const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
                                                inner: window.innerWidth }));
    assert.ok(widths.scroll <= widths.inner,
              `${what} at ${width} px: the page is ${widths.scroll} px wide in ${widths.inner}`);
    await assertAccessible(page, `${what} at ${width} px`);
  }
  await page.setViewportSize(OPTIONS.viewport);
}

function closeAll(...people) {
  return Promise.all(people.map(async (p) => {
    assert.deepEqual(p.problems, [], 'no script errors or refused resources');
    await p.context.close();
  }));
}

test('the overview follows two rooms live and speaks to every room or a chosen one', async () => {
  const cohort = await createCohortByApi(server.url, { title: 'Spring set', rooms: 2 });
  const [one, two] = cohort.rooms;
  const sam = await openPerson(browser, OPTIONS);
  await openOverview(sam.page, cohort.facilitatorLinks[0], 2);
  await sam.page.getByRole('heading', { level: 1, name: 'Spring set' }).waitFor();
  assert.match(await sam.page.locator('#cohort-who').innerText(), /You are Sam/);
  assert.equal(new URL(sam.page.url()).hash, '', 'the token leaves the address bar');
  const card1 = roomCard(sam.page, one.title);
  const card2 = roomCard(sam.page, two.title);
  assert.match(await card1.innerText(), /Nobody here now/);
  assert.match(await card1.innerText(), /No meeting yet/);
  await checkWidths(sam.page, 'the overview before anyone joins');

  // A member joins each room: each card says who is here, live.
  const asha = await openPerson(browser, OPTIONS);
  await joinProgrammeRoom(asha.page, one.links[0], 'Asha', 'clinician');
  await waitForText(card1.locator('.room-card-people'), /Here now: Asha/);
  const ben = await openPerson(browser, OPTIONS);
  await joinProgrammeRoom(ben.page, two.links[0], 'Ben', 'carer');
  await waitForText(card2.locator('.room-card-people'), /Here now: Ben/);
  assert.match(await card1.locator('.room-card-people').innerText(), /1 of 2 seats taken/);

  // Asha's room meets: the card shows the task and the time left, then reflection.
  await startMeeting(asha.page, 10);
  await waitForText(card1.locator('.room-card-mode'), /Task/);
  await waitForText(card1.locator('.room-card-time'), /left of 10 minutes/);
  await waitForText(card1.locator('.room-card-share'), /target 40%/);
  assert.match(await card2.locator('.room-card-mode').innerText(), /No meeting yet/);
  await asha.page.getByRole('button', { name: 'Switch to reflection' }).click();
  await waitForText(card1.locator('.room-card-mode'), /Reflection/);
  await waitForText(sam.page.locator('#cohort-summary'), /a meeting running in 1/);

  // Ben's room meets and ends its meeting: the programme's chart has its first bar.
  await startMeeting(ben.page, 5);
  await waitForText(card2.locator('.room-card-mode'), /Task/);
  await ben.page.getByRole('button', { name: 'End the meeting' }).click();
  await ben.page.getByRole('button', { name: 'End without a reason' }).click();
  await waitForText(card2.locator('.room-card-mode'), /Last meeting ended/);
  await waitForText(sam.page.locator('#cohort-chart-text'), /Meeting 1, 0% in 1 room/);
  assert.equal(await sam.page.locator('#cohort-chart svg .bar').count(), 1);
  await checkWidths(sam.page, 'the overview with two rooms met');

  // A message to every room reaches both, marked as the facilitator's.
  await sam.page.getByLabel('A message to the rooms').fill('Back in the hall at three, please');
  await sam.page.getByRole('button', { name: 'Send to every room' }).click();
  await waitForText(sam.page.locator('#act-done'), /^Message sent to every room\.$/);
  for (const person of [asha, ben]) {
    await waitForText(person.page.locator('#notices-list'),
                      /From Sam \(facilitator\): Back in the hall at three, please/);
  }

  // A call of time to Ben's room only.
  await sam.page.getByLabel('Only the rooms I choose').check();
  await sam.page.locator('#act-room-list').getByLabel(two.title).check();
  await sam.page.getByLabel('Minutes left').fill('5');
  await sam.page.getByRole('button', { name: 'Call time in 1 room' }).click();
  await waitForText(sam.page.locator('#act-done'), /^Time called in 1 room\.$/);
  await waitForText(ben.page.locator('#notices-list'), /Sam \(facilitator\) calls time: 5 minutes left/);
  // Nothing to choose is refused on the page, and nothing is sent.
  await sam.page.locator('#act-room-list').getByLabel(two.title).uncheck();
  await sam.page.getByRole('button', { name: 'Call time in 0 rooms' }).click();
  await waitForText(sam.page.locator('#act-message'), /Choose at least one room/);
  await asha.page.waitForTimeout(500);
  assert.doesNotMatch(await asha.page.locator('#notices-list').innerText(), /calls time/);

  await checkWidths(sam.page, 'the overview after speaking to the rooms');
  await closeAll(sam, asha, ben);
});

test('a link that is not a facilitator’s opens no overview', async () => {
  const cohort = await createCohortByApi(server.url, { title: 'Closed set', rooms: 1 });
  const id = cohort.id;
  const member = await openPerson(browser, OPTIONS);
  const memberToken = new URL(cohort.rooms[0].links[0]).hash;
  await member.page.goto(`${server.url}/c/${id}${memberToken}`);
  await member.page.getByRole('heading', { name: 'You cannot open this overview' })
      .waitFor({ timeout: WAIT_MS });
  assert.match(await member.page.locator('#fatal-message').innerText(), /not valid/);
  assert.equal(await member.page.locator('#cohort').isHidden(), true);
  await assertAccessible(member.page, 'the refusal');

  await member.page.goto(`${server.url}/c/${id}`);
  await waitForText(member.page.locator('#fatal-message'), /needs your facilitator link/);
  const notFound = await fetch(`${server.url}/c/not%20a%20cohort`);
  assert.equal(notFound.status, 404);
  member.problems.length = 0;  // the refused socket is logged by the browser
  await member.context.close();
});
