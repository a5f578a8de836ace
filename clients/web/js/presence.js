// "Who is here": every member of the room with their name, the role they bring, and whether
// they are online — said in words, not by colour. Arrivals and departures are announced to
// screen readers. Other panels ask this module for names, to say who did what.
//
// Feed: `welcome.room.members` and `seats`, then every `presence` push (the whole list).

import { byId, el } from './dom.js';

function normalise(member) {
  return {
    memberId: member.memberId ?? '',
    name: (member.name ?? '').trim() || 'Someone',
    role: (member.role ?? '').trim(),
    online: member.online === true,
    seat: Number(member.seat ?? 0),
    devices: Number(member.devices ?? 0),
    facilitator: member.facilitator === true,
  };
}

function stateText(member) {
  if (!member.online) return 'Offline';
  return member.devices > 1 ? `Online on ${member.devices} devices` : 'Online';
}

function separator() {
  return [el('span', { class: 'visually-hidden' }, ', '),
          el('span', { 'aria-hidden': 'true' }, ' · ')];
}

/**
 * Mounts the presence panel. room: { connection, announce(text) }; links.notify(text) tells
 * people who joined and who left (said aloud and shown; room.announce without it).
 * Returns { member(id), nameOf(id), all() } for other panels.
 */
export function mountPresence(room, links = {}) {
  const notify = links.notify ?? room.announce;
  const list = byId('member-list');
  const summary = byId('presence-summary');
  const openSeats = byId('presence-open-seats');
  let seats = 0;
  let members = new Map();
  let connected = false;

  room.connection.on('welcome', (welcome) => {
    seats = Number(welcome.room?.seats ?? seats);
    update(welcome.room?.members ?? [], false);
  });
  room.connection.on('presence', (presence) => update(presence.members ?? [], true));
  room.onConnectionState((state) => {
    const now = state === 'joined';
    if (now === connected) return;
    connected = now;
    if (members.size > 0) render();
  });

  function update(incoming, announceChanges) {
    const next = new Map(incoming.map(normalise).map((m) => [m.memberId, m]));
    if (announceChanges) announceDifferences(members, next);
    members = next;
    render();
  }

  function announceDifferences(before, after) {
    const me = room.connection.memberId;
    const lines = [];
    for (const member of after.values()) {
      if (member.memberId === me) continue;
      const earlier = before.get(member.memberId);
      const who = member.role ? `${member.name} (${member.role})` : member.name;
      if (!earlier && member.online) lines.push(`${who} joined the room.`);
      else if (earlier && !earlier.online && member.online) lines.push(`${who} is back.`);
      else if (earlier && earlier.online && !member.online) lines.push(`${member.name} has left.`);
    }
    if (lines.length > 0) notify(lines.join(' '));
  }

  function render() {
    const me = room.connection.memberId;
    const sorted = [...members.values()]
        .sort((a, b) => a.seat - b.seat || a.name.localeCompare(b.name));
    list.replaceChildren(...sorted.map((member) => {
      const you = member.memberId === me;
      return el('li', {
        class: `member ${member.online ? 'is-online' : 'is-offline'}`,
        'data-member-id': member.memberId,
        'data-online': String(member.online),
      },
      el('span', { class: 'member-mark', 'aria-hidden': 'true' }, initial(member.name)),
      el('span', { class: 'member-name' }, member.name,
         you ? el('span', { class: 'member-you' }, ' (you)') : null),
      el('span', { class: 'member-detail' },
         member.facilitator ? [el('span', { class: 'member-facilitator' }, 'facilitator'),
                               separator()] : null,
         el('span', { class: 'member-role' }, member.role || 'no role given'),
         separator(),
         el('span', { class: 'member-state' }, stateText(member))));
    }));

    const online = sorted.filter((m) => m.online).length;
    const away = sorted.length - online;
    if (!connected) {
      summary.textContent = 'Not connected: this is who was here when the connection was lost.';
    } else if (online === 1 && away === 0 && members.get(me)?.online) {
      summary.textContent = 'Only you are here so far.';
    } else {
      summary.textContent = `${online} here now` + (away > 0 ? `, ${away} away.` : '.');
    }
    const free = Math.max(0, seats - sorted.length);
    openSeats.textContent = free === 0 ? ''
      : free === 1 ? 'One seat is not taken yet: its invite link has not been opened.'
      : `${free} seats are not taken yet: their invite links have not been opened.`;
    openSeats.hidden = free === 0;
  }

  return {
    member: (memberId) => members.get(memberId),
    nameOf: (memberId) => members.get(memberId)?.name ?? 'Someone',
    all: () => [...members.values()],
  };
}

function initial(name) {
  const first = [...name.trim()][0] ?? '?';
  return first.toLocaleUpperCase();
}
