// The room's features and the calls between them.
//
// Each feature module exports mount<Feature>(room, links) and registers
// on room.connection for the server message kinds it handles (`welcome` carries the whole
// room, so every feature reads its part of it there). `room` is the context shared by all of
// them, the same for each and never changed after mounting:
//   room.id           the room id
//   room.connection   RoomConnection: on(kind, fn), request(kind, body), send(kind, body),
//                     addHelloPart(fn), memberId, clockOffsetMs, joined
//   room.announce(t)  says t to screen readers (polite)
//   room.members      from presence: member(id), nameOf(id), all()
//   room.onConnectionState(fn)  fn(state) on every connection state change
//   room.api(path)    GET /api/rooms/<id>/<path> with the invite token, resolves to a Response
// What one feature asks of another it gets through `links`, functions wired here (see
// mountFeatures): the meeting's prompts open the learning log's form, the learning log names
// the meeting a note was written in, the room bar reads the meeting's and the consult's state,
// and every feature tells people what others did through links.notify(text) (notices.js: said
// aloud, shown in a short list, counted in the title of a hidden tab). A feature reveals its own
// panel (#panel-<feature> in room.html) when it mounts.

import { mountCall } from './call.js';
import { mountCallBar } from './call_bar.js';
import { mountCallPractice } from './call_practice.js';
import { mountCallView } from './call_view.js';
import { mountConsult } from './consult.js';
import { mountDocuments } from './documents.js';
import { mountFirstVisit } from './first_visit.js';
import { mountMeeting } from './meeting.js';
import { mountNotes } from './notes.js';
import { mountNotices } from './notices.js';
import { mountPresence } from './presence.js';
import { mountProgramme } from './programme.js';
import { mountRoomBar } from './room_bar.js';
import { mountViews } from './views.js';

/**
 * Mounts the room's features in order (presence first: the others name members through it;
 * the order is also the order in which they hear each server message) and wires the calls
 * between them. The room bar and the parts of the room come last: they read what the
 * features have just taken in.
 */
export function mountFeatures(context) {
  const { notify } = mountNotices(context);
  const room = Object.freeze({ ...context, members: mountPresence(context, { notify }) });
  let meeting = null;
  let consult = null;
  let call = null;
  let notes = null;
  let views = null;
  let bar = null;
  mountDocuments(room, { notify });
  meeting = mountMeeting(room, {
    writeNote: () => {
      views?.show('log');
      notes?.compose();
    },
    notify,
  });
  consult = mountConsult(room, { notify });
  call = mountCall(room, { notify });
  notes = mountNotes(room, { meetingTitle: (id) => meeting?.titleOf(id) ?? null, notify });
  mountProgramme(room, { notify });
  bar = mountRoomBar(room, {
    meeting: () => meeting?.current() ?? null,
    consult: () => consult?.state() ?? null,
    show: (key, options) => views?.show(key, options),
    activity: (key) => views?.markActivity(key),
  });
  views = mountViews(room, { activity: () => bar?.activity() ?? null });
  // The call's strip in the room bar, its larger view and the practice (the consult's phase
  // turning a member away turns their camera and microphone off) read the call and the run.
  const run = () => consult?.state() ?? null;
  let strip = null;
  const practice = mountCallPractice(room, { call: () => call, consult: run,
                                             changed: () => strip?.render() });
  strip = mountCallBar(room, { call: () => call, consult: run, practice: () => practice, notify });
  mountCallView(room, { call: () => call, consult: run });
  mountFirstVisit();
}
