// The call's mesh: one RTCPeerConnection per other member in the call, set up through the
// room's `signal` relay, and kept up when the network changes.
//
// Negotiation is "perfect negotiation" (the WebRTC specification's pattern): either side may
// offer whenever it needs to (joining, a camera turned on, an ICE restart); when both offer at
// once, the polite side (call_state.js isPolite) rolls its own offer back and answers, and the
// impolite side ignores the offer that crossed its own. A connection's own offers and the
// signals it receives are handled one after the other, in the order they came: an offer
// rolled back while it was still being made could leave the connection gathering no
// candidates.
//
// A link that stays 'disconnected' for a few seconds, or 'failed', gets an ICE restart (new
// candidates, same connection), again every few seconds while it stays down.
//
// Remote audio plays through an <audio> element per member that this module keeps (not in the
// page); pages showing remote video must mute their <video> elements.

import {
  candidateFromWire, candidateToWire, descriptionFromWire, descriptionToWire, isPolite, linkOf,
  peerPlan, shouldRestartIce, signalFits,
} from './call_state.js';

/** How long the polite side of a new link waits for the other side's first offer. */
const FIRST_OFFER_WAIT_MS = 1500;

/** A link to one other member in the call, for one pair of sessions (theirs and mine). */
export class PeerLink {
  /** Member id of the other side, their session, and mine (call_state.js peerPlan keys). */
  memberId;
  session;
  mySession;
  /** 'connecting' | 'connected' | 'reconnecting' | 'failed' (call_state.js linkOf). */
  link = 'connecting';
  /** The other side's media as a MediaStream (a new object whenever a track is added), or null. */
  stream = null;
  /** The RTCPeerConnection (read it, for statistics; do not drive it). */
  pc;

  #polite;
  #send;
  #onChange;
  #now;
  #localStream;
  #senders = { audio: null, video: null };
  #player = null;
  #sinkId = null;
  #queue = Promise.resolve();
  #makingOffer = false;
  #ignoreOffer = false;
  #settingAnswer = false;
  #everConnected = false;
  #downSinceMs = null;
  #lastRestartMs = null;
  #watch = null;
  #closed = false;
  #holdFirstOffer; // polite side: leave the first offer to the other side (see constructor)
  #holdTimer = null;

