// The shared purpose as the tests of co-editing see it: its text box, its text in the page and
// on the server, and its "All changes saved." line.

import { WAIT_MS } from './room_helpers.mjs';

/** The shared purpose's text box. */
export const purpose = (page) => page.locator('#doc-text-purpose');

/** Waits until the shared purpose's text on `page` is `expected`. */
export async function waitForPurpose(page, expected) {
  await page.waitForFunction(
      (want) => document.querySelector('#doc-text-purpose')?.value === want, expected,
      { timeout: WAIT_MS });
}

/** Waits until the page says every change of the shared purpose is saved. */
export async function waitForSaved(page) {
  await page.locator('#doc-view-purpose .doc-status', { hasText: 'All changes saved.' })
      .waitFor({ timeout: WAIT_MS });
}

/** The shared purpose's text as the server at `serverUrl` has it now, through the history API. */
export async function serverText(serverUrl, room) {
  const headers = { Authorization: `Bearer ${room.tokens[0]}` };
  const base = `${serverUrl}/api/rooms/${room.id}/docs/purpose`;
  const list = await (await fetch(`${base}/revisions?from=1&limit=100000`, { headers })).json();
  const last = list.revisions?.at(-1)?.rev ?? '0';
  const body = await (await fetch(`${base}/text?rev=${last}`, { headers })).json();
  return body.text ?? '';
}
