// This device's microphone and camera for the call, the devices to choose from, and how loud
// each voice in the call is (speaking or not).
//
// The browser is asked for a device only when the person joins the call or turns the camera
// on; a missing device is never a failure (call_state.js says what to ask next). Muting and
// turning the camera off only disable the track (track.enabled), so turning them back on is
// instant and asks nothing.
//
// Speaking levels come from a WebAudio AnalyserNode per stream, read every LEVEL_EVERY_MS by one
// timer that runs only while some stream is measured.

import { afterAskFailed, firstAsk, levelOf, speakingDetector, speakingStep } from './call_state.js';

const LEVEL_EVERY_MS = 100;

/** An Error whose message a person can read, kept apart from the browser's own. */
function plainError(words, cause) {
  const error = new Error(words);
  error.cause = cause;
  return error;
}

/** Audio constraints: the voice processing a call wants, and the chosen device if any. */
function audioConstraints(deviceId) {
  const base = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

/** Video constraints: a size a mesh of four can carry, and the chosen device if any. */
function videoConstraints(deviceId) {
  const base = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24 } };
  return deviceId ? { ...base, deviceId: { exact: deviceId } } : base;
}

/**
 * This device's tracks for the call. Holds at most one audio and one video track in `stream`.
 * Not thread-bound (pages have one thread); every method may be called in any state.
 */
export class LocalMedia {
  #mediaDevices;
  #chosen = { audioinput: null, videoinput: null };

  /** The local MediaStream (its tracks change), or null before any device was started. */
  stream = null;

  constructor(mediaDevices = globalThis.navigator?.mediaDevices) {
    this.#mediaDevices = mediaDevices;
  }

  get audioTrack() {
    return this.stream?.getAudioTracks()[0] ?? null;
  }

  get videoTrack() {
    return this.stream?.getVideoTracks()[0] ?? null;
  }

  /**
   * Asks for what a join wants ({ cameraOn, noMicrophone, audioOnly }), falling back to fewer
   * devices when some are missing. Resolves to { noMicrophone, hasCamera } as it turned out;
   * rejects with a plain-words Error when the browser refuses.
   */
  async start({ cameraOn, noMicrophone, audioOnly }) {
    this.stop();
    // A page the browser does not trust with devices (plain http away from this machine) has
    // no getUserMedia: the member can still listen.
    let ask = this.#mediaDevices?.getUserMedia ? firstAsk({ cameraOn, noMicrophone, audioOnly })
                                               : null;
    const wantsVideo = !!ask?.video;
    while (ask) {
      try {
        this.stream = await this.#mediaDevices.getUserMedia(this.#constraints(ask));
        break;
      } catch (err) {
        const next = afterAskFailed(ask, err?.name, wantsVideo);
        if (next.refuse) throw plainError(next.refuse, err);
        ask = next.ask ?? null;
      }
    }
    this.stream ??= new MediaStream();
    return { noMicrophone: !this.audioTrack, hasCamera: !!this.videoTrack };
  }

  /**
   * Starts the camera when there is none yet (turning it on after a join without it). Resolves
   * to the new video track, or null when there is no camera; rejects when refused.
   */
  async startCamera() {
    if (this.videoTrack) return this.videoTrack;
    const track = await this.#one('videoinput');
    return track;
  }

  /** Enables or disables the microphone (no track: nothing to do). */
  setMicrophoneEnabled(on) {
    if (this.audioTrack) this.audioTrack.enabled = on;
  }

  /** Enables or disables the camera (no track: nothing to do). */
  setCameraEnabled(on) {
    if (this.videoTrack) this.videoTrack.enabled = on;
  }

  /**
   * Switches to the device `deviceId` of `kind` ('audioinput' or 'videoinput'): starts it,
   * stops the old one and resolves to the new track (enabled as the old one was), or to null
   * when nothing is running of that kind yet (the choice is kept for when it starts).
   */
  async choose(kind, deviceId) {
    this.#chosen[kind] = deviceId || null;
    const old = kind === 'audioinput' ? this.audioTrack : this.videoTrack;
    if (!old) return null;
    const enabled = old.enabled;
    const track = await this.#one(kind, old);
    if (track) track.enabled = enabled;
    return track;
  }

