// The room's call in real browsers: Chromium's fake microphone and camera, the real server
// relaying the connection setup, media going straight between the pages. Whether media flows
// is read from RTCPeerConnection.getStats (inbound RTP bytes) through the page's read-only
// view of its call, window.__coleadCall.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { launchBrowser, openPerson } from './browser.mjs';
import { startRelay } from './network_cut.mjs';
import { createRoomByApi, joinRoom, WAIT_MS } from './room_helpers.mjs';
import { startServer } from './server.mjs';

const MEDIA_WAIT_MS = 20000;

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser({ media: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Joins the call from the room's call strip, with the microphone and camera. */
async function joinCall(page) {
  await page.getByRole('button', { name: 'Join the call' }).click();
  await page.getByRole('button', { name: 'Join now' }).click();
  await page.waitForFunction(() => window.__coleadCall?.state().phase === 'in', null,
                             { timeout: WAIT_MS });
}

/** The call as the page sees it (streams left out). */
function callState(page) {
  return page.evaluate(() => {
    const s = window.__coleadCall.state();
    return {
      phase: s.phase, audioOnly: s.audioOnly, videoLimit: s.videoLimit,
      local: { ...s.local, stream: s.local.stream ? s.local.stream.getTracks().map((t) => t.kind) : null },
      members: s.members.map((m) => ({ ...m, stream: m.stream ? m.stream.getTracks().map((t) => t.kind) : null })),
    };
  });
}

/** Inbound RTP bytes per member and kind: { memberId: { audio, video } }. */
function inboundBytes(page) {
  return page.evaluate(async () => {
    const out = {};
    for (const { memberId, pc } of window.__coleadCall.peerConnections()) {
      const bytes = { audio: 0, video: 0 };
      (await pc.getStats()).forEach((report) => {
        if (report.type === 'inbound-rtp' && report.kind in bytes) {
          bytes[report.kind] += report.bytesReceived ?? 0;
        }
      });
      out[memberId] = bytes;
    }
    return out;
  });
}

/**
 * Waits until `page` receives more than `minBytes` new bytes of `kind` from each of the
 * members `from` (member ids), counted from now. Returns the bytes at the end.
 */
async function waitForInbound(page, from, kind, { minBytes = 2000 } = {}) {
  const start = await inboundBytes(page);
  const deadline = Date.now() + MEDIA_WAIT_MS;
  for (;;) {
    const now = await inboundBytes(page);
    const grown = from.every((id) => (now[id]?.[kind] ?? 0) - (start[id]?.[kind] ?? 0) > minBytes);
    if (grown) return now;
    if (Date.now() > deadline) {
      assert.fail(`no ${kind} arrived from ${from.join(', ')}: ${JSON.stringify({ start, now })}`);
    }
    await page.waitForTimeout(250);
  }
}

async function closeAll(...people) {
  for (const person of people) {
    assert.deepEqual(person.problems, [], 'no script errors or refused resources');
    await person.context.close();
  }
}

/** Waits until the page's call lists exactly `count` other members, all connected. */
async function waitForLinks(page, count) {
  try {
    await page.waitForFunction((n) => {
      const s = window.__coleadCall.state();
      return s.members.length === n && s.members.every((m) => m.link === 'connected' && m.stream);
    }, count, { timeout: MEDIA_WAIT_MS });
  } catch (err) {
    assert.fail(`not ${count} connected links: ${JSON.stringify(await callState(page))} (${err})`);
  }
}

test('two members hear each other, then three see each other, and leaving stops it all',
     async () => {
  const room = await createRoomByApi(server.url, 'Call', { seats: 3 });
  const asha = await openPerson(browser);
  const ben = await openPerson(browser);
  const chen = await openPerson(browser);
  await joinRoom(asha.page, room.links[0], { name: 'Asha', role: 'carer' });
  await joinRoom(ben.page, room.links[1], { name: 'Ben', role: 'clinician' });
  await joinRoom(chen.page, room.links[2], { name: 'Chen', role: 'carer' });

  await joinCall(asha.page);
  await joinCall(ben.page);
  await waitForLinks(asha.page, 1);
  await waitForLinks(ben.page, 1);
  const [a, b] = [await callState(asha.page), await callState(ben.page)];
  const ashaId = b.members[0].memberId;
  const benId = a.members[0].memberId;
  assert.notEqual(ashaId, benId);
  assert.deepEqual(a.local.stream.sort(), ['audio', 'video'], 'the fake microphone and camera');
  assert.equal(a.local.muted, false);
  assert.equal(a.local.cameraOn, true);
  await waitForInbound(asha.page, [benId], 'audio');
  await waitForInbound(ben.page, [ashaId], 'audio');

  await joinCall(chen.page);
  for (const person of [asha, ben, chen]) await waitForLinks(person.page, 2);
  const chenId = (await callState(asha.page)).members.find((m) => m.memberId !== benId).memberId;
  await waitForInbound(chen.page, [ashaId, benId], 'video');
  await waitForInbound(asha.page, [benId, chenId], 'video');
  await waitForInbound(ben.page, [ashaId, chenId], 'video');
  await waitForInbound(chen.page, [ashaId, benId], 'audio');
  const c = await callState(chen.page);
  assert.equal(c.audioOnly, false);
  assert.equal(c.videoLimit, 4);
  assert.deepEqual(c.members.map((m) => m.memberId), [ashaId, benId], 'in the order they joined');

  // Muting is said to the others and silences the track sent, on every link.
  await asha.page.getByRole('button', { name: 'Microphone', exact: true }).click();
  await ben.page.waitForFunction((id) => window.__coleadCall.state().members
      .find((m) => m.memberId === id)?.muted === true, ashaId, { timeout: WAIT_MS });
  assert.deepEqual(await asha.page.evaluate(() => window.__coleadCall.peerConnections().map(
      ({ pc }) => pc.getSenders().find((s) => s.track?.kind === 'audio')?.track.enabled)),
                   [false, false], 'the microphone goes silent to both');
  assert.equal((await callState(asha.page)).local.muted, true);

  // Leaving closes every link and lets the devices go.
  await chen.page.getByRole('button', { name: 'Leave the call' }).click();
  await chen.page.waitForFunction(() => window.__coleadCall.state().phase === 'out');
  const left = await callState(chen.page);
  assert.equal(left.local.stream, null, 'the microphone and camera are off');
  assert.equal(await chen.page.evaluate(() => window.__coleadCall.peerConnections().length), 0);
  await waitForLinks(asha.page, 1);
  await waitForLinks(ben.page, 1);

  await closeAll(asha, ben, chen);
});

test('a member whose connection drops comes back into the call without a reload', async () => {
  const relay = await startRelay(server.port);
  try {
    const room = await createRoomByApi(server.url, 'Dropping call', { linkBase: relay.url });
    const asha = await openPerson(browser);
    const ben = await openPerson(browser);
    // Asha's page goes through the relay, which the test cuts; Ben's straight to the server.
    await joinRoom(asha.page, room.links[0], { name: 'Asha', role: 'carer' });
    await joinRoom(ben.page, room.links[1].replace(relay.url, server.url),
                   { name: 'Ben', role: 'clinician' });
    await asha.page.evaluate(() => {
      window.notReloaded = true;
    });
    await joinCall(asha.page);
    await joinCall(ben.page);
    await waitForLinks(asha.page, 1);
    await waitForLinks(ben.page, 1);
    const ashaId = (await callState(ben.page)).members[0].memberId;
    const benId = (await callState(asha.page)).members[0].memberId;
    await waitForInbound(ben.page, [ashaId], 'audio');
    const firstPc = await ben.page.evaluateHandle(
        () => window.__coleadCall.peerConnections()[0].pc);

    relay.cut();
    await asha.page.locator('#connection[data-state="waiting"]').waitFor({ timeout: WAIT_MS });
    // The server took Asha out of the call when her connection went.
    await ben.page.waitForFunction(() => window.__coleadCall.state().members.length === 0, null,
                                   { timeout: WAIT_MS });
    relay.restore();
    await asha.page.locator('#connection-retry').click().catch(() => {});

    await waitForLinks(asha.page, 1);
    await waitForLinks(ben.page, 1);
    assert.equal(await asha.page.evaluate(() => window.notReloaded), true, 'the same page');
    assert.equal(await ben.page.evaluate((pc) => window.__coleadCall.peerConnections()[0].pc !== pc,
                                         firstPc), true, 'a new connection');
    await waitForInbound(ben.page, [ashaId], 'audio');
    await waitForInbound(asha.page, [benId], 'audio');
    await waitForInbound(asha.page, [benId], 'video');
    assert.equal((await callState(asha.page)).phase, 'in');
    await closeAll(asha, ben);
  } finally {
    await relay.close();
  }
});

/** The ICE username fragment of a session description's first media section. */
function iceUfrag(page, which) {
  return page.evaluate((w) => {
    const sdp = window.__coleadCall.peerConnections()[0].pc[w]?.sdp ?? '';
    return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] ?? null;
  }, which);
}

test('after a network change the call restarts ICE on the same connection and media keeps flowing',
     async () => {
  const room = await createRoomByApi(server.url, 'Changing networks');
  const asha = await openPerson(browser);
  const ben = await openPerson(browser);
  await joinRoom(asha.page, room.links[0], { name: 'Asha', role: 'carer' });
  await joinRoom(ben.page, room.links[1], { name: 'Ben', role: 'clinician' });
  await joinCall(asha.page);
  await joinCall(ben.page);
  await waitForLinks(asha.page, 1);
  await waitForLinks(ben.page, 1);
  const ashaId = (await callState(ben.page)).members[0].memberId;
  const benId = (await callState(asha.page)).members[0].memberId;
  await waitForInbound(ben.page, [ashaId], 'audio');
  const before = await iceUfrag(asha.page, 'currentLocalDescription');
  assert.ok(before, 'a negotiated connection has an ICE username fragment');
  const firstPc = await asha.page.evaluateHandle(() => window.__coleadCall.peerConnections()[0].pc);

  // What the browser says when the device's network comes back or changes.
  await asha.page.evaluate(() => window.dispatchEvent(new Event('online')));

  // New ICE credentials on Asha's side, seen by Ben through the room's relay: an ICE restart.
  await asha.page.waitForFunction((old) => {
    const sdp = window.__coleadCall.peerConnections()[0].pc.currentLocalDescription?.sdp ?? '';
    const ufrag = /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1];
    return ufrag && ufrag !== old;
  }, before, { timeout: MEDIA_WAIT_MS });
  const after = await iceUfrag(asha.page, 'currentLocalDescription');
  await ben.page.waitForFunction((ufrag) => {
    const sdp = window.__coleadCall.peerConnections()[0].pc.currentRemoteDescription?.sdp ?? '';
    return /^a=ice-ufrag:(\S+)/m.exec(sdp)?.[1] === ufrag;
  }, after, { timeout: MEDIA_WAIT_MS });
  assert.equal(await asha.page.evaluate((pc) => window.__coleadCall.peerConnections()[0].pc === pc,
                                        firstPc), true, 'the same connection, not a new one');
  await waitForLinks(asha.page, 1);
  await waitForLinks(ben.page, 1);
  await waitForInbound(ben.page, [ashaId], 'audio');
  await waitForInbound(asha.page, [benId], 'audio');
  await closeAll(asha, ben);
});

