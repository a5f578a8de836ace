// A pair runs meetings from their browsers and keeps the 40 per cent reflection rule: both
// see the same mode, the same time left and the same summary; prompts, the learning log, an
// honest ending below target, the history chart, a meeting the room ends on time, and the
// reminders, said aloud at their moments while the seconds never are.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { togetherInRoom, waitForText, WAIT_MS } from './room_helpers.mjs';
import { startServer } from './server.mjs';

let server;
let fastServer;
let browser;

before(async () => {
  server = await startServer();
  // A minute of meeting time per real second, for the meeting that ends on time.
  fastServer = await startServer({ extraArgs: ['--time-scale', '60'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await fastServer?.stop();
});

/** "9:58" or "1:02:03" as seconds. */
function seconds(clock) {
  return clock.trim().split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

async function bothSee(people, selector, pattern) {
  return Promise.all(people.map((p) => waitForText(p.page.locator(selector), pattern)));
}

test('a pair runs a meeting: same mode, same time left, same summary', async () => {
  const [asha, ben] = await togetherInRoom(browser, openPerson, server.url, 'Heart failure pathway',
                                      [{ name: 'Asha', role: 'clinician' },
                                       { name: 'Ben', role: 'carer' }]);
  const pair = [asha, ben];

  // Asha starts a 10-minute meeting with the guide's 40%.
  await asha.page.getByRole('heading', { name: 'Meeting and reflection' }).waitFor();
  await asha.page.getByLabel('What is this meeting for? (optional)').fill('Monthly check-in');
  await asha.page.getByLabel('Planned length, in minutes').fill('10');
  assert.equal(await asha.page.getByLabel('Share of the time for reflection, per cent').inputValue(),
               '40', 'the room’s default target');
  await asha.page.getByRole('button', { name: 'Start the meeting' }).click();

  // Both see the task, the same time left (within a second) and what to aim for.
  await bothSee(pair, '#meeting-mode', /^Task$/);
  await bothSee(pair, '#meeting-heading', /Monthly check-in/);
  const [left1, left2] = await Promise.all(
      pair.map((p) => p.page.locator('#meeting-remaining').innerText()));
  assert.ok(Math.abs(seconds(left1) - seconds(left2)) <= 1, `${left1} vs ${left2}`);
  assert.ok(seconds(left1) > 9 * 60 && seconds(left1) <= 10 * 60, left1);
  assert.match(await ben.page.locator('#meeting-advice').innerText(),
               /start reflecting by \d{1,2}:\d\d( [AP]M)? to keep your 40%/);
  assert.equal(await asha.page.locator('#meeting-timer').getAttribute('role'), 'timer');

  // One obvious control: Ben switches to reflection; both see it and the first prompt.
  await ben.page.getByRole('button', { name: 'Switch to reflection', exact: true }).click();
  await bothSee(pair, '#meeting-mode', /^Reflection$/);
  await bothSee(pair, '#meeting-prompt', /^What role am I in now\?$/);
  await asha.page.getByRole('button', { name: 'Next prompt', exact: true }).click();
  await bothSee(pair, '#meeting-prompt', /^What role am I in in this context\?$/);
  assert.match(await ben.page.locator('#meeting-prompt-position').innerText(), /^Prompt 2 of \d+$/);

  // What Asha learns goes in the learning log, tied to this meeting.
  await asha.page.getByRole('button', { name: 'Write it in the learning log' }).click();
  assert.equal(await asha.page.evaluate(() => document.activeElement?.id), 'note-text');
  await asha.page.getByLabel('What are we learning?').fill('We both defer to the clinician when time is short');
  await asha.page.getByLabel('It is about').selectOption('RELATIONSHIP');
  await asha.page.getByRole('button', { name: 'Add to the learning log' }).click();
  const note = await waitForText(ben.page.locator('#notes-list'), /defer to the clinician/);
  assert.match(note, /Our relationship/i);
  assert.match(note, /Asha, .*in Monthly check-in/);

  // A pause counts as neither task nor reflection: the share stands still, the same for both.
  await ben.page.getByRole('button', { name: 'Pause', exact: true }).click();
  await bothSee(pair, '#meeting-mode', /^Paused/);
  const pausedShare = await asha.page.locator('#meeting-share').innerText();
  await asha.page.waitForTimeout(1200);
  const paused = await Promise.all(pair.map((p) => p.page.locator('#meeting-share').innerText()));
  assert.deepEqual(paused, [pausedShare, pausedShare], 'a paused share reads the same everywhere');
  await asha.page.getByRole('button', { name: 'Resume', exact: true }).click();
  await bothSee(pair, '#meeting-mode', /^Reflection$/);

  // Back to the task, and the pair raise their target to 100%: it can no longer be met.
  await ben.page.getByRole('button', { name: 'Back to the task', exact: true }).click();
  await bothSee(pair, '#meeting-mode', /^Task$/);
  await asha.page.locator('#meeting-options > summary').click();
  await asha.page.getByLabel('Reflection target of this meeting, per cent').fill('100');
  await asha.page.getByRole('button', { name: 'Change the target' }).click();
  await bothSee(pair, '#meeting-share', /target 100%/);

  // The timer's figures can be hidden on one device; the mode stays.
  await ben.page.locator('#meeting-options > summary').click();
  await ben.page.getByLabel('Hide the timer’s figures on this device').check();
  assert.equal(await ben.page.locator('#meeting-counts').isHidden(), true);
  assert.equal(await ben.page.locator('#meeting-mode').innerText(), 'Task');
  assert.equal(await asha.page.locator('#meeting-counts').isVisible(), true);

  // Ending below target asks for a reason, which goes in the summary everyone sees.
  await asha.page.getByRole('button', { name: 'End the meeting' }).click();
  assert.match(await asha.page.locator('#meeting-end-text').innerText(), /your target is 100%/);
  await asha.page.getByLabel('What got in the way of reflecting? (optional)')
      .fill('We spent the time on the referral letter');
  await asha.page.locator('#meeting-end-confirm').click();
  await bothSee(pair, '#meeting-summary-title', /What “Monthly check-in” came to/);
  const summaries = await Promise.all(pair.map((p) => p.page.locator('#meeting-summary').innerText()));
  assert.equal(summaries[0], summaries[1], 'both see the same summary');
  assert.match(summaries[0], /Ended by\nAsha/);
  assert.match(summaries[0], /Why it ended below target: We spent the time on the referral letter/);
  assert.match(summaries[0], /✗ Not met/);
  assert.match(summaries[0], /defer to the clinician/);
  assert.match(await ben.page.locator('#meeting-verdict').innerText(), /below the 100% target/);
  assert.equal(await ben.page.locator('#meeting-timeline li').count(), 5,
               'task, reflection, paused, reflection, task');

  // The room keeps the meeting in its history chart.
  await bothSee(pair, '#meeting-chart-text', /last meeting, oldest first: \d+%\. Target met in 0 of 1\./);
  assert.equal(await ben.page.locator('#meeting-chart svg .bar').count(), 1);
  assert.equal(await ben.page.getByRole('button', { name: 'Start the meeting' }).isVisible(), true);

  for (const person of pair) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});

test('the room switches to reflection and ends on time by itself: exactly 40%', async () => {
  const [asha, ben] = await togetherInRoom(browser, openPerson, fastServer.url, 'Discharge planning',
                                      [{ name: 'Asha', role: 'clinician' },
                                       { name: 'Ben', role: 'carer' }]);
  const pair = [asha, ben];

  // Ben asks the room to switch to reflection by itself; Asha's page shows the new setting.
  await ben.page.locator('#meeting-settings-box > summary').click();
  await ben.page.getByLabel('Switch to reflection by itself at the latest moment that still ' +
                            'keeps the target').check();
  await ben.page.getByRole('button', { name: 'Save the room’s settings' }).click();
  await waitForText(ben.page.locator('#settings-saved'), /Saved for everyone/);
  await asha.page.locator('#settings-auto-reflect:checked').waitFor({ state: 'attached',
                                                                     timeout: WAIT_MS });

  // A one-minute meeting that ends by itself; the clock runs a minute a second.
  await asha.page.getByLabel('Planned length, in minutes').fill('1');
  await asha.page.getByLabel('End the meeting by itself at the planned time').check();
  await asha.page.getByRole('button', { name: 'Start the meeting' }).click();

  await bothSee(pair, '#meeting-summary-title', /What “Meeting 1, \d+ \w+” came to/);
  const summaries = await Promise.all(pair.map((p) => p.page.locator('#meeting-figures').innerText()));
  assert.equal(summaries[0], summaries[1]);
  assert.match(summaries[0], /Task\n0:36/);
  assert.match(summaries[0], /Reflection\n0:24/);
  assert.match(summaries[0], /Reflection share\n40% \(target 40%\)/);
  assert.match(summaries[0], /✓ Met/);
  assert.match(summaries[0], /Ended by\nthe room itself, at the planned time/);
  assert.equal(await asha.page.locator('#meeting-reason').count(), 0, 'no reason asked');

  for (const person of pair) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});

test('reminders reach both members and are said aloud; the seconds never are', async () => {
  const [asha, ben] = await togetherInRoom(browser, openPerson, fastServer.url, 'Community partners',
                                           [{ name: 'Asha', role: 'clinician' },
                                            { name: 'Ben', role: 'community member' }]);
  // Everything Asha's screen reader is given to say, in order.
  await asha.page.evaluate(() => {
    const region = document.getElementById('announcer');
    globalThis.said = [];
    new MutationObserver(() => {
      if (region.textContent) globalThis.said.push(region.textContent);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });

  // A ten-minute meeting on a clock a minute a second: reminders at 1, 5 and 6 minutes.
  await asha.page.getByLabel('Planned length, in minutes').fill('10');
  await asha.page.getByRole('button', { name: 'Start the meeting' }).click();
  await waitForText(ben.page.locator('#meeting-nudge'), /^Time to reflect soon: start reflecting by/);
  await waitForText(ben.page.locator('#meeting-nudge'), /^Time to reflect: start reflecting now/);
  await ben.page.getByRole('button', { name: 'Switch to reflection', exact: true }).click();
  await waitForText(asha.page.locator('#meeting-mode'), /^Reflection$/);
  await asha.page.waitForTimeout(500);

  const said = await asha.page.evaluate(() => globalThis.said);
  const heard = (pattern) => said.some((line) => pattern.test(line));
  assert.ok(heard(/^You started a meeting: 10 minutes, 40% for reflection\.$/), said.join('\n'));
  assert.ok(heard(/^Time to reflect soon: start reflecting by/), said.join('\n'));
  assert.ok(heard(/^Your meeting is planned to end at/), said.join('\n'));
  assert.ok(heard(/^Time to reflect: start reflecting now/), said.join('\n'));
  assert.ok(heard(/^Now reflecting, switched by Ben\./), said.join('\n'));
  // Six or seven minutes of meeting time passed; nothing counts them out loud.
  assert.ok(said.length <= 8, `only changes are announced:\n${said.join('\n')}`);
  assert.ok(!heard(/\d+:\d\d (left|remaining)|\d+ seconds?\b|^Elapsed/), said.join('\n'));

  for (const person of [asha, ben]) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});
