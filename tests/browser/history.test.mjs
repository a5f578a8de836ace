// A document's history people can read: two members type into the shared purpose key by key,
// and the history lists a few changes (one per person's run of typing, not one per key), each
// named and timed and summed up in words; showing one marks what it added and removed, in
// words as well as by underline and strike-through; all of it works by keyboard, focus moving
// to the shown change and back; axe-core finds nothing; nothing is cut off at 320 px.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertAccessible } from './axe_check.mjs';
import { launchBrowser, openPerson } from './browser.mjs';
import { createRoomByApi, joinRoom, WAIT_MS } from './room_helpers.mjs';
import { purpose, waitForPurpose, waitForSaved } from './purpose_helpers.mjs';
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


/** Types `text` one key at a time, so that each key is an edit of its own. */
async function typeKeys(page, text) {
  for (const key of text) {
    await page.keyboard.press(key === ' ' ? 'Space' : key);
    await page.waitForTimeout(10);
  }
}

/** What the focused element is: its tag, text and aria-current. */
function focused(page) {
  return page.evaluate(() => {
    const a = document.activeElement;
    return { tag: a?.tagName.toLowerCase(), text: a?.textContent ?? '',
             current: a?.getAttribute('aria-current') ?? null };
  });
}

/** Elements of the history box wider than the box or cut off inside themselves. */
function clipped(page) {
  return page.evaluate(() => {
    const box = document.querySelector('#doc-view-purpose .doc-history');
    const right = box.getBoundingClientRect().right + 0.5;
    const out = [];
    for (const node of [box, ...box.querySelectorAll('*')]) {
      const rect = node.getBoundingClientRect();
      if (rect.width === 0 || node.closest('.visually-hidden')) continue;
      if (rect.right > right || node.scrollWidth > node.clientWidth + 1) {
        out.push(`${node.tagName.toLowerCase()}.${node.className}: ${node.textContent.slice(0, 40)}`);
      }
    }
    return out;
  });
}