  /** The choices of device: { audioinput, videoinput, audiooutput }, each [{ deviceId, label }]. */
  async devices() {
    const all = (await this.#mediaDevices?.enumerateDevices?.()) ?? [];
    const lists = { audioinput: [], videoinput: [], audiooutput: [] };
    for (const device of all) {
      const list = lists[device.kind];
      if (!list || !device.deviceId) continue;
      list.push({ deviceId: device.deviceId,
                  label: device.label || `${KIND_WORDS[device.kind]} ${list.length + 1}` });
    }
    return lists;
  }

  /** Stops every track (the browser's recording sign goes off). */
  stop() {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
  }

  /** Starts one device of `kind`, replacing `old` in the stream; null when there is none. */
  async #one(kind, old = null) {
    const ask = kind === 'audioinput' ? { audio: true, video: false }
                                      : { audio: false, video: true };
    let stream;
    try {
      stream = await this.#mediaDevices.getUserMedia(this.#constraints(ask));
    } catch (err) {
      const next = afterAskFailed(ask, err?.name, false);
      if (next.refuse) throw plainError(next.refuse, err);
      return null;
    }
    const [track] = kind === 'audioinput' ? stream.getAudioTracks() : stream.getVideoTracks();
    this.stream ??= new MediaStream();
    if (old) {
      this.stream.removeTrack(old);
      old.stop();
    }
    this.stream.addTrack(track);
    return track;
  }

  #constraints({ audio, video }) {
    return {
      audio: audio ? audioConstraints(this.#chosen.audioinput) : false,
      video: video ? videoConstraints(this.#chosen.videoinput) : false,
    };
  }
}

const KIND_WORDS = { audioinput: 'Microphone', videoinput: 'Camera', audiooutput: 'Speaker' };

/**
 * How loud each measured stream is. measure(key, stream) starts (or moves) a measurement;
 * forget(key) ends it; onChange(key, speaking) is called when a stream starts or stops
 * speaking. The timer runs only while something is measured. `now()` gives ms.
 */
export class SpeakingMeters {
  #onChange;
  #now;
  #context = null;
  #meters = new Map(); // key -> { stream, source, analyser, samples, detector }
  #timer = null;

  constructor(onChange, now = () => performance.now()) {
    this.#onChange = onChange;
    this.#now = now;
  }

  /** True while `key`'s stream is speaking. */
  speaking(key) {
    return this.#meters.get(key)?.detector.speaking === true;
  }

  /** Measures `stream`'s audio under `key` (a stream without audio is not measured). */
  measure(key, stream) {
    const existing = this.#meters.get(key);
    const track = stream?.getAudioTracks()[0] ?? null;
    if (existing && existing.track === track) return;
    this.forget(key);
    if (!track || typeof AudioContext === 'undefined') return;
    this.#context ??= new AudioContext();
    if (this.#context.state === 'suspended') this.#context.resume().catch(() => {});
    // A stream of the one track, so a later camera track does not disturb the measurement.
    const source = this.#context.createMediaStreamSource(new MediaStream([track]));
    const analyser = this.#context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    this.#meters.set(key, { track, source, analyser, samples: new Uint8Array(analyser.fftSize),
                            detector: speakingDetector() });
    this.#timer ??= setInterval(() => this.#read(), LEVEL_EVERY_MS);
  }

  /** Stops measuring `key` (and the timer, when it was the last). */
  forget(key) {
    const meter = this.#meters.get(key);
    if (!meter) return;
    this.#meters.delete(key);
    meter.source.disconnect();
    if (meter.detector.speaking) this.#onChange(key, false);
    if (this.#meters.size === 0) this.#idle();
  }

  /** Stops every measurement and closes the audio context. */
  stop() {
    for (const key of [...this.#meters.keys()]) this.forget(key);
    this.#idle();
    this.#context?.close().catch(() => {});
    this.#context = null;
  }

  #idle() {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  #read() {
    const now = this.#now();
    for (const [key, meter] of this.#meters) {
      meter.analyser.getByteTimeDomainData(meter.samples);
      const was = meter.detector.speaking;
      meter.detector = speakingStep(meter.detector, levelOf(meter.samples), now);
      if (meter.detector.speaking !== was) this.#onChange(key, meter.detector.speaking);
    }
  }
}
