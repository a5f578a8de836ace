// A room's part of its programme in the browser: it raises what gets in its way (anonymously to
// the other rooms), the facilitator groups and answers it on the overview, every room sees the
// answer and the room closes its item; a member chooses to share the room's learning and the
// others see who did; a facilitator's proposal starts nothing until the room accepts, and a
// decline starts nothing at all. The room's page passes axe-core at 1280 and 360 px.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertAccessible } from './axe_check.mjs';
import { launchBrowser, openPerson } from './browser.mjs';
import { createCohortByApi, joinProgrammeRoom, openOverview, roomCard } from './cohort_helpers.mjs';
import { waitForMember, waitForText, WAIT_MS } from './room_helpers.mjs';
import { startServer } from './server.mjs';

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

function closeAll(...people) {
  return Promise.all(people.map(async (p) => {
    assert.deepEqual(p.problems, [], 'no script errors or refused resources');
    await p.context.close();
  }));
}

/** A programme of two rooms: Asha and Ana in the first, Ben in the second, Sam watching. */
async function programme(title) {
  const cohort = await createCohortByApi(server.url, { title, rooms: 2 });
  const [one, two] = cohort.rooms;
  const sam = await openPerson(browser, OPTIONS);
  await openOverview(sam.page, cohort.facilitatorLinks[0], 2);
  const asha = await openPerson(browser, OPTIONS);
  await joinProgrammeRoom(asha.page, one.links[0], 'Asha', 'clinician');
  const ana = await openPerson(browser, OPTIONS);
  await joinProgrammeRoom(ana.page, one.links[1], 'Ana', 'patient');
  await waitForMember(asha.page, 'Ana', 'Online');
  const ben = await openPerson(browser, OPTIONS);
  await joinProgrammeRoom(ben.page, two.links[0], 'Ben', 'carer');
  return { cohort, one, two, sam, asha, ana, ben };
}

test('you said, we did: raised in one room, answered by the facilitator, seen by every room', async () => {
  const { one, sam, asha, ana, ben } = await programme('Summer set');
  const panel = asha.page.locator('#panel-programme');
  await panel.getByRole('heading', { name: 'Raise with the programme' }).waitFor({ timeout: WAIT_MS });
  assert.match(await panel.locator('#programme-intro').innerText(), /belongs to Summer set/);

  // An empty item is refused on the page.
  await asha.page.getByRole('button', { name: 'Raise it with the programme' }).click();
  await waitForText(asha.page.locator('#programme-message'), /Say what gets in your way first/);

  const words = 'We have nowhere quiet to meet at the hospital';
  await asha.page.getByLabel('What gets in our way?').fill(words);
  await asha.page.locator('#programme-category').selectOption('LOCAL_SYSTEM');
  await asha.page.getByLabel(/Leave our room’s name out/).check();
  await asha.page.getByRole('button', { name: 'Raise it with the programme' }).click();

  // Ana sees it as her room's; Ben sees it without the room's name; Sam sees which room.
  await waitForText(ana.page.locator('#programme-ours'), new RegExp(words));
  const seenByBen = ben.page.locator('#programme-others li', { hasText: words });
  await seenByBen.waitFor({ timeout: WAIT_MS });
  assert.match(await seenByBen.innerText(), /Raised by another room/);
  assert.doesNotMatch(await seenByBen.innerText(), new RegExp(one.title));
  const onOverview = sam.page.locator('#items-groups li', { hasText: words });
  await onOverview.waitFor({ timeout: WAIT_MS });
  assert.match(await onOverview.innerText(), new RegExp(`${one.title} \\(anonymous to the other rooms\\)`));

  // Sam groups it, then answers it.
  await sam.page.getByLabel(words).check();
  await sam.page.getByLabel('Group name for the chosen items').fill('Places to meet');
  await sam.page.getByRole('button', { name: 'Group the chosen items' }).click();
  await sam.page.locator('#items-groups').getByRole('heading', { name: 'Places to meet' })
      .waitFor({ timeout: WAIT_MS });
  const answer = 'The library’s meeting room is booked for every set on Tuesdays';
  await sam.page.getByLabel(/We did: what the programme did/).fill(answer);
  await sam.page.getByRole('button', { name: 'Answer the chosen items' }).click();
  await waitForText(sam.page.locator('#answers-list'), new RegExp(answer));

  // Every room sees the answer; Asha's room hears it is theirs and closes the item.
  await waitForText(ben.page.locator('#programme-answers'), new RegExp(answer));
  await waitForText(asha.page.locator('#notices-list'), /Sam answered an item your room raised/);
  const mine = asha.page.locator('#programme-ours li', { hasText: words });
  await waitForText(mine, /Answered: does the answer close it for you\?/);
  await mine.getByRole('button', { name: 'The answer closes it for us' }).click();
  await waitForText(ana.page.locator('#programme-ours li', { hasText: words }), /Closed by your room/);
  await waitForText(onOverview, /Closed by the room/);

  // Asha shares the room's learning: Ana sees who did, and so does the overview's card.
  await asha.page.getByLabel('Share our learning with the programme’s facilitators').check();
  await waitForText(ana.page.locator('#programme-share-by'), /^Turned on by Asha/);
  assert.equal(await ana.page.getByLabel('Share our learning with the programme’s facilitators')
                   .isChecked(), true);
  await waitForText(roomCard(sam.page, one.title).locator('.room-card-sharing'),
                    /Shares its learning with the programme/);

  // The room with its programme passes axe at both widths, never wider than the window.
  for (const width of [1280, 360]) {
    await asha.page.setViewportSize({ width, height: width === 360 ? 740 : 800 });
    await asha.page.locator('#room-views').getByRole('link', { name: /^Learning log/ }).click();
    await panel.getByRole('heading', { name: 'Raise with the programme' }).waitFor();
    const widths = await asha.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth,
                                                     inner: window.innerWidth }));
    assert.ok(widths.scroll <= widths.inner, `${width} px: ${widths.scroll} in ${widths.inner}`);
    await assertAccessible(asha.page, `the room's programme at ${width} px`);
  }
  await closeAll(sam, asha, ana, ben);
});

test('a proposal starts once the room accepts it; a decline starts nothing', async () => {
  const { one, two, sam, asha, ana, ben } = await programme('Autumn set');
  await sam.page.getByLabel('Consulting structure').selectOption('pair-consult');
  await sam.page.getByRole('button', { name: 'Propose it to every room' }).click();
  await waitForText(sam.page.locator('#act-done'), /Proposed to every room/);

  // Ben declines in his room: the proposal goes, and nothing starts.
  const bens = ben.page.locator('#programme-proposals li');
  await waitForText(bens, /Sam, facilitator, proposes that you start “Pair consult”/);
  await bens.getByRole('button', { name: 'Decline' }).click();
  await bens.waitFor({ state: 'detached', timeout: WAIT_MS });

  // In Asha's room both accept, and the consult starts.
  const ashas = asha.page.locator('#programme-proposals li');
  await ashas.getByRole('button', { name: 'Accept' }).click();
  await waitForText(ashas, /You accepted; it starts once the others do/);
  const anas = ana.page.locator('#programme-proposals li');
  await waitForText(anas, /Accepted so far by Asha/);
  await anas.getByRole('button', { name: 'Accept' }).click();
  await waitForText(roomCard(sam.page, one.title).locator('.room-card-consult'), /Consult: Pair consult/);
  assert.match(await roomCard(sam.page, two.title).locator('.room-card-consult').innerText(),
               /No consult running/);
  await closeAll(sam, asha, ana, ben);
});
