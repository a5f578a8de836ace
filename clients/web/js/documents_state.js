// The documents panel's state in words: which documents there are and in what order, what
// changed in the list, and what each document's status, agreement and carets say. Pure: no
// DOM, no editor; tested in tests/web/documents_state.test.mjs.

import { listOfNames } from './words.js';

export const PURPOSE = 'purpose';
export const PRINCIPLES = 'principles';

/** Document ids in the order of their tabs: purpose, principles, then the rest as they came. */
export function tabOrder(ids) {
  const rank = (id) => (id === PURPOSE ? 0 : id === PRINCIPLES ? 1 : 2);
  return ids.map((id, i) => [id, i])
      .sort((a, b) => rank(a[0]) - rank(b[0]) || a[1] - b[1]).map(([id]) => id);
}

/** The tab a key moves to from `active` (arrows wrap, Home, End), or null for other keys. */
export function tabAfterKey(order, active, key) {
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[key];
  let index = order.indexOf(active);
  if (step) index = (index + step + order.length) % order.length;
  else if (key === 'Home') index = 0;
  else if (key === 'End') index = order.length - 1;
  else return null;
  return order[index];
}

/** A document's info after a `documents` push: the list's fields over what was known. */
export function mergeInfo(known, doc) {
  const info = { ...known, ...doc, text: undefined };
  if (!doc.proposal) delete info.proposal;
  if (!doc.agreed) delete info.agreed;
  return info;
}

/**
 * What to say about a change to the list made by `who`: `before` and `after` map ids to
 * infos. Returns the sentences, in order.
 */
export function listChanges(before, after, who) {
  const lines = [];
  for (const [id, info] of after) {
    const was = before.get(id);
    if (!was) lines.push(`${who} added the document “${info.title}”.`);
    else if (was.title !== info.title) lines.push(`${who} renamed “${was.title}” to “${info.title}”.`);
    else if (info.agreed && info.agreed.atMs !== was.agreed?.atMs) {
      lines.push(`Everyone has agreed to the text of “${info.title}”.`);
    } else if (info.proposal && !was.proposal) {
      lines.push(`${who} proposed the text of “${info.title}” as agreed.`);
    } else if (info.proposal && was.proposal &&
               (info.proposal.agreedBy ?? []).length > (was.proposal.agreedBy ?? []).length) {
      lines.push(`${who} agreed to the text of “${info.title}”.`);
    }
  }
  for (const [id, was] of before) {
    if (!after.has(id)) lines.push(`${who} removed the document “${was.title}”.`);
  }
  return lines;
}

/** The line under a document's text: { catchingUp, saved, joined } -> words. */
export function saveStatus({ catchingUp, saved, joined }) {
  if (catchingUp) return 'Catching up with the room…';
  if (saved) return 'All changes saved.';
  if (joined) return 'Saving…';
  return 'Not connected: your changes are kept here and sent when the connection is back.';
}

/** The agree button: { text, hidden, disabled }, for `me` at `revision`. */
export function agreeButton(info, { me, revision, saved, joined }) {
  const proposal = info.proposal;
  const mine = Boolean(proposal) && (proposal.agreedBy ?? []).includes(me);
  const current = info.agreed && Number(info.agreed.rev) === revision && !proposal;
  return {
    text: proposal ? (mine ? 'You have agreed to this text' : 'Agree to this text')
                   : 'Propose this text as agreed',
    hidden: Boolean(current),
    disabled: mine || !saved || !joined,
  };
}

/**
 * Where the agreement stands, in a sentence. `everyone` lists the room's member ids;
 * `nameOf` names a member ("you" for oneself); `capital` starts a sentence.
 */
export function agreementText(info, revision, everyone, nameOf, capital) {
  const proposal = info.proposal;
  if (proposal) {
    const by = proposal.agreedBy ?? [];
    const waiting = everyone.filter((id) => !by.includes(id)).map(nameOf);
    return `${capital(nameOf(proposal.proposedBy))} proposed this text as the agreed ` +
           `version. Agreed so far: ${listOfNames(by.map(nameOf))}. ` +
           (waiting.length ? `Waiting for: ${listOfNames(waiting)}. ` : '') +
           'Any change to the text withdraws the proposal.';
  }
  if (info.agreed && Number(info.agreed.rev) === revision) {
    return 'This text is the agreed version: nothing has changed since.';
  }
  return info.agreed
    ? 'The text has changed since it was agreed. When you are ready, propose it again.'
    : 'Nothing is agreed yet. When the text says what you all mean, propose it: it is agreed ' +
      'once every member agrees to it.';
}

/** Earlier agreed versions, newest first, without the one that stands. */
export function earlierAgreements(info) {
  const agreed = info.agreed;
  return (info.agreedHistory ?? [])
      .filter((a) => !(agreed && a.rev === agreed.rev && a.atMs === agreed.atMs)).reverse();
}

/**
 * The other members' carets by document: Map docId -> [{ memberId, name, anchor, head,
 * colour }], from a presence list; `colours` is how many caret colours there are.
 */
export function caretsByDoc(members, me, colours) {
  const byDoc = new Map();
  for (const m of members) {
    if (m.memberId === me || m.online !== true || !m.selection?.doc) continue;
    if (!byDoc.has(m.selection.doc)) byDoc.set(m.selection.doc, []);
    byDoc.get(m.selection.doc).push({ memberId: m.memberId, name: (m.name ?? '').trim() || 'Someone',
                anchor: m.selection.anchor ?? 0, head: m.selection.head ?? 0,
                colour: colourOfSeat(m.seat, colours) });
  }
  return byDoc;
}

/** The caret colour of a seat (seats count from 1). */
export function colourOfSeat(seat, colours) {
  return (Math.max(1, Number(seat ?? 1)) - 1) % colours;
}

/** Who else is in a document, in a sentence ('' when nobody is). */
export function othersText(carets) {
  return carets.length === 0 ? ''
    : `Also in this document: ${listOfNames(carets.map((c) => c.name))}. ` +
      'Their carets are marked with their names.';
}