test('beyond the video limit the call is audio only, and video comes back below it', async () => {
  const limited = await startServer({ extraArgs: ['--call-video-limit', '2'] });
  try {
    const room = await createRoomByApi(limited.url, 'Audio only', { seats: 3 });
    const people = [];
    for (const [i, name] of ['Asha', 'Ben', 'Chen'].entries()) {
      const person = await openPerson(browser);
      await joinRoom(person.page, room.links[i], { name, role: 'carer' });
      people.push(person);
    }
    const [asha, ben, chen] = people;
    await joinCall(asha.page);
    await joinCall(ben.page);
    await waitForLinks(asha.page, 1);
    const benId = (await callState(asha.page)).members[0].memberId;
    await waitForInbound(asha.page, [benId], 'video');

    await joinCall(chen.page);
    for (const person of people) await waitForLinks(person.page, 2);
    const c = await callState(chen.page);
    assert.equal(c.audioOnly, true);
    assert.equal(c.videoLimit, 2);
    assert.equal(c.local.cameraOn, false, 'a third person joins without asking for the camera');
    assert.deepEqual(c.local.stream, ['audio']);
    const ashaId = c.members[0].memberId;
    await waitForInbound(chen.page, [ashaId, benId], 'audio');
    const before = await inboundBytes(asha.page);
    await asha.page.waitForTimeout(2000);
    const after = await inboundBytes(asha.page);
    assert.ok(after[benId].video - before[benId].video < 2000,
              `no video while audio only: ${JSON.stringify({ before, after })}`);
    assert.deepEqual(await asha.page.evaluate(() => window.__coleadCall.peerConnections().map(
        ({ pc }) => pc.getSenders().filter((s) => s.track?.kind === 'video').length)), [0, 0],
                     'nothing is sent from the camera');

    await chen.page.getByRole('button', { name: 'Leave the call' }).click();
    await waitForLinks(asha.page, 1);
    assert.equal((await callState(asha.page)).audioOnly, false);
    await waitForInbound(asha.page, [benId], 'video');
    await waitForInbound(ben.page, [ashaId], 'video');
    await closeAll(...people);
  } finally {
    await limited.stop();
  }
});