  /**
   * memberId, session: the other member and their call session; mySession: mine; polite:
   * call_state.js isPolite(me, them); iceServers: RTCIceServer[]; tracks: { audio, video }
   * to send (either may be null) from `localStream`; send(body): sends a signal body
   * ({ description } or { candidate }, wire form) to this member; onChange(): the link or the
   * stream changed; now(): ms.
   */
  constructor({ memberId, session, mySession, polite, iceServers, tracks, localStream, send,
                onChange, now = () => performance.now(), sinkId = null }) {
    this.memberId = memberId;
    this.session = session;
    this.mySession = mySession;
    this.#polite = polite;
    this.#send = send;
    this.#onChange = onChange;
    this.#now = now;
    this.#localStream = localStream ?? new MediaStream();
    this.#sinkId = sinkId;
    // Both sides open their link at the same moment (the call state reaches both), so both
    // would offer at once. The polite side leaves the first offer to the other and answers it,
    // unless none comes within FIRST_OFFER_WAIT_MS (the other may have nothing to send).
    this.#holdFirstOffer = polite;
    if (polite) {
      this.#holdTimer = setTimeout(() => {
        this.#holdTimer = null;
        this.#holdFirstOffer = false;
        this.#enqueue(() => this.#offer());
      }, FIRST_OFFER_WAIT_MS);
    }
    const pc = new RTCPeerConnection({ iceServers });
    this.pc = pc;
    pc.onnegotiationneeded = () => this.#enqueue(() => this.#offer());
    pc.onicecandidate = ({ candidate }) => {
      // The end of candidates (null or empty) needs no message: ICE goes on without it.
      if (candidate?.candidate) this.#send({ candidate: candidateToWire(candidate) });
    };
    pc.ontrack = ({ track }) => this.#addRemote(track);
    pc.onconnectionstatechange = () => this.#linkChanged();
    pc.oniceconnectionstatechange = () => this.#iceChanged();
    for (const kind of ['audio', 'video']) this.setTrack(kind, tracks?.[kind] ?? null);
  }

  /** Handles a signal from the server meant for this link (call_state.js signalFits). */
  receive(signal) {
    return this.#enqueue(() => this.#handle(signal));
  }

  /** Runs `step` after every negotiation step before it, so no two of them overlap. */
  #enqueue(step) {
    this.#queue = this.#queue.then(step).catch((err) => {
      if (!this.#closed) console.warn(`colead: a call's negotiation step failed (${err?.name})`);
    });
    return this.#queue;
  }

  /**
   * Sends `track` as this side's `kind` ('audio' or 'video'; null sends nothing). Replaces the
   * track in place when this kind is already negotiated (no new offer); adds it otherwise,
   * which negotiates again.
   */
  setTrack(kind, track) {
    if (this.#closed) return;
    const sender = this.#senders[kind];
    if (sender) {
      sender.replaceTrack(track).catch((err) => {
        console.warn(`colead: could not switch the ${kind} sent in the call (${err?.name})`);
      });
    } else if (track) {
      if (!this.#localStream.getTracks().includes(track)) this.#localStream.addTrack(track);
      this.#senders[kind] = this.pc.addTrack(track, this.#localStream);
    }
  }

  /** The track sent as `kind` now, or null. */
  sentTrack(kind) {
    return this.#senders[kind]?.track ?? null;
  }

  /** Plays this member's audio on the speaker `sinkId` (null: the default one). */
  setSinkId(sinkId) {
    this.#sinkId = sinkId;
    this.#player?.setSinkId?.(sinkId ?? '').catch(() => {});
  }

  /** Restarts ICE now (new candidates; the media keeps its place). `iceServers` if they changed. */
  restartIce(iceServers = null) {
    if (this.#closed) return;
    if (iceServers) {
      try {
        this.pc.setConfiguration({ ...this.pc.getConfiguration(), iceServers });
      } catch { /* servers the browser refuses: keep the ones it has */ }
    }
    this.#lastRestartMs = this.#now();
    this.pc.restartIce();
  }

  /** Closes the connection and stops playing this member's audio. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#clearWatch();
    this.#releaseFirstOffer();
    this.pc.onnegotiationneeded = this.pc.onicecandidate = this.pc.ontrack = null;
    this.pc.onconnectionstatechange = this.pc.oniceconnectionstatechange = null;
    this.pc.close();
    if (this.#player) {
      this.#player.pause();
      this.#player.srcObject = null;
    }
    this.#player = null;
  }

  async #offer() {
    // Not stable: an offer of the other side is being answered; once it is, the browser says
    // again that negotiation is needed if it still is.
    if (this.#closed || this.#holdFirstOffer || this.pc.signalingState !== 'stable') return;
    try {
      this.#makingOffer = true;
      await this.pc.setLocalDescription();
      const description = descriptionToWire(this.pc.localDescription);
      if (description && !this.#closed) this.#send({ description });
    } catch (err) {
      if (!this.#closed) console.warn(`colead: could not offer the call's media (${err?.name})`);
    } finally {
      this.#makingOffer = false;
    }
  }

  #releaseFirstOffer() {
    this.#holdFirstOffer = false;
    if (this.#holdTimer !== null) clearTimeout(this.#holdTimer);
    this.#holdTimer = null;
  }

  async #handle(signal) {
    if (this.#closed) return;
    const pc = this.pc;
    if (signal.description) {
      const description = descriptionFromWire(signal.description);
      if (!description) return;
      const readyForOffer = !this.#makingOffer &&
                            (pc.signalingState === 'stable' || this.#settingAnswer);
      const collision = description.type === 'offer' && !readyForOffer;
      this.#ignoreOffer = !this.#polite && collision;
      if (this.#ignoreOffer) return;
      this.#releaseFirstOffer();
      this.#settingAnswer = description.type === 'answer';
      try {
        // For the polite side, an offer that crosses its own rolls its own back first.
        await pc.setRemoteDescription(description);
      } finally {
        this.#settingAnswer = false;
      }
      if (description.type === 'offer' && !this.#closed) {
        await pc.setLocalDescription();
        const answer = descriptionToWire(pc.localDescription);
        if (answer && !this.#closed) this.#send({ description: answer });
      }
    } else if (signal.candidate) {
      const candidate = candidateFromWire(signal.candidate);
      if (!candidate.candidate) return;
      try {
        await pc.addIceCandidate(candidate);
      } catch (err) {
        // Candidates of an offer this side ignored have nowhere to go.
        if (!this.#ignoreOffer) throw err;
      }
    }
  }

  #addRemote(track) {
    if (this.#closed) return;
    const tracks = (this.stream?.getTracks() ?? []).filter((t) => t.kind !== track.kind ||
                                                                  t.readyState === 'live');
    if (tracks.includes(track)) return;
    this.stream = new MediaStream([...tracks, track]);
    if (track.kind === 'audio') this.#play();
    track.addEventListener('ended', () => {
      if (this.#closed || !this.stream?.getTracks().includes(track)) return;
      this.stream = new MediaStream(this.stream.getTracks().filter((t) => t !== track));
      this.#onChange();
    });
    this.#onChange();
  }

  #play() {
    if (typeof Audio === 'undefined') return;
    if (!this.#player) {
      this.#player = new Audio();
      this.#player.autoplay = true;
      if (this.#sinkId) this.#player.setSinkId?.(this.#sinkId).catch(() => {});
    }
    this.#player.srcObject = this.stream;
    this.#player.play().catch(() => { /* autoplay refused: the next user gesture starts it */ });
  }

  #linkChanged() {
    if (this.#closed) return;
    const state = this.pc.connectionState;
    if (state === 'connected') this.#everConnected = true;
    const link = linkOf(state, this.#everConnected);
    if (link !== this.link) {
      this.link = link;
      this.#onChange();
    }
  }

  // ICE: a link that leaves 'connected' is watched until it comes back, restarting ICE when
  // call_state.js shouldRestartIce says so. The watch runs only while the link is down.
  #iceChanged() {
    if (this.#closed) return;
    const state = this.pc.iceConnectionState;
    if (state === 'connected' || state === 'completed') {
      this.#downSinceMs = null;
      this.#clearWatch();
      return;
    }
    if (state !== 'disconnected' && state !== 'failed') return;
    this.#downSinceMs ??= this.#now();
    this.#checkIce();
  }

  #checkIce() {
    this.#clearWatch();
    if (this.#closed || this.#downSinceMs === null) return;
    const iceState = this.pc.iceConnectionState;
    if (shouldRestartIce({ iceState, downSinceMs: this.#downSinceMs,
                           lastRestartMs: this.#lastRestartMs, nowMs: this.#now() })) {
      this.restartIce();
    }
    this.#watch = setTimeout(() => this.#checkIce(), 1000);
  }

  #clearWatch() {
    if (this.#watch !== null) clearTimeout(this.#watch);
    this.#watch = null;
  }
}

/**
 * All links of this page in the call. update() follows the call (call_state.js peerPlan);
 * receive() routes signals; setTrack() changes what goes to everyone.
 */
export class CallMesh {
  #links = new Map(); // memberId -> PeerLink
  #me;
  #send;
  #onChange;
  #iceServers = [];
  #sinkId = null;

  /**
   * me(): my member id; send(memberId, body): sends a signal body to a member; onChange(link):
   * a link opened, closed, or changed its state or stream.
   */
  constructor({ me, send, onChange }) {
    this.#me = me;
    this.#send = send;
    this.#onChange = onChange;
  }

  /** The link with `memberId`, or null. */
  link(memberId) {
    return this.#links.get(memberId) ?? null;
  }

  /** Every RTCPeerConnection held now, with its member: [{ memberId, pc }]. */
  connections() {
    return [...this.#links.values()].map((l) => ({ memberId: l.memberId, pc: l.pc }));
  }

  /** The ICE servers for new connections (existing ones get them at their next restart). */
  setIceServers(servers) {
    this.#iceServers = servers;
  }

  /**
   * Opens and closes links to match the call: `call` as call_state.js callOf gives it,
   * `mySession` my session in it (null: not in the call), `tracks` { audio, video } to send
   * from `localStream`.
   */
  update(call, mySession, tracks, localStream) {
    const held = [...this.#links.values()];
    const plan = peerPlan(held, call, this.#me(), mySession);
    for (const memberId of plan.close) this.#drop(memberId);
    for (const { memberId, session } of plan.open) {
      const link = new PeerLink({
        memberId, session, mySession, polite: isPolite(this.#me(), memberId),
        iceServers: this.#iceServers, tracks, localStream, sinkId: this.#sinkId,
        send: (body) => this.#send(memberId, body),
        onChange: () => this.#onChange(link),
      });
      this.#links.set(memberId, link);
      this.#onChange(link);
    }
  }

  /** Hands a signal from the server to its link; one that fits no link is dropped. */
  receive(signal) {
    const link = this.#links.get(signal?.from);
    if (signalFits(signal, link)) link.receive(signal);
  }

  /** Sends `track` as `kind` on every link (null: nothing of that kind). */
  setTrack(kind, track) {
    for (const link of this.#links.values()) link.setTrack(kind, track);
  }

  /** Plays everyone's audio on the speaker `sinkId`. */
  setSinkId(sinkId) {
    this.#sinkId = sinkId;
    for (const link of this.#links.values()) link.setSinkId(sinkId);
  }

  /** Restarts ICE on every link (the device's network changed). */
  restartIce() {
    for (const link of this.#links.values()) link.restartIce(this.#iceServers);
  }

  /** Closes every link. */
  close() {
    for (const memberId of [...this.#links.keys()]) this.#drop(memberId);
  }

  #drop(memberId) {
    const link = this.#links.get(memberId);
    if (!link) return;
    this.#links.delete(memberId);
    link.close();
    this.#onChange(link);
  }
}
