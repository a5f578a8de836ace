// Steps of a programme shared by the browser tests: a cohort created through the API, a
// member joining one of its rooms, a facilitator opening the overview.

import assert from 'node:assert/strict';

import { WAIT_MS, joinRoom } from './room_helpers.mjs';

/**
 * Creates a cohort through POST /api/cohorts; resolves to its id, the facilitators' absolute
 * overview links and, room by room, the room's id and absolute invite links.
 */
export async function createCohortByApi(serverUrl, { title, rooms = 2, seatsPerRoom = 2,
                                                     facilitators = ['Sam'] }) {
  const response = await fetch(`${serverUrl}/api/cohorts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Origin: serverUrl },
    body: JSON.stringify({ title, rooms, seatsPerRoom, facilitators }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  const cohort = await response.json();
  return {
    id: cohort.id,
    facilitatorLinks: cohort.facilitators.map((f) => new URL(f.url, serverUrl).href),
    rooms: cohort.rooms.map((room) => ({
      id: room.id,
      title: room.title,
      links: room.invites.map((invite) => new URL(invite.url, serverUrl).href),
    })),
  };
}

/** Opens a facilitator's link and waits until the overview shows every room. */
export async function openOverview(page, link, roomCount) {
  await page.goto(link);
  await page.locator('#connection-status', { hasText: 'Connected.' }).waitFor({ timeout: WAIT_MS });
  await page.locator('#room-cards > li').nth(roomCount - 1).waitFor({ timeout: WAIT_MS });
}

/** The card of the room titled `title` on the overview. */
export function roomCard(page, title) {
  return page.locator('#room-cards > li')
      .filter({ has: page.getByRole('heading', { name: title, exact: true }) });
}

/** A member joins a room of the programme. */
export async function joinProgrammeRoom(page, link, name, role = 'carer') {
  await joinRoom(page, link, { name, role });
}