for (const colorScheme of ['light', 'dark']) {
  test(`the history groups each person's typing into named, timed changes (${colorScheme})`,
       async () => {
    const room = await createRoomByApi(server.url, 'History people can read');
    const options = { bypassCSP: true, colorScheme };
    const asha = await openPerson(browser, options);
    const ben = await openPerson(browser, options);
    await joinRoom(asha.page, room.links[0], { name: 'Asha', role: 'carer' });
    await joinRoom(ben.page, room.links[1], { name: 'Ben', role: 'clinician' });

    // Asha writes a sentence, Ben adds one, Asha rewrites the end of Ben's: key by key.
    await purpose(asha.page).click();
    await typeKeys(asha.page, 'Better care at home.');
    await waitForPurpose(ben.page, 'Better care at home.');
    await waitForSaved(asha.page);
    await purpose(ben.page).click();
    await ben.page.keyboard.press('Control+End');
    await typeKeys(ben.page, ' We listen first.');
    await waitForPurpose(asha.page, 'Better care at home. We listen first.');
    await waitForSaved(ben.page);
    await purpose(asha.page).click();
    await asha.page.keyboard.press('Control+End');
    for (let i = 0; i < 'first.'.length; i++) await asha.page.keyboard.press('Backspace');
    await typeKeys(asha.page, 'to everyone.');
    const final = 'Better care at home. We listen to everyone.';
    await waitForPurpose(ben.page, final);
    await waitForSaved(asha.page);

    // Ben opens the history by keyboard.
    const page = ben.page;
    const box = page.locator('#doc-view-purpose .doc-history');
    await box.locator('summary').focus();
    await page.keyboard.press('Enter');
    const items = box.locator('.change-list > li');
    await box.locator('.change-what', { hasText: /^Added a sentence$/ }).nth(1)
        .waitFor({ timeout: WAIT_MS });
    await box.locator('.change-what', { hasText: 'Working out' }).waitFor({ state: 'detached',
                                                                              timeout: WAIT_MS });
    const texts = await items.locator('.change-button').allTextContents();
    assert.equal(texts.length, 3, `three changes, not one per key: ${JSON.stringify(texts)}`);
    const time = String.raw`\d{1,2}:\d{2}(\s?[AP]M)? \(just now\)`;
    assert.match(texts[0], new RegExp(`^Asha, ${time}: Added 2 words and removed a word$`));
    assert.match(texts[1], new RegExp(`^You, ${time}: Added a sentence$`));
    assert.match(texts[2], new RegExp(`^Asha, ${time}: Added a sentence$`));
    const details = await items.locator('.change-detail').allInnerTexts();
    const [, edits, last] = details[2].match(/^(\d+) edits, revisions 1 to (\d+)$/) ?? [];
    assert.ok(Number(edits) > 1 && edits === last, `one change of many edits: ${details[2]}`);
    assert.equal(await box.innerText().then((t) => /revision \d+:/i.test(t)), false);

    // Tab reaches the newest change; Enter shows it and focus moves to what is shown.
    await page.keyboard.press('Tab');
    assert.match((await focused(page)).text, /^Asha, /);
    await page.keyboard.press('Enter');
    const view = box.locator('.change-view');
    await view.locator('ins').first().waitFor({ timeout: WAIT_MS });
    let now = await focused(page);
    assert.equal(now.tag, 'h4');
    assert.match(now.text, new RegExp(`^Change by Asha, ${time}$`));
    assert.deepEqual(await view.locator('ins').allTextContents(), ['[added: to everyone]']);
    assert.deepEqual(await view.locator('del').allTextContents(), ['[removed: first]']);
    assert.deepEqual(await view.locator('ins .visually-hidden').allTextContents(), ['[added: ', ']']);
    assert.deepEqual(await view.locator('del .visually-hidden').allTextContents(), ['[removed: ', ']']);
    assert.equal(await view.locator('.change-diff').textContent(),
                 'Better care at home. We listen [removed: first][added: to everyone].');
    const decoration = await view.evaluate((v) => [
      getComputedStyle(v.querySelector('ins')).textDecorationLine,
      getComputedStyle(v.querySelector('del')).textDecorationLine]);
    assert.deepEqual(decoration, ['underline', 'line-through'], 'marked not by colour alone');
    await view.locator('.change-whole > summary').click();
    assert.deepEqual(await view.locator('.change-whole blockquote').allTextContents(),
                     ['Better care at home. We listen first.', final]);
    await assertAccessible(page, `the history with a change shown (${colorScheme})`);

    // Escape goes back to the change in the list; the next one is shown the same way.
    await page.keyboard.press('Escape');
    now = await focused(page);
    assert.equal(now.current, 'true', 'back on the change that is shown');
    assert.match(now.text, /^Asha, /);
    await page.keyboard.press('Tab');
    assert.match((await focused(page)).text, /^You, /);
    await page.keyboard.press('Enter');
    await view.getByRole('heading', { name: /^Change by you, / }).waitFor({ timeout: WAIT_MS });
    assert.deepEqual(await view.locator('ins').allTextContents(), ['[added:  We listen first.]']);
    assert.equal(await view.locator('del').count(), 0);

    // At 320 px nothing in the history is cut off.
    await page.setViewportSize({ width: 320, height: 740 });
    assert.deepEqual(await clipped(page), [], 'nothing clipped at 320 px');

    // The text as Ben's change left it comes back, as a new change at the top.
    await view.getByRole('button', { name: 'Restore the text as this change left it' }).focus();
    await page.keyboard.press('Enter');
    const restored = 'Better care at home. We listen first.';
    await waitForPurpose(page, restored);
    await waitForPurpose(asha.page, restored);
    await box.locator('.change-button').first()
        .filter({ hasText: /^You went back to an earlier version, / }).waitFor({ timeout: WAIT_MS });
    await view.getByRole('button', { name: 'Back to the list of changes' }).click();
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-current') === 'true' &&
                                     /^You, .*Added a sentence$/s.test(document.activeElement.textContent),
                               null, { timeout: WAIT_MS });

    // While the history is open it follows what others write.
    await purpose(asha.page).click();
    await asha.page.keyboard.press('Control+End');
    await typeKeys(asha.page, ' Yes.');
    await box.locator('.change-button').first().filter({ hasText: /^Asha, .*: Added a word$/ })
        .waitFor({ timeout: WAIT_MS });

    for (const person of [asha, ben]) {
      assert.deepEqual(person.problems, [], 'no script errors or refused resources');
      await person.context.close();
    }
  });
}

test('earlier changes come ten at a time, focus moving to the first one added', async () => {
  const room = await createRoomByApi(server.url, 'Many changes');
  const asha = await openPerson(browser);
  const ben = await openPerson(browser);
  await joinRoom(asha.page, room.links[0], { name: 'Asha', role: 'carer' });
  await joinRoom(ben.page, room.links[1], { name: 'Ben', role: 'clinician' });
  let text = '';
  for (let i = 1; i <= 12; i++) {
    const [writer, reader] = i % 2 ? [asha.page, ben.page] : [ben.page, asha.page];
    await purpose(writer).click();
    await writer.keyboard.press('Control+End');
    await writer.keyboard.insertText(`Word${i} `);
    text += `Word${i} `;
    await waitForPurpose(reader, text);
    await waitForSaved(writer);
  }
  const box = asha.page.locator('#doc-view-purpose .doc-history');
  await box.locator('summary').click();
  const buttons = box.locator('.change-button');
  await box.locator('.change-what', { hasText: 'Added a word' }).nth(9).waitFor({ timeout: WAIT_MS });
  assert.equal(await buttons.count(), 10, 'ten changes at first');
  const more = box.getByRole('button', { name: 'Show earlier changes' });
  await more.focus();
  await asha.page.keyboard.press('Enter');
  await asha.page.waitForFunction(
      () => document.activeElement?.classList.contains('change-button') &&
            document.querySelectorAll('#doc-view-purpose .change-button')[10] === document.activeElement,
      null, { timeout: WAIT_MS });
  assert.equal(await buttons.count(), 12);
  assert.equal(await more.isHidden(), true, 'nothing earlier left');
  assert.match(await buttons.last().textContent(), /^You, .*: Added a word$/);

  for (const person of [asha, ben]) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
});
