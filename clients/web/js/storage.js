// What this browser remembers between visits, and where:
//  - the seat's invite token: sessionStorage, per room (this tab only, gone when it closes),
//    so a reload works without leaving the token in the address bar;
//  - the device's client id: localStorage, so a reconnect is known as the same device;
//  - the name the person gave (localStorage, all rooms) and the role they bring to each room
//    (localStorage, per room: someone may be a carer in one room and a manager in another).
//  - display preferences, such as hiding the running count of a meeting (localStorage).
// Storage can be refused (private modes, strict settings); then everything lives in memory
// for the life of the page and Colead still works.

const memory = new Map();

function store(kind) {
  try {
    const s = globalThis[kind];
    const probe = '__colead_probe__';
    s.setItem(probe, probe);
    s.removeItem(probe);
    return s;
  } catch {
    return null;
  }
}

function read(kind, key) {
  const s = store(kind);
  if (s) return s.getItem(key);
  return memory.has(`${kind}:${key}`) ? memory.get(`${kind}:${key}`) : null;
}

function write(kind, key, value) {
  const s = store(kind);
  if (value === null) {
    if (s) s.removeItem(key);
    memory.delete(`${kind}:${key}`);
  } else if (s) {
    s.setItem(key, value);
  } else {
    memory.set(`${kind}:${key}`, value);
  }
}

/**
 * Takes the invite token from the address's fragment (#t=...), removes the fragment from the
 * visible address, and remembers the token for this room in this tab. Returns the token from
 * the fragment, or the one remembered earlier, or null if there is none.
 */
export function takeInviteToken(roomId, loc = globalThis.location, hist = globalThis.history) {
  const fragment = new URLSearchParams(loc.hash.replace(/^#/, ''));
  const fromLink = fragment.get('t');
  if (loc.hash) hist.replaceState(hist.state, '', loc.pathname + loc.search);
  if (fromLink) {
    write('sessionStorage', `colead.token.${roomId}`, fromLink);
    return fromLink;
  }
  return read('sessionStorage', `colead.token.${roomId}`);
}

/** Forgets this room's token in this tab (after the server refused it). */
export function forgetInviteToken(roomId) {
  write('sessionStorage', `colead.token.${roomId}`, null);
}

/**
 * Whether this tab has already joined the room with this token, so a reload can join again
 * by itself. Another seat's link opened in the same tab asks again who is joining.
 */
export function hasJoinedBefore(roomId, token) {
  return read('sessionStorage', `colead.joined.${roomId}`) === token;
}

export function markJoined(roomId, token) {
  write('sessionStorage', `colead.joined.${roomId}`, token);
}

/** This device's stable client id, made on first use. */
export function clientId() {
  let id = read('localStorage', 'colead.clientId');
  if (!id) {
    const bytes = new Uint8Array(16);
    globalThis.crypto.getRandomValues(bytes);
    id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    write('localStorage', 'colead.clientId', id);
  }
  return id;
}

/** The name last given (in any room) and the role last given in this room. */
export function loadDetails(roomId) {
  return {
    name: read('localStorage', 'colead.name') ?? '',
    // A role is stated per room: another room's is never preset.
    role: read('localStorage', `colead.role.${roomId}`) ?? '',
  };
}

export function saveDetails(roomId, { name, role }) {
  write('localStorage', 'colead.name', name);
  write('localStorage', 'colead.role', role);
  write('localStorage', `colead.role.${roomId}`, role);
}

/** A display preference of this browser (all rooms), e.g. hiding the meeting's running count. */
export function preference(name) {
  return read('localStorage', `colead.pref.${name}`);
}

export function setPreference(name, value) {
  write('localStorage', `colead.pref.${name}`, value === null ? null : String(value));
}
