// Steps a person takes in the browser client, shared by the tests.

import assert from 'node:assert/strict';

export const WAIT_MS = 10000;

/**
 * Creates a room through POST /api/rooms on the server at `serverUrl`; resolves to its id and,
 * seat by seat, the invite links (on `linkBase`: a relay in front of the server, say) and
 * their tokens.
 */
export async function createRoomByApi(serverUrl, title, { seats = 2, linkBase = serverUrl } = {}) {
  const response = await fetch(`${serverUrl}/api/rooms`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: serverUrl },
    body: JSON.stringify({ title, seats }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const room = await response.json();
  return { id: room.id, links: room.invites.map((invite) => new URL(invite.url, linkBase).href),
           tokens: room.invites.map((invite) => invite.token) };
}

/**
 * Creates a room from the landing page (its last seat a facilitator's with `facilitatorSeat`)
 * and returns its absolute invite links, seat order.
 */
export async function createRoomFromLanding(page, baseUrl, { title, seats, facilitatorSeat = false }) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('What will you work on together?').fill(title);
  await page.getByLabel('How many people?').selectOption(String(seats));
  if (facilitatorSeat) await page.getByLabel('The last seat is for a facilitator').check();
  await page.getByRole('button', { name: 'Create the room' }).click();
  await page.getByRole('heading', { name: 'Your room is ready' }).waitFor({ timeout: WAIT_MS });
  const links = await page.locator('#invite-list input').evaluateAll(
      (inputs) => inputs.map((input) => input.value));
  assert.equal(links.length, seats, 'one invite link per seat');
  for (const link of links) {
    assert.match(link, new RegExp(`^${baseUrl}/r/[^/#?]+#t=.+`), 'an absolute invite link');
  }
  return links;
}

/** Opens an invite link and joins with a name and a role (a listed one or in own words). */
export async function joinRoom(page, link, { name, role, ownWords = null }) {
  await page.goto(link);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('What role am I in now?').selectOption(ownWords ? 'other' : role);
  if (ownWords) await page.getByLabel('Your role, in your own words').fill(ownWords);
  await page.getByRole('button', { name: 'Join the room' }).click();
  await page.locator('#connection-status', { hasText: 'Connected.' }).waitFor({ timeout: WAIT_MS });
}

/** The "Who is here" entry of the member called `name`. */
export function memberEntry(page, name) {
  return page.locator('#member-list li', { hasText: name });
}

/** Waits until the member called `name` is listed with `state` ("Online" or "Offline"). */
export async function waitForMember(page, name, state) {
  await page.locator('#member-list li', { hasText: name })
      .filter({ has: page.locator('.member-state', { hasText: new RegExp(`^${state}`) }) })
      .waitFor({ timeout: WAIT_MS });
}

/** Waits until `locator` shows text matching `pattern`; returns its text. */
export async function waitForText(locator, pattern) {
  await locator.filter({ hasText: pattern }).waitFor({ timeout: WAIT_MS });
  return locator.innerText();
}

/**
 * Creates a room with a seat for each of `people` from the landing page and has each join it
 * from their own browser, until everyone sees everyone else online. `people` are
 * [{ name, role }, ...]; with `facilitatorSeat` the last of them takes the facilitator seat.
 * Returns the people as openPerson gives them ({ context, page, problems }), in the same order.
 */
export async function togetherInRoom(browser, openPerson, baseUrl, title, people,
                                     { facilitatorSeat = false } = {}) {
  const creator = await openPerson(browser);
  const links = await createRoomFromLanding(creator.page, baseUrl,
                                            { title, seats: people.length, facilitatorSeat });
  if (facilitatorSeat) {
    await creator.page.getByText(`Seat ${people.length} (the facilitator)`).waitFor();
  }
  await creator.context.close();
  const joined = [];
  for (const [i, person] of people.entries()) {
    const opened = await openPerson(browser);
    await joinRoom(opened.page, links[i], person);
    joined.push(opened);
  }
  for (const [i, person] of joined.entries()) {
    for (const [j, other] of people.entries()) {
      if (i !== j) await waitForMember(person.page, other.name, 'Online');
    }
  }
  return joined;
}
